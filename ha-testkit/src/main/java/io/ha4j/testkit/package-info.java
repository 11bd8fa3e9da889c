/**
 * Real local RabbitMQ and MariaDB Galera clusters for integration tests, with fault injection:
 * {@link io.ha4j.testkit.RabbitCluster}, {@link io.ha4j.testkit.GaleraCluster}, the JUnit 5
 * extension {@link io.ha4j.testkit.LocalClusters} and the command line {@link
 * io.ha4j.testkit.ClusterCommand}; {@link io.ha4j.testkit.HaproxyFront}, HAProxy in front of a
 * Galera cluster as the OpenStack HA guide deploys it. Helpers for tests that use them: {@link
 * io.ha4j.testkit.Waits} (polling with a deadline), {@link io.ha4j.testkit.TestJson} (reading JSON
 * output), {@link io.ha4j.testkit.LoadRows} (the insert-once write workload) and the clusters as
 * oslo configuration ({@link io.ha4j.testkit.RabbitCluster#transportUrl()}, {@link
 * io.ha4j.testkit.GaleraCluster#connectionUrl()}, {@link io.ha4j.testkit.TestKit#osloConfig}).
 *
 * <p>JUnit is an optional dependency of the kit: only {@link io.ha4j.testkit.LocalClusters} needs
 * it, and tests have it on their class path anyway.
 *
 * @since 0.1.0
 */
package io.ha4j.testkit;

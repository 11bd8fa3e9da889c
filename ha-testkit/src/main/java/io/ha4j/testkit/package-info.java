/**
 * Real local RabbitMQ and MariaDB Galera clusters for integration tests, with fault injection:
 * {@link io.ha4j.testkit.RabbitCluster}, {@link io.ha4j.testkit.GaleraCluster}, the JUnit 5
 * extension {@link io.ha4j.testkit.LocalClusters} and the command line {@link
 * io.ha4j.testkit.ClusterCommand}.
 *
 * @since 0.1.0
 */
package io.ha4j.testkit;

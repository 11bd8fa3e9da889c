/**
 * Small runnable programs that show ha4j in use; each takes an oslo-style configuration file and is
 * run by {@code ExamplesIT} against the test-kit clusters so it cannot rot.
 *
 * <ul>
 *   <li>{@link io.ha4j.examples.ReadOsloConfig}: what ha4j reads from a service's config file;
 *   <li>{@link io.ha4j.examples.ResilientPublisher}: confirmed messages that survive failover;
 *   <li>{@link io.ha4j.examples.ResilientConsumer}: a consumer that keeps consuming through it;
 *   <li>{@link io.ha4j.examples.GaleraTransfer}: a Galera unit of work re-run on conflicts.
 * </ul>
 *
 * @since 0.1.0
 */
package io.ha4j.examples;

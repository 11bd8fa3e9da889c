/**
 * JMH benchmarks of ha4j's hot paths (borrowing a Galera connection, a statement through ha4j's
 * connection wrapper, a confirmed publish) against the raw clients on the same test-kit server. Run
 * them with {@code scripts/jmh}; not published.
 */
package io.ha4j.benchmarks;

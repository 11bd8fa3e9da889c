/**
 * Internals of ha-jdbc, not an API: {@link io.ha4j.jdbc.internal.GaleraCore} puts together the
 * nodes (pool, prober, rise/fall), the monitor that checks them, the writer switch (choice, drain,
 * failback) and the unit-of-work runner (oslo.db retry schedule), over the {@link
 * io.ha4j.jdbc.internal.NodeIo} and {@link io.ha4j.jdbc.internal.Environment} seams that unit tests
 * fake.
 */
package io.ha4j.jdbc.internal;

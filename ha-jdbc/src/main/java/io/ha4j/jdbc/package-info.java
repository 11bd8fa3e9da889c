/**
 * ha-jdbc: a Galera-aware {@link javax.sql.DataSource}. {@link io.ha4j.jdbc.GaleraDataSource} sends
 * every connection to one healthy writer node chosen the same way by every instance with the same
 * configuration, watches each node's wsrep state, fails over fast, routes reads, and re-runs units
 * of work on certification conflicts as oslo.db does.
 *
 * @since 0.1.0
 */
package io.ha4j.jdbc;

/**
 * The Galera DataSource for Spring: {@link io.ha4j.spring.jdbc.LazyGaleraDataSource} is the
 * application's {@code DataSource}; {@link io.ha4j.spring.jdbc.GaleraTransactionTemplate} runs a
 * unit of work, written with JdbcTemplate or {@code @Transactional} code, with oslo.db's retry.
 */
package io.ha4j.spring.jdbc;

package io.ha4j.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of work: runs in one transaction on the connection it is given (auto-commit off) and may
 * be run again from the start in a fresh transaction. It must not commit or keep the connection.
 *
 * @param <T> the result
 * @since 0.1
 */
@FunctionalInterface
public interface SqlFunction<T> {

  /** Does the work. */
  T apply(Connection connection) throws SQLException;
}

package io.ha4j.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of work without a result; see {@link SqlFunction}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SqlWork {

  /** Does the work. */
  void accept(Connection connection) throws SQLException;
}

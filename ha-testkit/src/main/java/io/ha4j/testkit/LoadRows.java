package io.ha4j.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The write workload of {@code ha4j db load}, the demo and the Galera tests, on plain JDBC: every
 * transaction inserts one row with a unique client-chosen id and adds one to the shared hot row
 * {@code 0}. {@link #insertOnce} is idempotent (it looks for its row first), so a unit of work
 * whose COMMIT answer was lost can be re-run safely, and afterwards the table must hold exactly as
 * many rows as there were commits.
 *
 * <p>Each method runs in the caller's transaction on the caller's connection; stateless and
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class LoadRows {

  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  private LoadRows() {}

  /**
   * Checks that {@code table} is a plain SQL identifier (it is pasted into statements).
   *
   * @return {@code table}
   * @throws IllegalArgumentException naming the bad value otherwise
   */
  public static String checkTableName(String table) {
    if (table == null || !TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "table must be a plain table name (letters, digits, '_'), was '" + table + "'");
    }
    return table;
  }

  /** Creates the table if it is missing ({@code id BIGINT PRIMARY KEY, v BIGINT}) and row 0. */
  public static void createTable(Connection c, String table) throws SQLException {
    checkTableName(table);
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
      st.execute("INSERT IGNORE INTO " + table + " VALUES (0, 0)");
    }
  }

  /**
   * Inserts row {@code id} and adds one to row 0, unless row {@code id} is already there (an
   * earlier run of the same unit of work committed, and its COMMIT answer was lost).
   *
   * @return whether this call wrote the row
   */
  public static boolean insertOnce(Connection c, String table, long id) throws SQLException {
    checkTableName(table);
    try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM " + table + " WHERE id = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table + " VALUES (?, 1)");
        PreparedStatement hot =
            c.prepareStatement("UPDATE " + table + " SET v = v + 1 WHERE id = 0")) {
      ins.setLong(1, id);
      ins.executeUpdate();
      hot.executeUpdate();
    }
    return true;
  }

  /** The number of rows with an id above {@code afterId} (a run's ids start above its own base). */
  public static long countRowsAfter(Connection c, String table, long afterId) throws SQLException {
    checkTableName(table);
    try (PreparedStatement q =
        c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE id > ?")) {
      q.setLong(1, afterId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}

package io.ha4j.examples;

import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.jdbc.GaleraDataSource;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Moves money between two accounts in one unit of work. {@link GaleraDataSource#run} sends it to
 * the one writer node and re-runs the whole function in a fresh transaction when Galera reports a
 * certification conflict (1213), the node is not ready (1047) or the connection is lost before
 * COMMIT — so the function must only touch the connection it is given. A connection lost
 * <em>during</em> COMMIT leaves the outcome unknown; this transfer carries its own id and looks for
 * it first, which makes it safe to run again ({@link GaleraDataSource#callIdempotent}).
 *
 * <pre>java -cp … io.ha4j.examples.GaleraTransfer my.conf 100</pre>
 */
public final class GaleraTransfer {

  private GaleraTransfer() {}

  /** Entry point: config file, number of transfers. */
  public static void main(String[] args) throws SQLException {
    GaleraSettings settings = HaConfig.load(Path.of(args[0])).galera().orElseThrow();
    try (GaleraDataSource ds = GaleraDataSource.builder().settings(settings).build()) {
      setUp(ds);
      for (int i = 0; i < Integer.parseInt(args[1]); i++) {
        transfer(ds, System.nanoTime(), 1, 2, 1);
      }
      System.out.println("total " + total(ds) + ", retries " + ds.retries());
    }
  }

  /** Two accounts of 1000 each. */
  public static void setUp(GaleraDataSource ds) throws SQLException {
    ds.run(
        c -> {
          try (Statement st = c.createStatement()) {
            st.execute(
                "CREATE TABLE IF NOT EXISTS accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            st.execute("REPLACE INTO accounts VALUES (1, 1000), (2, 1000)");
            st.execute("CREATE TABLE IF NOT EXISTS transfers (id BIGINT PRIMARY KEY)");
          }
        });
  }

  /** Moves {@code amount} from one account to the other, atomically, once per {@code id}. */
  public static void transfer(GaleraDataSource ds, long id, int from, int to, long amount)
      throws SQLException {
    ds.callIdempotent(
        c -> {
          try (PreparedStatement done =
              c.prepareStatement("SELECT 1 FROM transfers WHERE id = ?")) {
            done.setLong(1, id);
            try (ResultSet rs = done.executeQuery()) {
              if (rs.next()) {
                return null; // an earlier run committed it; only its answer was lost
              }
            }
          }
          try (PreparedStatement mark = c.prepareStatement("INSERT INTO transfers VALUES (?)");
              PreparedStatement debit =
                  c.prepareStatement("UPDATE accounts SET balance = balance - ? WHERE id = ?");
              PreparedStatement credit =
                  c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
            debit.setLong(1, amount);
            debit.setInt(2, from);
            debit.executeUpdate();
            credit.setLong(1, amount);
            credit.setInt(2, to);
            credit.executeUpdate();
            mark.setLong(1, id);
            mark.executeUpdate();
          }
          return null;
        });
  }

  /** The sum of both balances (2000 whatever happened). */
  public static long total(GaleraDataSource ds) throws SQLException {
    return ds.call(
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT SUM(balance) FROM accounts")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }
}

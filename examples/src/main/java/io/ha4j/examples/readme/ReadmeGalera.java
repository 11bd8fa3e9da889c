package io.ha4j.examples.readme;

import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.jdbc.GaleraDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The README's {@code ha-jdbc} example: a connection to the writer, a unit of work, a reader. The
 * body of {@link #example} is the README's block, word for word ({@code ReadmeExamplesTest} checks
 * it).
 */
public final class ReadmeGalera {

  private ReadmeGalera() {}

  /** Entry point: the config file. */
  public static void main(String[] args) throws Exception {
    System.out.println("order " + example(Path.of(args[0])));
  }

  /** Creates the table {@code orders}, inserts one order in a unit of work; returns its id. */
  public static long example(Path configFile) throws Exception {
    GaleraSettings db = HaConfig.load(configFile).galera().orElseThrow();
    // build() checks every node once; it tolerates nodes that are down
    try (GaleraDataSource ds = GaleraDataSource.builder().settings(db).build()) {
      try (Connection c = ds.getConnection(); // always the one writer node
          Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE IF NOT EXISTS orders"
                + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(64) NOT NULL)");
      }
      long id =
          ds.call( // one transaction, re-run from the start on 1213 / 1047 / lost before COMMIT
              c -> {
                try (PreparedStatement st =
                    c.prepareStatement(
                        "INSERT INTO orders (item) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                  st.setString(1, "book");
                  st.executeUpdate();
                  try (ResultSet keys = st.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                  }
                }
              });
      try (Connection r = ds.readers().getConnection(); // a Synced non-writer with reader_routing
          Statement st = r.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM orders")) { // may lag the writer
        rs.next();
        System.out.println(rs.getLong(1) + " orders");
      }
      return id;
    }
  }
}

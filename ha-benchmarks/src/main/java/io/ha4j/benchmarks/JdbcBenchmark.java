package io.ha4j.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.testkit.GaleraCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A borrow/return with no statement, and one {@code SELECT 1} through a prepared statement: {@link
 * GaleraDataSource} against a plain {@link HikariDataSource} on the writer with the same pool, both
 * on one 1-node test-kit Galera cluster started for the trial (a single node keeps the shared
 * machine quiet; the hot path does not depend on the node count).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JdbcBenchmark {

  private GaleraCluster cluster;
  private GaleraDataSource ha4j;
  private HikariDataSource hikari;

  /** Starts the cluster and both data sources. */
  @Setup(Level.Trial)
  public void start() throws SQLException {
    cluster = GaleraCluster.builder().name("jmh").nodes(1).start();
    try {
      GaleraCluster.GaleraNode n = cluster.node(1);
      GaleraSettings settings =
          GaleraSettings.builder()
              .nodes(List.of(new GaleraNode(n.address(), n.port(), 0)))
              .username(cluster.user())
              .password(cluster.password())
              .database(cluster.database())
              .build();
      ha4j = GaleraDataSource.builder().settings(settings).name("jmh").build();
      HikariConfig h = new HikariConfig();
      h.setPoolName("jmh-raw");
      h.setJdbcUrl(n.jdbcUrl());
      h.setUsername(cluster.user());
      h.setPassword(cluster.password());
      // the pool ha4j builds for a node: maxPoolSize idle, maxPoolSize + maxOverflow at most
      h.setMaximumPoolSize(settings.maxPoolSize() + settings.maxOverflow());
      h.setMinimumIdle(settings.maxPoolSize());
      h.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      hikari = new HikariDataSource(h);
      check(ha4j);
      check(hikari);
    } catch (RuntimeException | SQLException e) {
      stop();
      throw e;
    }
  }

  private static void check(DataSource ds) throws SQLException {
    if (selectOne(ds) != 1) {
      throw new IllegalStateException("SELECT 1 did not return 1 through " + ds);
    }
  }

  /** Closes the data sources and the cluster. */
  @TearDown(Level.Trial)
  public void stop() {
    if (ha4j != null) {
      ha4j.close();
    }
    if (hikari != null) {
      hikari.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Connection borrow(DataSource ds) throws SQLException {
    Connection c = ds.getConnection();
    c.close();
    return c;
  }

  private static int selectOne(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** {@code getConnection()} and {@code close()} through ha4j. */
  @Benchmark
  public Connection borrowHa4j() throws SQLException {
    return borrow(ha4j);
  }

  /** {@code getConnection()} and {@code close()} on HikariCP. */
  @Benchmark
  public Connection borrowHikari() throws SQLException {
    return borrow(hikari);
  }

  /** A borrow and {@code SELECT 1} through ha4j's connection and statement wrappers. */
  @Benchmark
  public int selectHa4j() throws SQLException {
    return selectOne(ha4j);
  }

  /** A borrow and {@code SELECT 1} on HikariCP. */
  @Benchmark
  public int selectHikari() throws SQLException {
    return selectOne(hikari);
  }
}

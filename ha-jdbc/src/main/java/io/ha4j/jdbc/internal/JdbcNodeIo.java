package io.ha4j.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraErrors;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The real {@link NodeIo}: a HikariCP pool per node with a single-host URL, and a status query.
 *
 * <p>HikariCP logs a WARN with the whole stack trace ("Connection … marked as broken because of
 * SQLSTATE(08…)") for every connection that fails with a connection error, i.e. for every
 * connection lent from a node that died. ha4j already knows: the same error asks the monitor to
 * re-check the node, and the failover is logged once. So the pool's {@link SQLExceptionOverride}
 * tells HikariCP not to evict on errors that {@link GaleraErrors#suspectsNode} (connection lost,
 * 1047), and ha4j evicts such a connection itself, quietly, when it comes back ({@link
 * Pool#evict}). What HikariCP still logs about a dead node: at most one "Failed to validate
 * connection" WARN (no stack trace) per idle connection it tries before ha4j saw the first error;
 * ha4j soft-evicts the node's idle connections on that first error.
 */
final class JdbcNodeIo implements NodeIo {

  /**
   * No eviction (and no WARN with a stack trace) by HikariCP for errors that mean the node failed:
   * ha4j evicts those connections itself when they come back.
   */
  static final SQLExceptionOverride QUIET_ON_NODE_FAILURE =
      new SQLExceptionOverride() {
        @java.lang.Override
        public SQLExceptionOverride.Override adjudicate(SQLException e) {
          return GaleraErrors.suspectsNode(e)
              ? SQLExceptionOverride.Override.DO_NOT_EVICT
              : SQLExceptionOverride.Override.CONTINUE_EVICT;
        }
      };

  private final GaleraSettings settings;
  private final String name;
  private final DriverTls tls;

  JdbcNodeIo(GaleraSettings settings, String name) {
    this.settings = settings;
    this.name = name;
    this.tls = DriverTls.of(settings.tls());
  }

  /** Deletes the client key store, if TLS with a client certificate made one. */
  @Override
  public void close() {
    tls.close();
  }

  @Override
  public Pool pool(GaleraNode node) {
    String tag = CuttableSockets.newTag(name + "/" + node.hostAndPort());
    HikariDataSource ds = new HikariDataSource(poolConfig(node, tag));
    return new Pool() {
      @Override
      public Connection getConnection() throws SQLException {
        return ds.getConnection();
      }

      @Override
      public void softEvict() {
        ds.getHikariPoolMXBean().softEvictConnections();
      }

      @Override
      public void evict(Connection c) {
        ds.evictConnection(c);
      }

      @Override
      public int cutSockets() {
        return CuttableSockets.cut(tag);
      }

      @Override
      public void close() {
        ds.close();
        CuttableSockets.forget(tag);
      }
    };
  }

  @Override
  public Prober prober(GaleraNode node) {
    return new StatusQuery(settings, node, tls);
  }

  HikariConfig poolConfig(GaleraNode n) {
    return poolConfig(n, "");
  }

  /**
   * The pool's configuration; {@code tag} names its sockets for {@link CuttableSockets} (none when
   * empty, or when the connection parameters bring their own {@code socketFactory}).
   */
  HikariConfig poolConfig(GaleraNode n, String tag) {
    HikariConfig h = new HikariConfig();
    h.setPoolName("ha4j-" + name + "-" + n.hostAndPort());
    h.setJdbcUrl("jdbc:mariadb://" + n.hostAndPort() + "/" + settings.database());
    h.setUsername(settings.username());
    h.setPassword(settings.password());
    h.setMaximumPoolSize(settings.maxPoolSize() + settings.maxOverflow());
    h.setMinimumIdle(settings.maxPoolSize());
    // a node down at start does not fail start-up; the monitor decides who is lent
    h.setInitializationFailTimeout(-1);
    h.setExceptionOverride(QUIET_ON_NODE_FAILURE);
    // a dead writer must not hold a borrower long: getConnection tries the next one
    h.setConnectionTimeout(
        Math.max(
            250,
            Math.min(settings.poolTimeout().toMillis(), 2 * settings.checkTimeout().toMillis())));
    h.setValidationTimeout(Math.max(250, settings.checkTimeout().toMillis()));
    h.setMaxLifetime(Math.max(30_000, settings.connectionRecycleTime().toMillis()));
    h.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    StringBuilder init =
        new StringBuilder("SET SESSION sql_mode = '")
            .append(settings.sqlMode().replace("'", "''"))
            .append('\'');
    settings.wsrepSyncWait().ifPresent(w -> init.append(", wsrep_sync_wait = ").append(w));
    h.setConnectionInitSql(init.toString());
    h.addDataSourceProperty("connectTimeout", Math.max(1000, settings.checkTimeout().toMillis()));
    // finite: a hung node must surface as an error, not hang the application forever
    h.addDataSourceProperty("socketTimeout", 60_000);
    tls.properties().forEach(h::addDataSourceProperty);
    if (!tag.isEmpty()) {
      h.addDataSourceProperty("socketFactory", CuttableSockets.class.getName());
      h.addDataSourceProperty(CuttableSockets.TAG_OPTION, tag);
    }
    settings.connectionParameters().forEach(h::addDataSourceProperty);
    return h;
  }
}

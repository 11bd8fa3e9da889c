package io.ha4j.jdbc.internal;

import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The one status query of GALERA.md ("Node signals") on a monitor connection of its own, with the
 * data source's credentials, connection parameters (TLS …) and the short {@code check_timeout}.
 */
public final class StatusQuery implements NodeIo.Prober {

  /**
   * The query: one row per signal, {@code (name, value)}, with lower-case names. The status values
   * come from one scan of {@code information_schema.GLOBAL_STATUS} (the server builds that table
   * for every reference to it: eight scalar subqueries, as in 0.1's first query, cost the node
   * about 5 times the CPU). Public for {@code ha4j bench instances}, which measures what it costs a
   * node.
   */
  public static final String SQL =
      "SELECT LOWER(VARIABLE_NAME), VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
          + " WHERE VARIABLE_NAME IN ('WSREP_LOCAL_STATE', 'WSREP_LOCAL_STATE_COMMENT',"
          + " 'WSREP_READY', 'WSREP_CONNECTED', 'WSREP_CLUSTER_STATUS', 'WSREP_CLUSTER_STATE_UUID',"
          + " 'WSREP_CLUSTER_SIZE', 'WSREP_CLUSTER_CONF_ID')"
          + " UNION ALL SELECT 'wsrep_desync', @@wsrep_desync"
          + " UNION ALL SELECT 'wsrep_reject_queries', @@wsrep_reject_queries"
          + " UNION ALL SELECT 'read_only', @@read_only"
          + " UNION ALL SELECT 'wsrep_sst_donor_rejects_queries', @@wsrep_sst_donor_rejects_queries"
          + " UNION ALL SELECT 'wsrep_cluster_name', @@wsrep_cluster_name";

  private final String url;
  private final String node;
  private final String user;
  private final Properties properties;
  private final String sslMode;
  private Connection connection; // one thread at a time (the node's check lock)

  StatusQuery(GaleraSettings settings, GaleraNode node, DriverTls tls) {
    this.url = "jdbc:mariadb://" + node.hostAndPort() + "/";
    this.node = node.hostAndPort();
    this.user = settings.username();
    this.properties = connectionProperties(settings, tls);
    this.sslMode = "sslMode=" + properties.getProperty("sslMode");
  }

  /**
   * Probes {@code node} once on a fresh connection, closed afterwards: what the monitor of a {@code
   * GaleraDataSource} with these settings would see.
   */
  public static Probe probeOnce(GaleraSettings settings, GaleraNode node) {
    try (DriverTls tls = DriverTls.of(settings.tls())) {
      StatusQuery q = new StatusQuery(settings, node, tls);
      try {
        return q.probe();
      } finally {
        q.close();
      }
    }
  }

  /**
   * The monitor connection's properties: the TLS options, {@code connection_parameters}, then the
   * credentials and {@code check_timeout} as connect and socket timeout (at least 100 ms).
   */
  static Properties connectionProperties(GaleraSettings settings, DriverTls tls) {
    Properties p = new Properties();
    tls.properties().forEach(p::setProperty);
    settings.connectionParameters().forEach(p::setProperty);
    p.setProperty("user", settings.username());
    p.setProperty("password", settings.password());
    String t = Long.toString(Math.max(100, settings.checkTimeout().toMillis()));
    p.setProperty("connectTimeout", t);
    p.setProperty("socketTimeout", t);
    return p;
  }

  @Override
  public Probe probe() {
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(url, properties);
      }
      Map<String, String> v = new HashMap<>();
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery(SQL)) {
        while (rs.next()) {
          v.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
        }
      }
      return fromSignals(v);
    } catch (SQLException e) {
      if (e.getErrorCode() == 1047 && connection != null) {
        // not ready / non-Primary: SELECTs are refused, SHOW still answers and says why
        try {
          return probeWithShow(connection);
        } catch (SQLException again) {
          // fall through: no answer at all
        }
      }
      close();
      java.util.Optional<String> tls = io.ha4j.jdbc.GaleraErrors.tlsFailure(e);
      if (tls.isPresent()) {
        return Probe.tlsFailed(
            "TLS verification failed for "
                + node
                + " ("
                + sslMode
                + "): "
                + tls.get()
                + "; check ssl_ca, ssl_cert, ssl_key, ssl_verify_cert and ssl_verify_identity in"
                + " [database] connection and the node's certificate");
      }
      boolean hard =
          e.getErrorCode() == 1047
              || Errors.find(e, ConnectException.class)
              || Errors.find(e, UnknownHostException.class)
              || e.getErrorCode() == 1045;
      return Probe.failed(hard, describe(e));
    }
  }

  /**
   * The error for people: a refused login reads "user 'nova' was refused by host 10.0.0.1:3306"
   * (the server's text, which names the client's address as the host, follows in parentheses).
   */
  String describe(SQLException e) {
    String d = Errors.describe(e);
    if (e.getErrorCode() == 1045) {
      // MariaDB answers 1045 as well to a clear-text login where require_secure_transport is ON
      return "user '"
          + user
          + "' was refused by host "
          + node
          + " ("
          + d
          + ")"
          + (sslMode.equals("sslMode=disable")
              ? "; without TLS: if the server requires it, add ssl_ca to [database] connection"
              : "");
    }
    return d;
  }

  private static Probe probeWithShow(Connection c) throws SQLException {
    Map<String, String> v = new HashMap<>();
    try (Statement st = c.createStatement()) {
      for (String q :
          List.of(
              "SHOW GLOBAL STATUS LIKE 'wsrep%'",
              "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_desync',"
                  + " 'wsrep_reject_queries', 'read_only', 'wsrep_sst_donor_rejects_queries',"
                  + " 'wsrep_cluster_name')")) {
        try (ResultSet rs = st.executeQuery(q)) {
          while (rs.next()) {
            v.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
          }
        }
      }
    }
    return fromSignals(v);
  }

  /** A probe from the signals by lower-case name; a missing one reads as off, empty or 0. */
  static Probe fromSignals(Map<String, String> v) {
    return new Probe(
        true,
        false,
        "",
        parseInt(v.get("wsrep_local_state")),
        nz(v.get("wsrep_local_state_comment")),
        on(v.get("wsrep_ready")),
        on(v.get("wsrep_connected")),
        nz(v.get("wsrep_cluster_status")),
        nz(v.get("wsrep_cluster_name")),
        nz(v.get("wsrep_cluster_state_uuid")),
        parseInt(v.get("wsrep_cluster_size")),
        on(v.get("wsrep_desync")),
        nz(v.get("wsrep_reject_queries")),
        on(v.get("read_only")),
        on(v.get("wsrep_sst_donor_rejects_queries")),
        parseConf(v.get("wsrep_cluster_conf_id")),
        System.nanoTime());
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // going anyway
      }
      connection = null;
    }
  }

  private static int parseInt(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Unsigned: outside a Primary view the server shows 18446744073709551615, i.e. -1. */
  private static long parseConf(String s) {
    try {
      return s == null ? -1 : Long.parseUnsignedLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static boolean on(String s) {
    return s != null && (s.equalsIgnoreCase("ON") || s.equals("1") || s.equalsIgnoreCase("TRUE"));
  }
}

package io.ha4j.cli.internal;

import io.ha4j.amqp.ConnectFailure;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HostProbe;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.jdbc.GaleraDataSource;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code ha4j check}: probes every configured RabbitMQ host (reachable, authenticates, what it
 * reports) and every Galera node (wsrep state, cluster size, the writer ha4j would choose). Exit 0
 * healthy, 1 degraded or unusable, 2 bad configuration.
 */
final class CheckCommand {

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  CheckCommand(Io io) {
    this.out = io.out();
    this.err = io.err();
    this.env = io.env();
  }

  int run(Commands.ConfigSources sources, boolean json) {
    HaConfig config = sources.load(env);
    Cli.printProblems(err, config.warnings());
    Map<String, Object> report = new LinkedHashMap<>();
    boolean healthy = true;

    List<Map<String, Object>> hosts = new ArrayList<>();
    for (HostProbe p :
        HaConnectionFactory.builder()
            .settings(config.amqp())
            .connectionName("ha4j-check")
            .build()
            .probeAll()) {
      Map<String, Object> m = describe(p);
      healthy &= p.ok();
      hosts.add(m);
    }
    Map<String, Object> rabbit = new LinkedHashMap<>();
    rabbit.put("hosts", hosts);
    rabbit.put("note", "cluster members and partitions are not visible over AMQP; use rabbitmqctl");
    report.put("rabbitmq", rabbit);

    if (config.galera().isPresent()) {
      Map<String, Object> db = probeGalera(config.galera().get());
      healthy &= Boolean.TRUE.equals(db.get("healthy"));
      report.put("galera", db);
    }
    report.put("healthy", healthy);
    if (json) {
      out.println(JsonOut.write(report));
    } else {
      printText(report);
    }
    return healthy ? 0 : 1;
  }

  // ---------------------------------------------------------------- probes

  /**
   * One host as {@link HaConnectionFactory#probeAll()} saw it (one attempt with the factory's TLS,
   * SASL, heartbeat and timeouts): {@code host, ok, authenticated} and then {@code version,
   * cluster_name, connect_ms} or {@code error}.
   */
  private static Map<String, Object> describe(HostProbe p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", p.host());
    m.put("ok", p.ok());
    m.put("authenticated", p.ok());
    if (p.ok()) {
      m.put("version", p.serverVersion().orElse("unknown"));
      m.put("cluster_name", p.clusterName().orElse("unknown"));
      m.put("connect_ms", p.duration().toMillis());
    } else {
      m.put("error", p.failure().map(ConnectFailure::description).orElse("failed"));
    }
    return m;
  }

  /**
   * The Galera nodes as a {@link GaleraDataSource} sees them after one round of checks (no start-up
   * retries): {@link DbCommand#describe}, or {@code error} and {@code healthy: false}.
   */
  private static Map<String, Object> probeGalera(GaleraSettings settings) {
    GaleraSettings g = settings.toBuilder().maxRetries(OptionalInt.of(0)).build();
    try (GaleraDataSource ds = GaleraDataSource.builder().settings(g).name("ha4j-check").build()) {
      return DbCommand.describe(ds);
    } catch (SQLException e) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("error", e.getMessage());
      m.put("healthy", false);
      return m;
    }
  }

  @SuppressWarnings("unchecked")
  private void printText(Map<String, Object> r) {
    out.println("RabbitMQ:");
    for (Map<String, Object> h :
        (List<Map<String, Object>>) ((Map<String, Object>) r.get("rabbitmq")).get("hosts")) {
      out.println(
          "  "
              + h.get("host")
              + (Boolean.TRUE.equals(h.get("ok"))
                  ? " ok, RabbitMQ " + h.get("version") + ", cluster " + h.get("cluster_name")
                  : " FAILED: " + h.get("error")));
    }
    Object g = r.get("galera");
    if (g instanceof Map<?, ?> db) {
      out.println("Galera: writer " + (db.get("writer") == null ? "none" : db.get("writer")));
      Object nodes = db.get("nodes");
      if (nodes instanceof List<?> list) {
        for (Object o : list) {
          Map<String, Object> n = (Map<String, Object>) o;
          out.println(
              "  "
                  + n.get("node")
                  + " "
                  + n.get("state")
                  + " "
                  + n.get("wsrep_state")
                  + "/"
                  + n.get("cluster_status")
                  + "/"
                  + n.get("cluster_size")
                  + " "
                  + n.get("role")
                  + (String.valueOf(n.get("detail")).isEmpty()
                      ? ""
                      : " (" + n.get("detail") + ")"));
        }
      } else if (db.get("error") != null) {
        out.println("  " + db.get("error"));
      }
    }
    out.println(Boolean.TRUE.equals(r.get("healthy")) ? "healthy" : "degraded");
  }
}

package io.ha4j.cli.internal;

import io.ha4j.amqp.ConnectFailure;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HostProbe;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.config.HaException;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.jdbc.GaleraProbe;
import java.io.PrintStream;
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
    List<String> names = new ArrayList<>();
    hosts.forEach(h -> names.add((String) h.get("cluster_name")));
    String cluster = DbCommand.majority(names);
    long agreeing = names.stream().filter(cluster::equals).count();
    // RabbitMQ reports each node's own name as cluster_name until one is set for the cluster
    rabbit.put(
        "cluster_name",
        agreeing * 2 > names.stream().filter(n -> n != null).count() ? cluster : "");
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
      m.put("broker_answered", p.failure().map(f -> f.kind().brokerAnswered()).orElse(false));
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
    } catch (HaException e) {
      // no node answered: show each one by address and why, as a data source would see it
      List<GaleraProbe.Result> probes = GaleraProbe.probeAll(g);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cluster_name", DbCommand.majority(probes.stream().map(r -> r.clusterName()).toList()));
      m.put("writer", null);
      List<Map<String, Object>> nodes = new ArrayList<>();
      for (GaleraProbe.Result r : probes) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("node", r.node());
        j.put("priority", r.priority());
        j.put("state", r.reachable() ? (r.healthy() ? "healthy" : "unhealthy") : "unreachable");
        j.put("cluster_name", r.clusterName());
        j.put("wsrep_state", r.stateComment());
        j.put("cluster_status", r.clusterStatus());
        j.put("cluster_size", r.clusterSize());
        j.put("role", "none");
        j.put("detail", r.reachable() ? r.detail() : r.error());
        nodes.add(j);
      }
      m.put("nodes", nodes);
      m.put("error", e.getMessage());
      m.put("healthy", false);
      return m;
    }
  }

  /**
   * The report for people: each RabbitMQ host and each Galera node by address with what it reported
   * or "unreachable: why", and each cluster's name once, as most of its nodes report it.
   */
  @SuppressWarnings("unchecked")
  private void printText(Map<String, Object> r) {
    Map<String, Object> rabbit = (Map<String, Object>) r.get("rabbitmq");
    String cluster = String.valueOf(rabbit.get("cluster_name"));
    out.println(
        "RabbitMQ"
            + (cluster.isEmpty()
                ? " (no cluster name shared by most hosts)"
                : " cluster '" + cluster + "'")
            + ":");
    for (Map<String, Object> h : (List<Map<String, Object>>) rabbit.get("hosts")) {
      String text;
      if (Boolean.TRUE.equals(h.get("ok"))) {
        text = "ok, RabbitMQ " + h.get("version");
        Object name = h.get("cluster_name");
        if (cluster.isEmpty() || !cluster.equals(name)) {
          text += ", cluster_name '" + name + "'";
        }
      } else {
        text =
            (Boolean.TRUE.equals(h.get("broker_answered")) ? "refused: " : "unreachable: ")
                + h.get("error");
      }
      out.println("  " + h.get("host") + " " + text);
    }
    Object g = r.get("galera");
    if (g instanceof Map<?, ?> db) {
      if (db.get("nodes") instanceof List<?>) {
        DbCommand.printText(out, (Map<String, Object>) db);
      } else {
        out.println("Galera: " + db.get("error"));
      }
    }
    out.println(Boolean.TRUE.equals(r.get("healthy")) ? "healthy" : "degraded");
  }
}

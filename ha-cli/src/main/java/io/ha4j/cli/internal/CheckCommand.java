package io.ha4j.cli.internal;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ha4j.amqp.internal.Failures;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.testkit.internal.Json;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code ha4j check}: probes every configured RabbitMQ host (reachable, authenticates, what it
 * reports) and every Galera node (wsrep state, cluster size, the writer ha4j would choose). Exit 0
 * healthy, 1 degraded or unusable, 2 bad configuration.
 */
final class CheckCommand {

  private static final Set<String> VALUED = Set.of("config-file", "config-dir");
  private static final Set<String> BOOL = Set.of("json");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  CheckCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  int run(List<String> argv) {
    Args args = Args.parse(argv, VALUED, BOOL);
    if (!args.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
    }
    HaConfig config = ConfigCommand.load(args, env);
    Cli.printProblems(err, config.warnings());
    Map<String, Object> report = new LinkedHashMap<>();
    boolean healthy = true;

    AmqpSettings amqp = config.amqp();
    List<Map<String, Object>> hosts = new ArrayList<>();
    for (AmqpHost h : amqp.hosts()) {
      Map<String, Object> m = probe(amqp, h);
      healthy &= Boolean.TRUE.equals(m.get("ok"));
      hosts.add(m);
    }
    Map<String, Object> rabbit = new LinkedHashMap<>();
    rabbit.put("hosts", hosts);
    rabbit.put("note", "cluster members and partitions are not visible over AMQP; use rabbitmqctl");
    report.put("rabbitmq", rabbit);

    if (config.galera().isPresent()) {
      GaleraSettings g = config.galera().get().toBuilder().maxRetries(OptionalInt.of(0)).build();
      try (GaleraDataSource ds =
          GaleraDataSource.builder().settings(g).name("ha4j-check").build()) {
        Map<String, Object> db = DbCommand.describe(ds);
        healthy &= Boolean.TRUE.equals(db.get("healthy"));
        report.put("galera", db);
      } catch (SQLException e) {
        healthy = false;
        report.put("galera", Map.of("error", e.getMessage(), "healthy", false));
      }
    }
    report.put("healthy", healthy);
    if (args.has("json")) {
      out.println(Json.write(report));
    } else {
      printText(report);
    }
    return healthy ? 0 : 1;
  }

  /** One plain AMQP connection to one host, with the settings' timeouts and credentials. */
  private static Map<String, Object> probe(AmqpSettings s, AmqpHost h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", h.host() + ":" + h.port());
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(h.host());
    f.setPort(h.port());
    f.setUsername(h.username());
    f.setPassword(h.password());
    f.setVirtualHost(s.virtualHost());
    f.setConnectionTimeout((int) s.connectTimeout().toMillis());
    f.setHandshakeTimeout((int) s.handshakeTimeout().toMillis());
    f.setAutomaticRecoveryEnabled(false);
    long t0 = System.nanoTime();
    try (Connection c = f.newConnection("ha4j-check")) {
      m.put("ok", true);
      m.put("authenticated", true);
      Map<String, Object> props = c.getServerProperties();
      m.put("version", String.valueOf(props.get("version")));
      m.put("cluster_name", String.valueOf(props.get("cluster_name")));
      m.put("connect_ms", (System.nanoTime() - t0) / 1_000_000);
    } catch (Exception e) {
      Failures.Failure failure = Failures.classify(e);
      m.put("ok", false);
      m.put("authenticated", false);
      m.put("error", failure.description());
    }
    return m;
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

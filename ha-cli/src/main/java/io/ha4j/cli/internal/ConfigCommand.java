package io.ha4j.cli.internal;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.ConfigValue;
import io.ha4j.config.DatabaseTls;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.HaConfig;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ha4j config}: the effective configuration with sources; secrets as {@code ***}. */
final class ConfigCommand {

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  ConfigCommand(Io io) {
    this.out = io.out();
    this.err = io.err();
    this.env = io.env();
  }

  int run(Commands.ConfigSources sources, boolean json) {
    HaConfig config = sources.load(env);
    if (json) {
      out.println(JsonOut.write(toJson(config)));
    } else {
      printText(config);
    }
    Cli.printProblems(err, config.warnings());
    return 0;
  }

  static Map<String, Object> toJson(HaConfig config) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (ConfigValue v : config.values()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> section =
          (Map<String, Object>) root.computeIfAbsent(v.section(), s -> new LinkedHashMap<>());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("value", v.displayValue());
      entry.put("source", v.source());
      section.put(v.name(), entry);
    }
    Map<String, Object> resolved = new LinkedHashMap<>();
    resolved.put("amqp_hosts", config.amqp().hosts().stream().map(AmqpHost::hostAndPort).toList());
    resolved.put("virtual_host", config.amqp().virtualHost());
    var max = config.amqp().retry().maxRetries();
    resolved.put("max_retries", max.isPresent() ? (Object) max.getAsInt() : null);
    resolved.put("retry_interval_s", seconds(config.amqp().retry().effectiveInterval()));
    resolved.put(
        "galera_nodes",
        config
            .galera()
            .map(g -> g.nodes().stream().map(ConfigCommand::node).toList())
            .orElse(List.of()));
    resolved.put("galera_tls", config.galera().map(g -> tls(g.tls())).orElse(null));
    root.put("resolved", resolved);
    root.put("warnings", config.warnings().stream().map(Object::toString).toList());
    return root;
  }

  /** Seconds as oslo writes them: a whole number when whole. */
  private static Number seconds(java.time.Duration d) {
    return d.getNano() == 0 ? (Number) d.getSeconds() : (Number) (d.toNanos() / 1e9);
  }

  /** The TLS settings of the database connections: paths and switches, no key material. */
  private static Object tls(DatabaseTls t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", t.enabled());
    if (t.enabled()) {
      m.put("ca", t.ca().map(Object::toString).orElse(null));
      m.put("cert", t.cert().map(Object::toString).orElse(null));
      m.put("key", t.key().map(Object::toString).orElse(null));
      m.put("verify_cert", t.verifyCert());
      m.put("verify_identity", t.verifyIdentity());
    }
    return m;
  }

  private static String tlsText(DatabaseTls t) {
    if (!t.enabled()) {
      return "off";
    }
    return "on, "
        + (t.verifyCert()
            ? "certificate verified against "
                + t.ca().map(Object::toString).orElse("the JVM's trust store")
                + (t.verifyIdentity() ? ", host name verified" : ", host name not verified")
            : "no verification")
        + t.cert().map(c -> ", client certificate " + c).orElse("");
  }

  private static Object node(GaleraNode n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", n.hostAndPort());
    m.put("priority", n.priority());
    return m;
  }

  private void printText(HaConfig config) {
    String section = null;
    for (ConfigValue v : config.values()) {
      if (!v.section().equals(section)) {
        if (section != null) {
          out.println();
        }
        section = v.section();
        out.println("[" + section + "]");
      }
      Object shown = v.displayValue();
      String text =
          shown == null
              ? "<None>"
              : shown instanceof List<?> l
                  ? String.join(",", l.stream().map(String::valueOf).toList())
                  : shown.toString();
      out.printf("%-40s # %s%n", v.name() + " = " + text, v.source());
    }
    out.println();
    out.println("# resolved");
    out.println(
        "# amqp hosts:   "
            + String.join(", ", config.amqp().hosts().stream().map(AmqpHost::toString).toList()));
    out.println("# virtual host: " + config.amqp().virtualHost());
    var max = config.amqp().retry().maxRetries();
    out.println(
        "# max retries:  " + (max.isPresent() ? Integer.toString(max.getAsInt()) : "forever"));
    var retry = config.amqp().retry();
    out.println(
        "# retry interval: "
            + seconds(retry.effectiveInterval())
            + " s"
            + (retry.effectiveInterval().equals(retry.interval())
                ? ""
                : " (rabbit_retry_interval = " + seconds(retry.interval()) + " acts as 1 s)"));
    out.println(
        "# galera nodes: "
            + config
                .galera()
                .map(g -> g.nodes().toString())
                .orElse("none (no [database] connection)"));
    config.galera().ifPresent(g -> out.println("# galera tls:   " + tlsText(g.tls())));
  }
}

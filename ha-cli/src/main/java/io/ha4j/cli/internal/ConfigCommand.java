package io.ha4j.cli.internal;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.ConfigValue;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.HaConfig;
import io.ha4j.testkit.internal.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code ha4j config}: the effective configuration with sources; secrets as {@code ***}. */
final class ConfigCommand {

  private static final Set<String> VALUED = Set.of("config-file", "config-dir");
  private static final Set<String> BOOL = Set.of("json");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  ConfigCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  int run(List<String> argv) {
    Args args = Args.parse(argv, VALUED, BOOL);
    if (!args.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
    }
    HaConfig config = load(args, env);
    if (args.has("json")) {
      out.println(Json.write(toJson(config)));
    } else {
      printText(config);
    }
    Cli.printProblems(err, config.warnings());
    return 0;
  }

  /** Loads the configuration named by {@code --config-file} / {@code --config-dir}, in order. */
  static HaConfig load(Args args, Map<String, String> env) {
    HaConfig.Loader loader = HaConfig.loader().environment(env).systemProperties();
    List<String> files = new ArrayList<>(args.all("config-file"));
    List<String> dirs = new ArrayList<>(args.all("config-dir"));
    for (String flag : args.order()) {
      if (flag.equals("config-file")) {
        loader.configFile(Path.of(files.remove(0)));
      } else if (flag.equals("config-dir")) {
        loader.configDir(Path.of(dirs.remove(0)));
      }
    }
    return loader.load();
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
    resolved.put(
        "galera_nodes",
        config
            .galera()
            .map(g -> g.nodes().stream().map(ConfigCommand::node).toList())
            .orElse(List.of()));
    root.put("resolved", resolved);
    root.put("warnings", config.warnings().stream().map(Object::toString).toList());
    return root;
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
    out.println(
        "# galera nodes: "
            + config
                .galera()
                .map(g -> g.nodes().toString())
                .orElse("none (no [database] connection)"));
  }
}

package io.ha4j.testkit;

import io.ha4j.testkit.internal.Json;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of the kit ({@code scripts/cluster}):
 *
 * <pre>
 * cluster rabbit|galera up [--nodes N] [--name NAME]
 * cluster galera up --evs-suspect 2s --evs-inactive 4s
 * cluster rabbit|galera kill|pause|resume|stop|start|isolate|heal N [--name NAME]
 * cluster rabbit|galera status|down [--name NAME]
 * </pre>
 *
 * Clusters live in {@code --dir} (default {@code $HA4J_CLUSTER_DIR} or {@code .ha4j/clusters}) and
 * keep running after the command exits. {@code --help} prints the usage. Exit 0 on success, 1 on
 * failure, 2 on bad arguments (one line on stderr saying what is wrong).
 *
 * @since 0.1.0
 */
public final class ClusterCommand {

  static final String USAGE =
      String.join(
          "\n",
          "usage: cluster rabbit|galera up [--nodes N] [--name NAME] [--dir DIR]",
          "       cluster galera up [--evs-suspect DURATION --evs-inactive DURATION] ...",
          "       cluster rabbit|galera kill|pause|resume|stop|start|isolate|heal N [--name NAME]",
          "       cluster rabbit|galera status|down [--name NAME] [--dir DIR]",
          "       cluster --help",
          "",
          "Starts real local RabbitMQ (rabbit) or MariaDB Galera (galera) clusters on 127.0.0.x",
          "ports, injects faults into node N (1-based) and shows their state. Every command prints",
          "one line of JSON on stdout (ports, pids, state). Clusters keep running after the",
          "command exits, until 'cluster KIND down'.",
          "",
          "commands:",
          "  up        start a cluster and wait until it is healthy; print its nodes",
          "  status    every node's state (running, paused, isolated, membership)",
          "  down      stop every node and delete the cluster's directory",
          "  kill N    SIGKILL node N's server",
          "  pause N   SIGSTOP node N's server       resume N  SIGCONT it",
          "  stop N    stop node N cleanly           start N   start it again",
          "  isolate N cut node N's address off with iptables   heal N  remove those rules",
          "",
          "options:",
          "  --nodes N    nodes of a new cluster, 1-9 (default 3)",
          "  --name NAME  the cluster's name: letters, digits, '.', '_', '-' (default 'default')",
          "  --dir DIR    where clusters live (default $HA4J_CLUSTER_DIR or .ha4j/clusters)",
          "  --evs-suspect D, --evs-inactive D",
          "               galera up only, both together: Galera's evs.suspect_timeout and",
          "               evs.inactive_timeout (default 5s and 15s), e.g. 2s and 4s or 1500ms;",
          "               suspect at least 1s, inactive longer than suspect and at most 10m.",
          "               Survivors drop a killed node after about the suspect timeout.",
          "  -h, --help   print this help",
          "",
          "exit codes: 0 ok, 1 the operation failed, 2 bad arguments");

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)(ms|s|m)");

  private static final List<String> NODE_VERBS =
      List.of("kill", "pause", "resume", "stop", "start", "isolate", "heal");

  private ClusterCommand() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.println(USAGE);
      return 0;
    }
    Args a;
    try {
      a = Args.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("cluster: " + e.getMessage() + " (see 'cluster --help')");
      return 2;
    }
    try {
      Path stateDir = a.dir.resolve(a.kind + "-" + a.name);
      switch (a.verb) {
        case "up" -> {
          LocalCluster<?> c =
              a.kind.equals("rabbit")
                  ? RabbitCluster.builder()
                      .name(a.name)
                      .nodes(a.nodes)
                      .baseDir(a.dir)
                      .ownership(LocalCluster.Ownership.DETACHED)
                      .start()
                  : galeraBuilder(a)
                      .name(a.name)
                      .nodes(a.nodes)
                      .baseDir(a.dir)
                      .ownership(LocalCluster.Ownership.DETACHED)
                      .start();
          out.println(c.describeJson());
        }
        case "down" -> {
          if (!Files.exists(stateDir)) {
            err.println("cluster: no " + a.kind + " cluster named " + a.name + " in " + a.dir);
            return 1;
          }
          LocalCluster.reap(stateDir);
          LocalCluster<?> c = attachOrNull(a.kind, stateDir);
          if (c != null) {
            c.down();
          } else {
            LocalCluster.deleteTree(stateDir);
          }
          Map<String, Object> m = new LinkedHashMap<>(); // same key order on every run
          m.put("kind", a.kind);
          m.put("name", a.name);
          m.put("down", true);
          out.println(Json.write(m));
        }
        case "status" -> out.println(Json.write(attach(a.kind, stateDir).status()));
        default -> {
          LocalCluster<?> c = attach(a.kind, stateDir);
          if (a.node < 1 || a.node > c.nodes().size()) {
            err.println(
                "cluster: node must be between 1 and " + c.nodes().size() + ", was " + a.node);
            return 2;
          }
          LocalNode n = c.node(a.node);
          switch (a.verb) {
            case "kill" -> n.kill();
            case "pause" -> n.pause();
            case "resume" -> n.resume();
            case "stop" -> n.stop();
            case "start" -> n.start();
            case "isolate" -> n.isolate();
            case "heal" -> n.heal();
            default -> throw new IllegalStateException(a.verb);
          }
          out.println(Json.write(n.baseJson()));
        }
      }
      return 0;
    } catch (ClusterException | io.ha4j.testkit.Waits.TimeoutException e) {
      err.println("cluster: " + e.getMessage());
      return 1;
    }
  }

  private static GaleraCluster.Builder galeraBuilder(Args a) {
    GaleraCluster.Builder b = GaleraCluster.builder();
    return a.evsSuspect == null ? b : b.evsTimeouts(a.evsSuspect, a.evsInactive);
  }

  private static LocalCluster<?> attach(String kind, Path stateDir) {
    if (!Files.exists(stateDir.resolve(LocalCluster.PROPERTIES))) {
      throw new ClusterException(
          "no " + kind + " cluster in " + stateDir + "; start one with: cluster " + kind + " up");
    }
    return kind.equals("rabbit") ? RabbitCluster.attach(stateDir) : GaleraCluster.attach(stateDir);
  }

  private static LocalCluster<?> attachOrNull(String kind, Path stateDir) {
    try {
      return attach(kind, stateDir);
    } catch (RuntimeException e) {
      return null;
    }
  }

  record Args(
      String kind,
      String verb,
      int node,
      int nodes,
      String name,
      Path dir,
      Duration evsSuspect,
      Duration evsInactive) {
    static Args parse(String[] argv) {
      List<String> pos = new ArrayList<>();
      Duration evsSuspect = null;
      Duration evsInactive = null;
      int nodes = 3;
      String name = "default";
      String envDir = System.getenv("HA4J_CLUSTER_DIR");
      Path dir = Path.of(envDir != null && !envDir.isBlank() ? envDir : ".ha4j/clusters");
      for (int i = 0; i < argv.length; i++) {
        String s = argv[i];
        switch (s) {
          case "--nodes" -> nodes = intArg("--nodes", value(argv, ++i, s));
          case "--name" -> name = value(argv, ++i, s);
          case "--dir" -> dir = Path.of(value(argv, ++i, s));
          case "--evs-suspect" -> evsSuspect = durationArg(s, value(argv, ++i, s));
          case "--evs-inactive" -> evsInactive = durationArg(s, value(argv, ++i, s));
          default -> {
            if (s.startsWith("-")) {
              throw new IllegalArgumentException("unknown option " + s);
            }
            pos.add(s);
          }
        }
      }
      if (pos.size() < 2) {
        throw new IllegalArgumentException("missing " + (pos.isEmpty() ? "kind" : "command"));
      }
      String kind = pos.get(0);
      if (!kind.equals("rabbit") && !kind.equals("galera")) {
        throw new IllegalArgumentException("kind must be rabbit or galera, was '" + kind + "'");
      }
      String verb = pos.get(1);
      int node = 0;
      if (NODE_VERBS.contains(verb)) {
        if (pos.size() != 3) {
          throw new IllegalArgumentException(verb + " needs a node number");
        }
        node = intArg("node", pos.get(2));
      } else if (List.of("up", "down", "status").contains(verb)) {
        if (pos.size() != 2) {
          throw new IllegalArgumentException("unexpected argument '" + pos.get(2) + "'");
        }
      } else {
        throw new IllegalArgumentException("unknown command '" + verb + "'");
      }
      if (nodes < 1 || nodes > 9) {
        throw new IllegalArgumentException("--nodes must be between 1 and 9, was " + nodes);
      }
      if (!name.matches("[A-Za-z0-9_.-]{1,40}")) {
        throw new IllegalArgumentException("--name must be 1-40 letters, digits, '.', '_' or '-'");
      }
      if (evsSuspect != null || evsInactive != null) {
        if (!kind.equals("galera") || !verb.equals("up")) {
          throw new IllegalArgumentException(
              "--evs-suspect and --evs-inactive apply to 'galera up' only");
        }
        if (evsSuspect == null || evsInactive == null) {
          throw new IllegalArgumentException(
              "--evs-suspect and --evs-inactive must be given together");
        }
        try {
          GaleraCluster.builder().evsTimeouts(evsSuspect, evsInactive);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "--evs-suspect "
                  + format(evsSuspect)
                  + " --evs-inactive "
                  + format(evsInactive)
                  + ": "
                  + e.getMessage(),
              e);
        }
      }
      return new Args(kind, verb, node, nodes, name, dir.toAbsolutePath(), evsSuspect, evsInactive);
    }

    /** {@code 2s}, {@code 1.5s}, {@code 1500ms} or {@code 1m}. */
    static Duration durationArg(String opt, String v) {
      Matcher m = DURATION.matcher(v);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            opt + " must be a duration such as 2s, 1.5s, 1500ms or 1m, was '" + v + "'");
      }
      BigDecimal n = new BigDecimal(m.group(1));
      BigDecimal millis =
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n.multiply(BigDecimal.valueOf(1000));
            default -> n.multiply(BigDecimal.valueOf(60_000));
          };
      try {
        return Duration.ofMillis(millis.longValueExact());
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(opt + " must be whole milliseconds, was '" + v + "'", e);
      }
    }

    private static String format(Duration d) {
      return d.toMillis() + "ms";
    }

    private static String value(String[] argv, int i, String opt) {
      if (i >= argv.length) {
        throw new IllegalArgumentException(opt + " needs a value");
      }
      return argv[i];
    }

    private static int intArg(String what, String v) {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(what + " must be a number, was '" + v + "'");
      }
    }
  }
}

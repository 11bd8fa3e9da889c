package io.ha4j.testkit;

import io.ha4j.testkit.internal.Json;
import io.ha4j.testkit.internal.Procs;
import io.ha4j.testkit.internal.Slots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A RabbitMQ cluster of real {@code rabbitmq-server} processes on this machine: node {@code i} is
 * {@code rabbit<i>@rnode<i>} on its own address {@code 127.0.<slot>.1<i>}, with a private epmd,
 * {@code net_ticktime = 10} and {@code pause_minority}. Ready when every node reports all nodes
 * running and no partition.
 *
 * <pre>{@code
 * try (RabbitCluster rabbit = RabbitCluster.builder().nodes(3).start()) {
 *   rabbit.node(1).kill();
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RabbitCluster extends LocalCluster<RabbitCluster.RabbitNode> {

  static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
  static final Path CTL = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");
  static final Duration CTL_TIMEOUT = Duration.ofSeconds(30);

  /** Default time allowed for the whole cluster to start. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);

  private RabbitCluster(String name, Path baseDir, int nodeCount, Ownership ownership) {
    super("rabbit", name, baseDir, nodeCount, ownership);
    for (int i = 1; i <= nodeCount; i++) {
      nodes.add(new RabbitNode(this, i));
    }
  }

  private RabbitCluster(Path stateDir, java.util.Properties props) {
    super(stateDir, props);
    int n = Integer.parseInt(props.getProperty("nodes"));
    for (int i = 1; i <= n; i++) {
      nodes.add(new RabbitNode(this, i));
    }
  }

  /** A builder with 3 nodes, name "default" and the build directory as base. */
  public static Builder builder() {
    return new Builder();
  }

  /** Re-opens a cluster started earlier (for example by {@code scripts/cluster}). */
  public static RabbitCluster attach(Path stateDir) {
    return new RabbitCluster(stateDir, readProperties(stateDir));
  }

  /** Builds and starts {@link RabbitCluster}s. Reusable; not thread-safe. */
  public static final class Builder extends LocalCluster.Builder<Builder, RabbitCluster> {
    private Builder() {}

    @Override
    public RabbitCluster start() {
      TestKit.requireRabbitMq();
      RabbitCluster c = new RabbitCluster(name, baseDir, nodes, ownership);
      try {
        c.create();
        c.startAll(startTimeout);
        return c;
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
    }
  }

  int basePort() {
    return Slots.basePort(slot);
  }

  int epmdPort() {
    return basePort() + 1;
  }

  Path home() {
    return stateDir.resolve("home");
  }

  private void create() {
    try {
      Files.createDirectories(home());
      byte[] cookie = new byte[20];
      new SecureRandom().nextBytes(cookie);
      Path cookieFile = home().resolve(".erlang.cookie");
      Files.writeString(cookieFile, HexFormat.of().formatHex(cookie).toUpperCase());
      Files.setPosixFilePermissions(cookieFile, PosixFilePermissions.fromString("r--------"));
      StringBuilder inetrc = new StringBuilder();
      for (RabbitNode n : nodes) {
        inetrc
            .append("{host, {")
            .append(n.address.replace('.', ','))
            .append("}, [\"")
            .append(n.hostName())
            .append("\"]}.\n");
      }
      inetrc.append("{lookup, [file, native]}.\n");
      Files.writeString(stateDir.resolve("inetrc"), inetrc);
      Files.writeString(stateDir.resolve("advanced.config"), "[].\n");
      Files.writeString(stateDir.resolve("enabled_plugins"), "[].\n");
      Files.writeString(stateDir.resolve("rabbitmq-env.conf"), "");
      for (RabbitNode n : nodes) {
        n.create();
      }
    } catch (IOException e) {
      throw new ClusterException(
          "cannot write the configuration of " + this + ": " + e.getMessage(), e);
    }
    saveProperties();
  }

  private void startAll(Duration timeout) {
    startEpmd();
    nodes.forEach(n -> n.launch(List.of()));
    awaitHealthy(timeout);
  }

  /** Our own epmd on a private port, so that no machine-wide epmd is used or started. */
  private void startEpmd() {
    StringBuilder addrs = new StringBuilder("127.0.0.1");
    nodes.forEach(n -> addrs.append(',').append(n.address));
    try {
      Path log = stateDir.resolve("epmd.log");
      Procs.ProcId id =
          Procs.spawn(
              List.of("epmd", "-port", Integer.toString(epmdPort()), "-address", addrs.toString()),
              Map.of(),
              log);
      Files.writeString(stateDir.resolve("epmd.group.pid"), id.toString());
    } catch (IOException e) {
      throw new ClusterException("cannot start epmd for " + this + ": " + e.getMessage(), e);
    }
  }

  boolean epmdAlive() {
    try {
      Path f = stateDir.resolve("epmd.group.pid");
      return Files.exists(f) && Procs.ProcId.parse(Files.readString(f)).alive();
    } catch (IOException e) {
      return false;
    }
  }

  Map<String, String> erlangEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", home().toString());
    env.put("ERL_EPMD_PORT", Integer.toString(epmdPort()));
    env.put("ERL_INETRC", stateDir.resolve("inetrc").toString());
    return env;
  }

  /** Runs {@code rabbitmqctl -n <node> args…} against this cluster. */
  Procs.Result ctl(RabbitNode target, List<String> args) {
    if (!epmdAlive()) {
      // rabbitmqctl would start a machine-wide epmd of its own on our port.
      return new Procs.Result(1, "", "epmd of " + this + " is not running", false);
    }
    List<String> cmd = new ArrayList<>(List.of(CTL.toString(), "-n", target.nodeName()));
    cmd.addAll(args);
    return Procs.run(cmd, erlangEnvironment(), CTL_TIMEOUT);
  }

  @Override
  public void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (RabbitNode n : nodes) {
      n.awaitServerReady(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
    try {
      Waits.until(
          this + " to report " + nodes.size() + " running nodes and no partition on every node",
          Duration.ofNanos(Math.max(1, deadline - System.nanoTime())),
          Duration.ofMillis(500),
          () -> {
            for (RabbitNode n : nodes) {
              Optional<ClusterStatus> st = n.clusterStatus();
              if (st.isEmpty()) {
                return Waits.Poll.notYet("node " + n.index + " does not answer rabbitmqctl");
              }
              if (st.get().runningNodes().size() != nodes.size()
                  || !st.get().partitions().isEmpty()) {
                return Waits.Poll.notYet("node " + n.index + " reports " + st.get());
              }
            }
            return Waits.Poll.done();
          });
    } catch (Waits.TimeoutException e) {
      StringBuilder tails = new StringBuilder(e.getMessage());
      nodes.forEach(
          n -> tails.append("\n--- ").append(n.logFile()).append(":\n").append(n.logTail(15)));
      throw new ClusterException(tails.toString(), e);
    }
  }

  /** How long a healed or resumed cluster may take to merge before nodes are restarted. */
  static final Duration MERGE_GRACE = Duration.ofSeconds(25);

  @Override
  public void restoreHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<RabbitNode> faulted = restoreBasics();
    for (RabbitNode n : nodes) {
      if (!n.isRunning()) {
        n.start();
      }
    }
    if (tryAwaitHealthy(MERGE_GRACE)) {
      return;
    }
    // A node paused or cut off longer than net_ticktime leaves a partition that
    // pause_minority heals only sometimes (3.10): restart the faulted nodes first, then any
    // other node that still does not see the whole cluster.
    for (RabbitNode n : faulted) {
      restart(n);
    }
    if (tryAwaitHealthy(MERGE_GRACE)) {
      return;
    }
    for (RabbitNode n : nodes) {
      if (!sees(n, nodes.size())) {
        restart(n);
      }
    }
    awaitHealthy(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
  }

  private boolean tryAwaitHealthy(Duration d) {
    try {
      awaitHealthy(d);
      return true;
    } catch (ClusterException e) {
      return false;
    }
  }

  private static boolean sees(RabbitNode n, int size) {
    Optional<ClusterStatus> st = n.clusterStatus();
    return st.isPresent()
        && st.get().runningNodes().size() == size
        && st.get().partitions().isEmpty();
  }

  private static void restart(RabbitNode n) {
    if (n.isRunning()) {
      n.kill();
    }
    n.start();
  }

  /**
   * The node that leads the quorum queue {@code queue} in the default virtual host, as seen by the
   * first node that answers.
   */
  public Optional<RabbitNode> quorumLeader(String queue) {
    for (RabbitNode n : nodes) {
      if (!n.isRunning() || n.isPaused() || n.isIsolated()) {
        continue;
      }
      Procs.Result r =
          ctl(
              n,
              List.of("list_queues", "name", "type", "leader", "--formatter", "json", "--quiet"));
      if (!r.ok()) {
        continue;
      }
      for (Object o : (List<?>) Json.parse(r.stdout())) {
        Map<?, ?> q = (Map<?, ?>) o;
        if (queue.equals(q.get("name"))) {
          Object leader = q.get("leader");
          return nodes.stream().filter(x -> x.nodeName().equals(leader)).findFirst();
        }
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The user every node accepts (RabbitMQ's default, allowed from any address here). */
  public String user() {
    return "guest";
  }

  /** The password of {@link #user()}. */
  public String password() {
    return "guest";
  }

  /**
   * An oslo.messaging {@code transport_url} naming every node in index order, with the user and the
   * default virtual host: {@code rabbit://guest:guest@127.0.0.11:20011,guest:guest@…/}.
   *
   * @since 0.1.0
   */
  public String transportUrl() {
    String userInfo = TestKit.userInfo(user(), password());
    List<String> hosts = new ArrayList<>();
    for (String hp : hostsAndPorts()) {
      hosts.add(userInfo + "@" + hp);
    }
    return "rabbit://" + String.join(",", hosts) + "/";
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = baseDescription();
    m.put("epmd_port", epmdPort());
    m.put("user", user());
    m.put("password", password());
    m.put("vhost", "/");
    List<Object> ns = new ArrayList<>();
    for (RabbitNode n : nodes) {
      Map<String, Object> j = n.baseJson();
      j.put("node_name", n.nodeName());
      j.put("dist_port", n.distPort());
      ns.add(j);
    }
    m.put("nodes", ns);
    return m;
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> m = baseDescription();
    List<Object> ns = new ArrayList<>();
    for (RabbitNode n : nodes) {
      Map<String, Object> j = n.baseJson();
      j.put("node_name", n.nodeName());
      Optional<ClusterStatus> st =
          n.isRunning() && !n.isPaused() && !n.isIsolated() ? n.clusterStatus() : Optional.empty();
      j.put("running_nodes", st.map(ClusterStatus::runningNodes).orElse(null));
      j.put("partitions", st.map(ClusterStatus::partitions).orElse(null));
      ns.add(j);
    }
    m.put("nodes", ns);
    return m;
  }

  @Override
  void deleteData() {
    for (RabbitNode n : nodes) {
      deleteTree(n.dir.resolve("mnesia"));
    }
  }

  /**
   * What one node reports of its cluster.
   *
   * @param runningNodes names of the nodes it sees running
   * @param partitions names of the nodes it reports in a partition
   */
  public record ClusterStatus(List<String> runningNodes, List<String> partitions) {}

  /**
   * One RabbitMQ node: {@code rabbit<i>@rnode<i>} on {@code 127.0.<slot>.1<i>}.
   *
   * @since 0.1.0
   */
  public static final class RabbitNode extends LocalNode {

    private final RabbitCluster rabbit;

    RabbitNode(RabbitCluster cluster, int index) {
      super(
          cluster,
          index,
          "127.0." + cluster.slot + "." + (10 + index),
          cluster.stateDir.resolve("node" + index));
      this.rabbit = cluster;
    }

    /** The Erlang node name, {@code rabbit<i>@rnode<i>}. */
    public String nodeName() {
      return "rabbit" + index + "@" + hostName();
    }

    String hostName() {
      return "rnode" + index;
    }

    @Override
    public int port() {
      return rabbit.basePort() + 10 + index;
    }

    int distPort() {
      return rabbit.basePort() + 20 + index;
    }

    @Override
    public Path logFile() {
      return dir.resolve("log").resolve(nodeName() + ".log");
    }

    void create() throws IOException {
      Files.createDirectories(dir.resolve("mnesia"));
      Files.createDirectories(dir.resolve("log"));
      StringBuilder conf = new StringBuilder();
      conf.append("listeners.tcp.1 = ").append(hostAndPort()).append('\n');
      conf.append("net_ticktime = 10\n");
      conf.append("cluster_partition_handling = pause_minority\n");
      conf.append("loopback_users = none\n");
      conf.append("cluster_formation.peer_discovery_backend = classic_config\n");
      for (RabbitNode n : rabbit.nodes) {
        conf.append("cluster_formation.classic_config.nodes.")
            .append(n.index)
            .append(" = ")
            .append(n.nodeName())
            .append('\n');
      }
      Files.writeString(dir.resolve("rabbitmq.conf"), conf);
    }

    @Override
    String serverComm() {
      return "beam.smp";
    }

    @Override
    List<String> launchCommand(List<String> extraArgs) {
      List<String> cmd = new ArrayList<>(List.of(SERVER.toString()));
      cmd.addAll(extraArgs);
      return cmd;
    }

    @Override
    Map<String, String> launchEnvironment() {
      Map<String, String> env = rabbit.erlangEnvironment();
      Path s = rabbit.stateDir;
      env.put("RABBITMQ_NODENAME", nodeName());
      env.put("RABBITMQ_NODE_IP_ADDRESS", address);
      env.put("RABBITMQ_NODE_PORT", Integer.toString(port()));
      env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort()));
      env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
      env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
      env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
      env.put("RABBITMQ_ADVANCED_CONFIG_FILE", s.resolve("advanced.config").toString());
      env.put("RABBITMQ_ENABLED_PLUGINS_FILE", s.resolve("enabled_plugins").toString());
      env.put("RABBITMQ_CONF_ENV_FILE", s.resolve("rabbitmq-env.conf").toString());
      env.put("RABBITMQ_PID_FILE", dir.resolve("beam.pid").toString());
      String ip = "{" + address.replace('.', ',') + "}";
      // Bind distribution to the node's own address in both directions, so that cutting the
      // address with iptables is a real partition.
      env.put(
          "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
          "-kernel inet_dist_use_interface "
              + ip
              + " -kernel inet_dist_connect_options [{ip,"
              + ip
              + "}]");
      return env;
    }

    @Override
    void awaitServerReady(Duration timeout) {
      // The AMQP listener opens last in the boot sequence; no rabbitmqctl polling (each call
      // costs ~0.5 CPU-s and slows the boot of the other nodes).
      await(
          "to accept AMQP connections",
          timeout,
          () ->
              io.ha4j.testkit.internal.AmqpProbe.answers(address, port(), 1000)
                  ? Waits.Poll.done()
                  : deadOrNotYet("AMQP port " + port() + " does not answer"));
    }

    @Override
    public void start() {
      if (isRunning()) {
        return;
      }
      if (!rabbit.epmdAlive()) {
        rabbit.startEpmd();
      }
      launch(List.of());
      awaitServerReady(DEFAULT_START_TIMEOUT);
    }

    /**
     * What this node reports with {@code rabbitmqctl cluster_status}; empty if it does not answer.
     */
    public Optional<ClusterStatus> clusterStatus() {
      if (!isRunning() || isPaused()) {
        return Optional.empty();
      }
      Procs.Result r = rabbit.ctl(this, List.of("cluster_status", "--formatter", "json"));
      if (!r.ok()) {
        return Optional.empty();
      }
      try {
        Map<?, ?> m = (Map<?, ?>) Json.parse(r.stdout());
        List<String> running = strings(m.get("running_nodes"));
        List<String> partitioned = new ArrayList<>();
        Object p = m.get("partitions");
        if (p instanceof Map<?, ?> pm) {
          pm.forEach(
              (k, v) -> {
                partitioned.add(String.valueOf(k));
                partitioned.addAll(strings(v));
              });
        } else {
          partitioned.addAll(strings(p));
        }
        return Optional.of(
            new ClusterStatus(
                running.stream().sorted().toList(),
                partitioned.stream().distinct().sorted().toList()));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }

    /**
     * Runs {@code rabbitmqctl -n <this node> args…} (e.g. {@code set_vm_memory_high_watermark 0} to
     * raise a memory alarm) and returns its standard output.
     *
     * @throws ClusterException if it fails or times out
     */
    public String ctl(String... args) {
      Procs.Result r = rabbit.ctl(this, List.of(args));
      if (!r.ok()) {
        throw new ClusterException(
            "rabbitmqctl " + String.join(" ", args) + " on node " + index + ": " + r.describe());
      }
      return r.stdout();
    }

    /** Names of the nodes this node sees running (empty if it does not answer). */
    public List<String> runningNodes() {
      return clusterStatus().map(ClusterStatus::runningNodes).orElse(List.of());
    }

    /** Nodes this node reports as partitioned (empty if none or it does not answer). */
    public List<String> partitions() {
      return clusterStatus().map(ClusterStatus::partitions).orElse(List.of());
    }

    private static List<String> strings(Object o) {
      List<String> out = new ArrayList<>();
      if (o instanceof List<?> l) {
        l.forEach(x -> out.add(String.valueOf(x)));
      }
      return out;
    }
  }
}

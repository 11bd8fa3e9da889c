package io.ha4j.testkit;

import io.ha4j.testkit.internal.Slots;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        RabbitConfig.create(c);
        RabbitLifecycle.startAll(c, startTimeout);
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

  @Override
  public void awaitHealthy(Duration timeout) {
    RabbitLifecycle.awaitHealthy(this, timeout);
  }

  @Override
  public void restoreHealthy(Duration timeout) {
    RabbitLifecycle.restoreHealthy(this, timeout);
  }

  /**
   * The node that leads the quorum queue {@code queue} in the default virtual host, as seen by the
   * first node that answers.
   */
  public Optional<RabbitNode> quorumLeader(String queue) {
    return RabbitCtl.quorumLeader(this, queue);
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

    final RabbitCluster rabbit;

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
      return RabbitConfig.nodeEnvironment(this);
    }

    @Override
    void awaitServerReady(Duration timeout) {
      RabbitLifecycle.awaitAmqp(this, timeout);
    }

    @Override
    public void start() {
      RabbitLifecycle.start(this);
    }

    /**
     * What this node reports with {@code rabbitmqctl cluster_status}; empty if it does not answer.
     */
    public Optional<ClusterStatus> clusterStatus() {
      return RabbitCtl.clusterStatus(this);
    }

    /**
     * Runs {@code rabbitmqctl -n <this node> args…} (e.g. {@code set_vm_memory_high_watermark 0} to
     * raise a memory alarm) and returns its standard output.
     *
     * @throws ClusterException if it fails or times out
     */
    public String ctl(String... args) {
      return RabbitCtl.runOrThrow(this, args);
    }

    /** Names of the nodes this node sees running (empty if it does not answer). */
    public List<String> runningNodes() {
      return clusterStatus().map(ClusterStatus::runningNodes).orElse(List.of());
    }

    /** Nodes this node reports as partitioned (empty if none or it does not answer). */
    public List<String> partitions() {
      return clusterStatus().map(ClusterStatus::partitions).orElse(List.of());
    }
  }
}

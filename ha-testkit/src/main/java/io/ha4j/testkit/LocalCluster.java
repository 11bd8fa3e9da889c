package io.ha4j.testkit;

import io.ha4j.testkit.internal.Iptables;
import io.ha4j.testkit.internal.Json;
import io.ha4j.testkit.internal.Procs;
import io.ha4j.testkit.internal.Slots;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A cluster of real server processes on this machine, in a state directory that later calls (and
 * later runs, after a crash) can find. Each cluster owns one slot: its own loopback addresses,
 * ports and iptables tag, so several clusters can run side by side.
 *
 * <p>A cluster started from a JVM ({@link Ownership#JVM}) is killed by a shutdown hook when the JVM
 * exits, and by the next start of any cluster if the JVM died without running it. A cluster started
 * for the command line ({@link Ownership#DETACHED}) keeps running until {@code down}.
 *
 * @param <N> the node type
 * @since 0.1.0
 */
public abstract class LocalCluster<N extends LocalNode> implements AutoCloseable {

  /** Who keeps a cluster alive. */
  public enum Ownership {
    /** Stopped when this JVM exits. */
    JVM,
    /** Left running after this JVM exits, until {@link #down()}. */
    DETACHED
  }

  /**
   * What both cluster builders take. Reusable; not thread-safe.
   *
   * @param <B> the concrete builder
   * @param <C> the cluster it starts
   */
  public abstract static class Builder<B extends Builder<B, C>, C extends LocalCluster<?>> {
    int nodes = 3;
    String name = "default";
    Path baseDir = TestKit.defaultBaseDir();
    Duration startTimeout = Duration.ofSeconds(180);
    Ownership ownership = Ownership.JVM;

    Builder() {}

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** Number of nodes, 1 to 9 (default 3). */
    public B nodes(int nodes) {
      if (nodes < 1 || nodes > 9) {
        throw new IllegalArgumentException("nodes must be between 1 and 9, was " + nodes);
      }
      this.nodes = nodes;
      return self();
    }

    /** Cluster name, unique per kind in the base directory (default "default"). */
    public B name(String name) {
      this.name = java.util.Objects.requireNonNull(name, "name");
      return self();
    }

    /** Where the cluster's state directory goes (default: the build directory). */
    public B baseDir(Path baseDir) {
      this.baseDir = java.util.Objects.requireNonNull(baseDir, "baseDir");
      return self();
    }

    /** Time allowed for the cluster to become ready (default 180 s). */
    public B startTimeout(Duration startTimeout) {
      this.startTimeout = java.util.Objects.requireNonNull(startTimeout, "startTimeout");
      return self();
    }

    /** Whether the cluster dies with this JVM (default) or is left running. */
    public B ownership(Ownership ownership) {
      this.ownership = java.util.Objects.requireNonNull(ownership, "ownership");
      return self();
    }

    /** Starts the cluster and waits until it is ready; on failure nothing is left running. */
    public abstract C start();
  }

  static final String PROPERTIES = "cluster.properties";
  private static final Set<LocalCluster<?>> OWNED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> OWNED.forEach(LocalCluster::closeQuietly), "ha4j-testkit-shutdown"));
  }

  final String kind;
  final String name;
  final Path stateDir;
  final int slot;
  final String runId;
  final Properties props;
  final List<N> nodes = new ArrayList<>();

  /** Creates the state of a new cluster, claiming a slot; nodes are added by the subclass. */
  LocalCluster(String kind, String name, Path baseDir, int nodeCount, Ownership ownership) {
    // nodeCount is checked by Builder.nodes(), the only way in.
    if (!name.matches("[A-Za-z0-9_.-]{1,40}")) {
      throw new IllegalArgumentException(
          "cluster name must be 1-40 letters, digits, '.', '_' or '-', was '" + name + "'");
    }
    this.kind = kind;
    this.name = name;
    this.stateDir = baseDir.toAbsolutePath().resolve(kind + "-" + name);
    if (Files.exists(stateDir)) {
      // A cluster of this name from an earlier run: make sure nothing of it survives.
      reap(stateDir);
      deleteTree(stateDir);
    }
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw new ClusterException("cannot create " + stateDir + ": " + e.getMessage(), e);
    }
    Optional<Procs.ProcId> owner =
        ownership == Ownership.JVM
            ? Procs.ProcId.of(ProcessHandle.current().pid())
            : Optional.empty();
    this.slot = Slots.claim(kind, stateDir, owner, claim -> reap(claim.stateDir()));
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    this.runId = "ha4j-" + kind + "-" + slot + "-" + HexFormat.of().formatHex(random);
    this.props = new Properties();
    props.setProperty("kind", kind);
    props.setProperty("name", name);
    props.setProperty("slot", Integer.toString(slot));
    props.setProperty("runId", runId);
    props.setProperty("nodes", Integer.toString(nodeCount));
    if (ownership == Ownership.JVM) {
      OWNED.add(this);
    }
  }

  /** Re-opens a cluster from its state directory (no process is started). */
  LocalCluster(Path stateDir, Properties props) {
    this.stateDir = stateDir.toAbsolutePath();
    this.props = props;
    this.kind = props.getProperty("kind");
    this.name = props.getProperty("name");
    this.slot = Integer.parseInt(props.getProperty("slot"));
    this.runId = props.getProperty("runId");
  }

  static Properties readProperties(Path stateDir) {
    Path f = stateDir.resolve(PROPERTIES);
    if (!Files.exists(f)) {
      throw new ClusterException("no cluster in " + stateDir + " (missing " + PROPERTIES + ")");
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(f)) {
      p.load(in);
    } catch (IOException e) {
      throw new ClusterException("cannot read " + f + ": " + e.getMessage(), e);
    }
    return p;
  }

  void saveProperties() {
    try (var out = Files.newBufferedWriter(stateDir.resolve(PROPERTIES))) {
      props.store(out, "ha4j test kit cluster");
    } catch (IOException e) {
      throw new ClusterException("cannot write " + stateDir.resolve(PROPERTIES), e);
    }
  }

  /** "rabbit" or "galera". */
  public String kind() {
    return kind;
  }

  /** The cluster's name (unique per kind and base directory). */
  public String name() {
    return name;
  }

  /** The state directory holding configuration, data and logs of every node. */
  public Path stateDirectory() {
    return stateDir;
  }

  /** Unique id of this run; the comment of every iptables rule it adds. */
  public String runId() {
    return runId;
  }

  String tag() {
    return runId;
  }

  /** The nodes, in index order. */
  public List<N> nodes() {
    return List.copyOf(nodes);
  }

  /** Node {@code index}, from 1. */
  public N node(int index) {
    if (index < 1 || index > nodes.size()) {
      throw new IllegalArgumentException(
          "node index must be between 1 and " + nodes.size() + ", was " + index);
    }
    return nodes.get(index - 1);
  }

  /** The client endpoints as {@code host:port}, in index order. */
  public List<String> hostsAndPorts() {
    return nodes.stream().map(ClusterNode::hostAndPort).toList();
  }

  /** Waits until every node is running and the cluster is whole, or throws. */
  public abstract void awaitHealthy(Duration timeout);

  /**
   * Brings the cluster back to healthy after faults: heals, resumes and restarts nodes as needed,
   * then waits for {@link #awaitHealthy}.
   */
  public abstract void restoreHealthy(Duration timeout);

  /** Per-node and cluster state as JSON-ready maps. */
  public abstract Map<String, Object> status();

  /** The description printed by {@code scripts/cluster up}. */
  public abstract Map<String, Object> describe();

  Map<String, Object> baseDescription() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("name", name);
    m.put("run_id", runId);
    m.put("dir", stateDir.toString());
    return m;
  }

  /** {@link #describe()} as one line of JSON. */
  public String describeJson() {
    return Json.write(describe());
  }

  /** What is left of a deadline taken from {@link System#nanoTime()}, at least one nanosecond. */
  static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }

  /** A failed wait on the whole cluster, with the last lines of every node's log. */
  ClusterException withLogTails(Waits.TimeoutException e) {
    StringBuilder tails = new StringBuilder(e.getMessage());
    nodes.forEach(
        n -> tails.append("\n--- ").append(n.logFile()).append(":\n").append(n.logTail(15)));
    return new ClusterException(tails.toString(), e);
  }

  /**
   * Heals isolated and resumes paused nodes, and returns the nodes that were faulted (isolated,
   * paused or not running), so that a cluster-specific recovery can start with them.
   */
  List<N> restoreBasics() {
    List<N> faulted = new ArrayList<>();
    for (N n : nodes) {
      boolean touched = false;
      if (n.isIsolated()) {
        n.heal();
        touched = true;
      }
      if (n.isPaused()) {
        n.resume();
        touched = true;
      }
      if (touched || !n.isRunning()) {
        faulted.add(n);
      }
    }
    return faulted;
  }

  /**
   * Stops every process of the cluster (SIGKILL of each process group), removes its iptables rules
   * and frees its slot. Data directories are deleted; logs are kept for failed tests.
   */
  @Override
  public void close() {
    OWNED.remove(this);
    reap(stateDir);
    Slots.release(kind, slot, stateDir);
    deleteData();
  }

  /** Like {@link #close()}, and removes the state directory with its logs. */
  public void down() {
    close();
    deleteTree(stateDir);
  }

  abstract void deleteData();

  private static void closeQuietly(LocalCluster<?> c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      System.err.println(
          "ha4j test kit: could not close " + c.kind + " cluster " + c.name + ": " + e);
    }
  }

  /**
   * Kills every process group recorded under {@code stateDir} ({@code *group.pid} files) and
   * removes the iptables rules of its run id. Safe on a half-created or already dead cluster.
   */
  static void reap(Path stateDir) {
    Path props = stateDir.resolve(PROPERTIES);
    if (Files.exists(props)) {
      try {
        String runId = readProperties(stateDir).getProperty("runId");
        if (runId != null) {
          Iptables.removeAll(runId);
        }
      } catch (ClusterException e) {
        // unreadable properties: still kill the processes below
      }
    }
    if (!Files.isDirectory(stateDir)) {
      return;
    }
    List<Path> pidFiles;
    try (Stream<Path> s = Files.walk(stateDir, 3, FileVisitOption.FOLLOW_LINKS)) {
      pidFiles = s.filter(p -> p.getFileName().toString().endsWith("group.pid")).toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      pidFiles = List.of();
    }
    for (Path f : pidFiles) {
      try {
        Procs.killGroup(Procs.ProcId.parse(Files.readString(f)), Duration.ofSeconds(30));
      } catch (IOException | RuntimeException e) {
        // a torn pid file: nothing recorded to kill
      }
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ClusterException("cannot delete " + root + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return kind + " cluster " + name + " (" + nodes.size() + " nodes, " + runId + ")";
  }
}

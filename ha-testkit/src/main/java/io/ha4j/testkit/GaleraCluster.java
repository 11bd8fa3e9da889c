package io.ha4j.testkit;

import io.ha4j.testkit.internal.Procs;
import io.ha4j.testkit.internal.Slots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MariaDB Galera cluster of real {@code mariadbd} processes on this machine: node {@code i} on
 * its own address {@code 127.0.<slot>.2<i>} (MySQL, gcomm, IST and SST ports), rsync state
 * transfer, an application user and database. Ready when every node is Synced with the full cluster
 * size.
 *
 * @since 0.1.0
 */
public final class GaleraCluster extends LocalCluster<GaleraCluster.GaleraNode> {

  static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
  static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");

  /** Default time allowed for the whole cluster to start. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);

  private static final Pattern RECOVERED =
      Pattern.compile("Recovered position: ([0-9a-f-]{36}:-?\\d+)");

  private final Path nodeRoot;

  private GaleraCluster(String name, Path baseDir, int nodeCount, Ownership ownership) {
    super("galera", name, baseDir, nodeCount, ownership);
    this.nodeRoot = chooseNodeRoot();
    byte[] pw = new byte[12];
    new SecureRandom().nextBytes(pw);
    props.setProperty("user", "ha4j");
    props.setProperty("password", HexFormat.of().formatHex(pw));
    props.setProperty("database", "ha4j");
    props.setProperty("nodeRoot", nodeRoot.toString());
    for (int i = 1; i <= nodeCount; i++) {
      nodes.add(new GaleraNode(this, i));
    }
  }

  private GaleraCluster(Path stateDir, java.util.Properties props) {
    super(stateDir, props);
    this.nodeRoot = Path.of(props.getProperty("nodeRoot"));
    int n = Integer.parseInt(props.getProperty("nodes"));
    for (int i = 1; i <= n; i++) {
      nodes.add(new GaleraNode(this, i));
    }
  }

  /** A builder with 3 nodes, name "default" and the build directory as base. */
  public static Builder builder() {
    return new Builder();
  }

  /** Re-opens a cluster started earlier (for example by {@code scripts/cluster}). */
  public static GaleraCluster attach(Path stateDir) {
    return new GaleraCluster(stateDir, readProperties(stateDir));
  }

  /** Builds and starts {@link GaleraCluster}s. Reusable; not thread-safe. */
  public static final class Builder extends LocalCluster.Builder<Builder, GaleraCluster> {
    private Builder() {}

    @Override
    public GaleraCluster start() {
      TestKit.requireGalera();
      GaleraCluster c = new GaleraCluster(name, baseDir, nodes, ownership);
      try {
        c.create();
        c.bootstrap(startTimeout);
        return c;
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
    }
  }

  /** The application user (all privileges on {@link #database()}). */
  public String user() {
    return props.getProperty("user");
  }

  /** The application user's password. */
  public String password() {
    return props.getProperty("password");
  }

  /** The application database. */
  public String database() {
    return props.getProperty("database");
  }

  /**
   * An oslo.db {@code [database] connection} URL naming every node in index order: {@code
   * mysql+pymysql://user:password@127.0.0.21:20031,127.0.0.22:20032,…/database}.
   *
   * @since 0.1.0
   */
  public String connectionUrl() {
    return "mysql+pymysql://"
        + TestKit.userInfo(user(), password())
        + "@"
        + String.join(",", hostsAndPorts())
        + "/"
        + database();
  }

  int basePort() {
    return Slots.basePort(slot);
  }

  /**
   * As root, mariadbd drops to the mysql user (the rsync SST daemon run by root would switch to
   * nobody and fail to write), so its directories must be reachable by mysql. When the state
   * directory lies below a directory others cannot enter (/root, say), the node directories go to
   * /tmp and a link from the state directory points there.
   */
  private Path chooseNodeRoot() {
    Path wanted = stateDir.resolve("nodes");
    if (!Procs.isRoot() || traversableByOthers(stateDir)) {
      return wanted;
    }
    Path alt = Path.of("/tmp/ha4j-testkit/galera-" + runId);
    try {
      Files.createDirectories(alt);
      Files.createSymbolicLink(wanted, alt);
    } catch (IOException e) {
      throw new ClusterException("cannot create " + alt + ": " + e.getMessage(), e);
    }
    return alt;
  }

  private static boolean traversableByOthers(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      try {
        if (Files.exists(p)
            && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  String gcommAddress() {
    StringBuilder b = new StringBuilder("gcomm://");
    for (GaleraNode n : nodes) {
      if (n.index > 1) {
        b.append(',');
      }
      b.append(n.address).append(':').append(n.gcommPort());
    }
    return b.toString();
  }

  private void create() {
    saveProperties();
    try {
      Files.createDirectories(nodeRoot);
      for (GaleraNode n : nodes) {
        n.create();
      }
      if (Procs.isRoot()) {
        Procs.Result r =
            Procs.run(
                List.of("chown", "-R", "mysql:mysql", nodeRoot.toString()), Duration.ofSeconds(30));
        if (!r.ok()) {
          throw new ClusterException("cannot chown " + nodeRoot + " to mysql: " + r.describe());
        }
        if (!nodeRoot.startsWith(stateDir)) {
          Procs.run(
              List.of("chmod", "755", nodeRoot.getParent().toString()), Duration.ofSeconds(5));
        }
      }
    } catch (IOException e) {
      throw new ClusterException(
          "cannot write the configuration of " + this + ": " + e.getMessage(), e);
    }
    GaleraNode first = nodes.get(0);
    Procs.Result r =
        Procs.run(
            List.of(
                "mariadb-install-db",
                "--defaults-file=" + first.cnf(),
                "--auth-root-authentication-method=normal",
                "--skip-test-db"),
            Duration.ofSeconds(120));
    if (!r.ok()) {
      throw new ClusterException(
          "mariadb-install-db failed for " + first.describe() + ": " + r.describe());
    }
  }

  private void bootstrap(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    GaleraNode first = nodes.get(0);
    first.launch(List.of("--wsrep-new-cluster"));
    first.awaitServerReady(remaining(deadline));
    first.sql(
        "CREATE DATABASE "
            + database()
            + "; "
            + "CREATE USER '"
            + user()
            + "'@'%' IDENTIFIED BY '"
            + password()
            + "'; "
            + "GRANT ALL ON "
            + database()
            + ".* TO '"
            + user()
            + "'@'%';");
    for (GaleraNode n : nodes.subList(1, nodes.size())) {
      n.launch(List.of());
    }
    awaitHealthy(remaining(deadline));
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }

  @Override
  public void awaitHealthy(Duration timeout) {
    int size = nodes.size();
    try {
      Waits.until(
          this + " to have every node Synced in the same Primary view of size " + size,
          timeout,
          Duration.ofMillis(200),
          () -> {
            java.util.Set<Long> views = new java.util.HashSet<>();
            for (GaleraNode n : nodes) {
              WsrepStatus st = n.status();
              if (!st.healthyMemberOf(size)) {
                if (!n.isRunning()) {
                  n.deadOrNotYet("");
                }
                return Waits.Poll.notYet("node " + n.index + ": " + st);
              }
              views.add(st.confId());
            }
            // a node resumed after a pause still shows the view it was frozen in
            return views.size() == 1
                ? Waits.Poll.done()
                : Waits.Poll.notYet("nodes in different views " + views);
          });
    } catch (Waits.TimeoutException e) {
      StringBuilder tails = new StringBuilder(e.getMessage());
      nodes.forEach(
          n -> tails.append("\n--- ").append(n.logFile()).append(":\n").append(n.logTail(15)));
      throw new ClusterException(tails.toString(), e);
    }
  }

  @Override
  public void restoreHealthy(Duration timeout) {
    restoreBasics();
    for (GaleraNode n : nodes) {
      if (!n.isRunning()) {
        n.start();
      }
    }
    awaitHealthy(timeout);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = baseDescription();
    m.put("user", user());
    m.put("password", password());
    m.put("database", database());
    List<Object> ns = new ArrayList<>();
    for (GaleraNode n : nodes) {
      Map<String, Object> j = n.baseJson();
      j.put("gcomm_port", n.gcommPort());
      j.put("socket", n.socket().toString());
      j.put("jdbc_url", n.jdbcUrl());
      ns.add(j);
    }
    m.put("nodes", ns);
    return m;
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> m = baseDescription();
    List<Object> ns = new ArrayList<>();
    for (GaleraNode n : nodes) {
      Map<String, Object> j = n.baseJson();
      WsrepStatus st = n.status();
      j.put("wsrep_state", st.stateComment());
      j.put("cluster_size", st.clusterSize());
      j.put("cluster_status", st.clusterStatus());
      j.put("ready", st.ready());
      ns.add(j);
    }
    m.put("nodes", ns);
    return m;
  }

  @Override
  void deleteData() {
    for (GaleraNode n : nodes) {
      deleteTree(n.dir.resolve("data"));
      deleteTree(n.dir.resolve("tmp"));
    }
  }

  @Override
  public void close() {
    super.close();
    if (!nodeRoot.startsWith(stateDir)) {
      deleteTree(nodeRoot);
    }
  }

  /**
   * A node's wsrep view of the cluster, from {@code SHOW GLOBAL STATUS}.
   *
   * @param stateComment {@code wsrep_local_state_comment} (Synced, Donor/Desynced, …) or
   *     "unreachable"
   * @param clusterSize {@code wsrep_cluster_size}, 0 if unknown
   * @param clusterStatus {@code wsrep_cluster_status}: Primary, non-Primary, Disconnected
   * @param ready {@code wsrep_ready}
   * @param connected {@code wsrep_connected}
   * @param confId {@code wsrep_cluster_conf_id}, the number of the membership view the node is in
   *     (-1 if unknown); a node resumed after a pause shows its old view, Synced and Primary, until
   *     it notices that the others evicted it
   */
  public record WsrepStatus(
      String stateComment,
      int clusterSize,
      String clusterStatus,
      boolean ready,
      boolean connected,
      long confId) {

    static final WsrepStatus UNREACHABLE =
        new WsrepStatus("unreachable", 0, "unknown", false, false, -1);

    /** Whether the node is Primary. */
    public boolean primary() {
      return "Primary".equals(clusterStatus);
    }

    /** Synced, ready, Primary, in a component of {@code size} nodes. */
    public boolean healthyMemberOf(int size) {
      return "Synced".equals(stateComment) && ready && primary() && clusterSize == size;
    }
  }

  /**
   * One Galera node: {@code mariadbd} on {@code 127.0.<slot>.2<i>}.
   *
   * @since 0.1.0
   */
  public static final class GaleraNode extends LocalNode {

    private final GaleraCluster galera;

    GaleraNode(GaleraCluster cluster, int index) {
      super(
          cluster,
          index,
          "127.0." + cluster.slot + "." + (20 + index),
          cluster.nodeRoot.resolve("node" + index));
      this.galera = cluster;
    }

    @Override
    public int port() {
      return galera.basePort() + 30 + index;
    }

    int gcommPort() {
      return galera.basePort() + 40 + index;
    }

    int istPort() {
      return galera.basePort() + 50 + index;
    }

    int sstPort() {
      return galera.basePort() + 60 + index;
    }

    Path cnf() {
      return dir.resolve("my.cnf");
    }

    /** The server's unix socket (reachable even while the node's address is isolated). */
    public Path socket() {
      return dir.resolve("mysqld.sock");
    }

    /** {@code jdbc:mariadb://address:port/database}. */
    public String jdbcUrl() {
      return "jdbc:mariadb://" + hostAndPort() + "/" + galera.database();
    }

    @Override
    public Path logFile() {
      return dir.resolve("error.log");
    }

    void create() throws IOException {
      Files.createDirectories(dir.resolve("data"));
      Files.createDirectories(dir.resolve("tmp"));
      String a = address;
      String cnf =
          "[mysqld]\n"
              + (Procs.isRoot() ? "user=mysql\n" : "")
              + "datadir="
              + dir.resolve("data")
              + "\n"
              + "tmpdir="
              + dir.resolve("tmp")
              + "\n"
              + "socket="
              + socket()
              + "\n"
              + "pid-file="
              + dir.resolve("mysqld.pid")
              + "\n"
              + "log-error="
              + logFile()
              + "\n"
              + "port="
              + port()
              + "\n"
              + "bind-address="
              + a
              + "\n"
              + "skip-name-resolve\n"
              + "binlog_format=ROW\n"
              + "default_storage_engine=InnoDB\n"
              + "innodb_autoinc_lock_mode=2\n"
              + "innodb_buffer_pool_size=64M\n"
              + "innodb_log_file_size=32M\n"
              + "performance_schema=OFF\n"
              + "max_connections=300\n"
              + "wsrep_on=ON\n"
              + "wsrep_provider="
              + PROVIDER
              + "\n"
              + "wsrep_cluster_name="
              + galera.runId
              + "\n"
              + "wsrep_cluster_address="
              + galera.gcommAddress()
              + "\n"
              + "wsrep_node_name=node"
              + index
              + "\n"
              + "wsrep_node_address="
              + a
              + ":"
              + gcommPort()
              + "\n"
              + "wsrep_node_incoming_address="
              + hostAndPort()
              + "\n"
              + "wsrep_sst_method=rsync\n"
              + "wsrep_sst_receive_address="
              + a
              + ":"
              + sstPort()
              + "\n"
              + "wsrep_provider_options=\"gmcast.listen_addr=tcp://"
              + a
              + ":"
              + gcommPort()
              + ";ist.recv_addr="
              + a
              + ":"
              + istPort()
              + ";gcache.size=64M;evs.suspect_timeout=PT5S;evs.inactive_timeout=PT15S\"\n";
      Files.writeString(cnf(), cnf);
    }

    @Override
    String serverComm() {
      return "mariadbd";
    }

    @Override
    List<String> launchCommand(List<String> extraArgs) {
      // --defaults-file must come first, or /etc/mysql is read as well.
      List<String> cmd = new ArrayList<>(List.of(MARIADBD.toString(), "--defaults-file=" + cnf()));
      cmd.addAll(extraArgs);
      return cmd;
    }

    @Override
    Map<String, String> launchEnvironment() {
      return new LinkedHashMap<>();
    }

    @Override
    void awaitServerReady(Duration timeout) {
      await(
          "to be Synced",
          timeout,
          () -> {
            WsrepStatus st = status();
            return "Synced".equals(st.stateComment()) && st.ready()
                ? Waits.Poll.done()
                : deadOrNotYet(st.toString());
          });
    }

    /**
     * Starts the node from its recovered position so that it rejoins by IST; bootstraps a new
     * Primary component from it when no other node is Primary.
     */
    @Override
    public void start() {
      if (isRunning()) {
        return;
      }
      killLeftovers();
      List<String> args = new ArrayList<>();
      recoverPosition().ifPresent(p -> args.add("--wsrep_start_position=" + p));
      boolean anyPrimary =
          galera.nodes.stream().anyMatch(n -> n != this && n.isRunning() && n.status().primary());
      if (!anyPrimary) {
        markSafeToBootstrap();
        args.add("--wsrep-new-cluster");
      }
      launch(args);
      awaitServerReady(DEFAULT_START_TIMEOUT);
    }

    /** {@code mariadbd --wsrep-recover}: the last committed position, as {@code uuid:seqno}. */
    Optional<String> recoverPosition() {
      long before = logLength();
      Procs.Result r =
          Procs.run(launchCommand(List.of("--wsrep-recover")), Map.of(), Duration.ofSeconds(120));
      if (!r.ok()) {
        throw new ClusterException(
            describe()
                + ": mariadbd --wsrep-recover failed ("
                + r.describe()
                + "); log:\n"
                + logTail(20));
      }
      String log;
      try {
        String all = Files.readString(logFile());
        log = all.substring((int) Math.min(before, all.length()));
      } catch (IOException e) {
        log = r.stdout() + r.stderr();
      }
      Matcher m = RECOVERED.matcher(log + r.stdout() + r.stderr());
      String pos = null;
      while (m.find()) {
        pos = m.group(1);
      }
      return Optional.ofNullable(pos);
    }

    private long logLength() {
      try {
        return Files.exists(logFile()) ? Files.readString(logFile()).length() : 0;
      } catch (IOException e) {
        return 0;
      }
    }

    private void markSafeToBootstrap() {
      Path grastate = dir.resolve("data").resolve("grastate.dat");
      try {
        if (Files.exists(grastate)) {
          Files.writeString(
              grastate,
              Files.readString(grastate)
                  .replaceAll("safe_to_bootstrap:\\s*0", "safe_to_bootstrap: 1"));
        }
      } catch (IOException e) {
        throw new ClusterException("cannot update " + grastate + ": " + e.getMessage(), e);
      }
    }

    /** This node's wsrep status over its unix socket, or "unreachable". */
    public WsrepStatus status() {
      if (!isRunning() || isPaused()) {
        return WsrepStatus.UNREACHABLE;
      }
      Procs.Result r =
          Procs.run(
              List.of(
                  "mariadb",
                  "--no-defaults",
                  "-S",
                  socket().toString(),
                  "-uroot",
                  "-N",
                  "-B",
                  "--connect-timeout=2",
                  "-e",
                  "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment',"
                      + "'wsrep_cluster_size','wsrep_cluster_status','wsrep_ready','wsrep_connected',"
                      + "'wsrep_cluster_conf_id')"),
              Duration.ofSeconds(5));
      if (!r.ok()) {
        return WsrepStatus.UNREACHABLE;
      }
      Map<String, String> v = new LinkedHashMap<>();
      for (String line : r.stdout().split("\n")) {
        String[] kv = line.split("\t", 2);
        if (kv.length == 2) {
          v.put(kv[0].toLowerCase(java.util.Locale.ROOT), kv[1].trim());
        }
      }
      int size;
      try {
        size = Integer.parseInt(v.getOrDefault("wsrep_cluster_size", "0"));
      } catch (NumberFormatException e) {
        size = 0;
      }
      long conf;
      try {
        // unsigned: a node outside any Primary view shows 18446744073709551615 (-1)
        conf = Long.parseUnsignedLong(v.getOrDefault("wsrep_cluster_conf_id", "-1"));
      } catch (NumberFormatException e) {
        conf = -1;
      }
      return new WsrepStatus(
          v.getOrDefault("wsrep_local_state_comment", "unknown"),
          size,
          v.getOrDefault("wsrep_cluster_status", "unknown"),
          "ON".equals(v.get("wsrep_ready")),
          "ON".equals(v.get("wsrep_connected")),
          conf);
    }

    /**
     * Runs SQL as root over the unix socket and returns the rows, tab-separated.
     *
     * @throws ClusterException when the statement fails
     */
    public List<String> sql(String statements) {
      Procs.Result r =
          Procs.run(
              List.of(
                  "mariadb",
                  "--no-defaults",
                  "-S",
                  socket().toString(),
                  "-uroot",
                  "-N",
                  "-B",
                  "--connect-timeout=5",
                  "-e",
                  statements),
              Duration.ofSeconds(30));
      if (!r.ok()) {
        throw new ClusterException(describe() + ": SQL failed: " + r.describe());
      }
      return r.stdout().isBlank() ? List.of() : List.of(r.stdout().strip().split("\n"));
    }
  }
}

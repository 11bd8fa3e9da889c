package io.ha4j.testkit;

import io.ha4j.testkit.GaleraCluster.GaleraNode;
import io.ha4j.testkit.internal.Procs;
import io.ha4j.testkit.internal.Procs.ProcId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An HAProxy process in front of a running test-kit {@link GaleraCluster}, configured as the
 * OpenStack HA guide deploys it for Galera: one TCP listener on a loopback port, {@code balance
 * source}, node 1 active and every other node a {@code backup}, health checks by {@code option
 * mysql-check} with a password-less check user. It gives benchmarks and tests the contender ha4j
 * replaces: a client that talks to one address and lets the proxy pick the node.
 *
 * <p>HAProxy runs in the foreground as a child in a process group of its own, recorded in {@code
 * group.pid} in its directory below the cluster's state directory ({@code haproxy-guide} or {@code
 * haproxy-tuned}). It is killed by {@link #close()}, when the JVM exits, when the same front is
 * started again, and with the cluster (which kills every process group recorded below its state
 * directory). The listener is {@code 127.0.0.1} on the cluster slot's port {@code base + 71}
 * ({@link Variant#GUIDE}) or {@code base + 72} ({@link Variant#TUNED}), so both variants can run at
 * once; the runtime API is a unix socket ({@code admin.sock}) in the same directory.
 *
 * <pre>{@code
 * try (HaproxyFront front = galera.haproxy(HaproxyFront.Variant.TUNED)) {
 *   Connection c = DriverManager.getConnection(front.jdbcUrl(), galera.user(), galera.password());
 *   …
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class HaproxyFront implements AutoCloseable {

  static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

  /** Name of the check user created in the cluster for {@code option mysql-check}. */
  public static final String CHECK_USER = "haproxy_check";

  /** Time allowed for HAProxy to listen and report node 1 UP. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** Listener address. */
  static final String ADDRESS = "127.0.0.1";

  static final String PROXY = "galera_cluster";

  private static final Set<HaproxyFront> OWNED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> OWNED.forEach(HaproxyFront::closeQuietly), "ha4j-haproxy-shutdown"));
  }

  /** The two deployments measured side by side. */
  public enum Variant {
    /**
     * The OpenStack HA guide's Galera section as published: {@code check inter 2000 rise 2 fall 5};
     * sessions on a server marked down stay open until client or server gives up.
     */
    GUIDE,
    /**
     * The guide's section tuned for fast failover: {@code check inter 500 rise 2 fall 2}, {@code
     * on-marked-down shutdown-sessions} on every server (sessions on a node marked down are cut at
     * once), and {@code on-marked-up shutdown-backup-sessions} on node 1 (when node 1 is back, the
     * sessions still on a backup are cut, so that all writes go to one node again).
     */
    TUNED;

    /** Lower-case name used for the directory: {@code guide}, {@code tuned}. */
    String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Offset of the listener port from the slot's base port. */
    int portOffset() {
      return 71 + ordinal();
    }
  }

  /** A backend server: name, address, port. */
  record Server(String name, String host, int port) {}

  private final GaleraCluster cluster;
  private final Variant variant;
  private final Path dir;
  private final int port;

  /** The process this front started; a later start of the same variant records another one. */
  private volatile ProcId process;

  private volatile boolean closed;

  private HaproxyFront(GaleraCluster cluster, Variant variant) {
    this.cluster = cluster;
    this.variant = variant;
    this.dir = cluster.stateDirectory().resolve("haproxy-" + variant.id());
    this.port = cluster.basePort() + variant.portOffset();
  }

  /**
   * Starts HAProxy in front of {@code cluster} and waits until it listens and reports node 1 UP.
   * Creates the check user in the cluster first (on a Primary node; it replicates). A front of the
   * same variant left over from an earlier start is killed first.
   *
   * @param cluster a running cluster; node 1 must be healthy
   * @param variant {@link Variant#GUIDE} or {@link Variant#TUNED}
   * @return the running front
   * @throws ClusterException when HAProxy is not installed (the message says how to install it),
   *     cannot be started or does not report node 1 UP within {@link #START_TIMEOUT}
   */
  public static HaproxyFront start(GaleraCluster cluster, Variant variant) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(variant, "variant");
    requireHaproxy(HAPROXY);
    HaproxyFront front = new HaproxyFront(cluster, variant);
    // A front of this variant left running (by a JVM that died, or not closed): kill it.
    front.recorded().ifPresent(g -> Procs.killGroup(g, Duration.ofSeconds(30)));
    OWNED.add(front);
    try {
      front.launch();
      return front;
    } catch (RuntimeException e) {
      front.close();
      throw e;
    }
  }

  /** Fails with an install hint when {@code haproxy} is missing. */
  static void requireHaproxy(Path binary) {
    if (!Files.isExecutable(binary)) {
      throw new ClusterException(
          "HAProxy is not installed (no "
              + binary
              + "): run scripts/install-servers, or as root: apt-get install haproxy");
    }
  }

  private void launch() {
    createCheckUser();
    Path cfg = dir.resolve("haproxy.cfg");
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(socket());
      Files.writeString(cfg, config(variant, port, socket(), servers()));
      ProcId id =
          Procs.spawn(
              List.of(HAPROXY.toString(), "-db", "-f", cfg.toString()),
              Map.of(),
              dir.resolve("haproxy.log"));
      process = id;
      Files.writeString(groupFile(), id.toString());
    } catch (IOException e) {
      throw new ClusterException(this + " could not be started: " + e.getMessage(), e);
    }
    awaitReady();
  }

  private void createCheckUser() {
    GaleraNode primary =
        cluster.nodes().stream()
            .filter(n -> n.isRunning() && n.status().primary())
            .findFirst()
            .orElseThrow(
                () ->
                    new ClusterException(
                        "no node of " + cluster + " is Primary to create " + CHECK_USER + " on"));
    // The check connects from 127.0.0.1 (the backend's source address) and only authenticates.
    primary.sql(
        "CREATE USER IF NOT EXISTS '" + CHECK_USER + "'@'" + ADDRESS + "' IDENTIFIED BY '';");
  }

  private List<Server> servers() {
    List<Server> s = new ArrayList<>();
    for (GaleraNode n : cluster.nodes()) {
      s.add(new Server("node" + n.index(), n.address(), n.port()));
    }
    return s;
  }

  private void awaitReady() {
    try {
      Waits.until(
          this + " to listen and report node1 UP",
          START_TIMEOUT,
          Duration.ofMillis(100),
          () -> {
            if (!isRunning()) {
              throw new ClusterException(
                  this
                      + " exited while starting; last lines of "
                      + dir.resolve("haproxy.log")
                      + ":\n"
                      + Procs.tail(dir.resolve("haproxy.log"), 30));
            }
            if (!accepts()) {
              return Waits.Poll.notYet("port " + port + " does not accept connections");
            }
            Map<Integer, String> states = serverStates();
            return "UP".equals(states.get(1))
                ? Waits.Poll.done()
                : Waits.Poll.notYet("server states " + states);
          });
    } catch (Waits.TimeoutException e) {
      throw new ClusterException(
          e.getMessage()
              + "; last lines of haproxy.log:\n"
              + Procs.tail(dir.resolve("haproxy.log"), 30),
          e);
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ADDRESS, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The configuration file for a variant. The global and defaults sections are the guide's, less
   * what does not apply: no daemon, chroot, user or pid file (the kit runs HAProxy in the
   * foreground as its own child) and no {@code timeout http-request} (HTTP only); plus the runtime
   * API socket and logging of server state changes to standard output.
   */
  static String config(Variant variant, int port, Path adminSocket, List<Server> servers) {
    StringBuilder b = new StringBuilder();
    b.append("# written by the ha4j test kit: HAProxy in front of Galera, variant ")
        .append(variant.id())
        .append('\n');
    b.append("global\n")
        .append("  maxconn 4000\n")
        .append("  log stdout format raw local0 info\n")
        .append("  stats socket ")
        .append(adminSocket)
        .append(" mode 600 level admin\n")
        .append('\n');
    b.append("defaults\n")
        .append("  log global\n")
        .append("  mode tcp\n")
        .append("  maxconn 4000\n")
        .append("  option redispatch\n")
        .append("  retries 3\n")
        .append("  timeout queue 1m\n")
        .append("  timeout connect 10s\n")
        .append("  timeout client 1m\n")
        .append("  timeout server 1m\n")
        .append("  timeout check 10s\n")
        .append('\n');
    b.append("listen ")
        .append(PROXY)
        .append('\n')
        .append("  bind ")
        .append(ADDRESS)
        .append(':')
        .append(port)
        .append('\n')
        .append("  mode tcp\n")
        .append("  balance source\n")
        .append("  option mysql-check user ")
        .append(CHECK_USER)
        .append('\n')
        // Connections and checks leave from 127.0.0.1, the check user's host.
        .append("  source ")
        .append(ADDRESS)
        .append('\n');
    String check =
        variant == Variant.GUIDE
            ? "check inter 2000 rise 2 fall 5"
            : "check inter 500 rise 2 fall 2 on-marked-down shutdown-sessions";
    boolean first = true;
    for (Server s : servers) {
      b.append("  server ")
          .append(s.name())
          .append(' ')
          .append(s.host())
          .append(':')
          .append(s.port())
          .append(first ? "" : " backup")
          .append(' ')
          .append(check);
      if (first && variant == Variant.TUNED) {
        b.append(" on-marked-up shutdown-backup-sessions");
      }
      b.append('\n');
      first = false;
    }
    return b.toString();
  }

  /** The variant this front runs. */
  public Variant variant() {
    return variant;
  }

  /** The cluster behind this front. */
  public GaleraCluster cluster() {
    return cluster;
  }

  /** The listener address, {@code 127.0.0.1}. */
  public String address() {
    return ADDRESS;
  }

  /** The listener port (never 3306): the cluster slot's base port + 71 or + 72. */
  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:port}. */
  public String hostAndPort() {
    return ADDRESS + ":" + port;
  }

  /**
   * {@code jdbc:mariadb://127.0.0.1:port/database?sslMode=…}, with the same TLS options as {@link
   * GaleraCluster.GaleraNode#jdbcUrl()} (HAProxy passes TLS through in TCP mode); further options
   * go after {@code &}.
   *
   * @param database the database name in the URL
   * @return the URL
   */
  public String jdbcUrl(String database) {
    return "jdbc:mariadb://"
        + hostAndPort()
        + "/"
        + Objects.requireNonNull(database, "database")
        + (cluster.tls()
            ? "?sslMode=verify-full&serverSslCert=" + cluster.tlsCa()
            : "?sslMode=disable");
  }

  /** {@link #jdbcUrl(String)} for the cluster's application database. */
  public String jdbcUrl() {
    return jdbcUrl(cluster.database());
  }

  /** This front's directory: configuration, log, pid file, admin socket. */
  public Path directory() {
    return dir;
  }

  /** HAProxy's log (server state changes, start-up warnings). */
  public Path logFile() {
    return dir.resolve("haproxy.log");
  }

  Path socket() {
    return dir.resolve("admin.sock");
  }

  Path groupFile() {
    return dir.resolve("group.pid");
  }

  /** The process group recorded in the directory, by this front or an earlier one. */
  Optional<ProcId> recorded() {
    try {
      return Files.exists(groupFile())
          ? Optional.of(ProcId.parse(Files.readString(groupFile())))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The pid of the HAProxy process (the leader of its process group), if it runs.
   *
   * @return the pid, or empty when it is not running
   */
  public OptionalLong pid() {
    ProcId p = process;
    return p != null && p.alive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
  }

  /** Whether the HAProxy process runs. */
  public boolean isRunning() {
    return pid().isPresent();
  }

  /**
   * Each server's state as HAProxy's runtime API reports it ({@code show stat}, column {@code
   * status}), by node index: {@code UP}, {@code DOWN}, or a transition such as {@code UP 1/2} (up,
   * one failed check of two needed to mark it down) or {@code DOWN 1/2}; {@code no check} or {@code
   * MAINT} in other cases.
   *
   * @return node index to status, in index order
   * @throws ClusterException when the runtime API does not answer
   */
  public Map<Integer, String> serverStates() {
    String csv = command("show stat");
    return parseStates(csv);
  }

  /**
   * Whether HAProxy reports node {@code index} as fully UP (not in transition).
   *
   * @param index node index, from 1
   * @return true when its status is {@code UP}
   */
  public boolean isUp(int index) {
    return "UP".equals(serverStates().get(index));
  }

  static Map<Integer, String> parseStates(String csv) {
    List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
      throw new ClusterException("unexpected answer to 'show stat': " + csv.strip());
    }
    List<String> header = List.of(lines.get(0).substring(2).split(",", -1));
    int px = header.indexOf("pxname");
    int sv = header.indexOf("svname");
    int st = header.indexOf("status");
    if (px < 0 || sv < 0 || st < 0) {
      throw new ClusterException("'show stat' has no pxname, svname or status column: " + header);
    }
    Map<Integer, String> states = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length > st && f[px].equals(PROXY) && f[sv].matches("node\\d+")) {
        states.put(Integer.parseInt(f[sv].substring(4)), f[st]);
      }
    }
    return states;
  }

  /** Sends one command to the runtime API and returns the whole answer. */
  private String command(String cmd) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket()));
      ByteBuffer out = ByteBuffer.wrap((cmd + "\n").getBytes(StandardCharsets.US_ASCII));
      while (out.hasRemaining()) {
        ch.write(out);
      }
      // Without "prompt", HAProxy answers one command and closes the connection.
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(8192);
      while (ch.read(in) >= 0) {
        answer.write(in.array(), 0, in.position());
        in.clear();
      }
      return answer.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ClusterException(
          this + ": runtime API at " + socket() + " does not answer: " + e.getMessage(), e);
    }
  }

  /**
   * Kills the process group this front started and waits until no member is left. Idempotent; a
   * front of the same variant started later is not touched.
   */
  @Override
  public void close() {
    closed = true;
    OWNED.remove(this);
    ProcId p = process;
    if (p != null) {
      Procs.killGroup(p, Duration.ofSeconds(30));
    }
  }

  private static void closeQuietly(HaproxyFront f) {
    try {
      f.close();
    } catch (RuntimeException e) {
      System.err.println("ha4j test kit: could not stop " + f + ": " + e);
    }
  }

  @Override
  public String toString() {
    return "haproxy "
        + variant.id()
        + " ("
        + hostAndPort()
        + ") in front of "
        + cluster
        + (closed ? ", closed" : "");
  }
}

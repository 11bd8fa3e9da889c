package io.ha4j.testkit;

import io.ha4j.testkit.internal.Slots;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * The kit's default {@code evs.suspect_timeout} (Galera's own default): a node silent this long
   * is suspected, and evicted once every other member suspects it too.
   *
   * @since 0.1.0
   */
  public static final Duration DEFAULT_EVS_SUSPECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The kit's default {@code evs.inactive_timeout} (Galera's own default): a node silent this long
   * is declared dead without waiting for the others to agree.
   *
   * @since 0.1.0
   */
  public static final Duration DEFAULT_EVS_INACTIVE_TIMEOUT = Duration.ofSeconds(15);

  /** The shortest {@code evs.suspect_timeout} the kit accepts. */
  static final Duration MIN_EVS_SUSPECT_TIMEOUT = Duration.ofSeconds(1);

  /** The longest {@code evs.inactive_timeout} the kit accepts. */
  static final Duration MAX_EVS_INACTIVE_TIMEOUT = Duration.ofMinutes(10);

  final Path nodeRoot;

  private GaleraCluster(
      String name,
      Path baseDir,
      int nodeCount,
      Ownership ownership,
      Duration evsSuspect,
      Duration evsInactive,
      boolean tls) {
    super("galera", name, baseDir, nodeCount, ownership);
    props.setProperty("tls", Boolean.toString(tls));
    this.nodeRoot = GaleraSetup.chooseNodeRoot(stateDir, runId);
    byte[] pw = new byte[12];
    new SecureRandom().nextBytes(pw);
    props.setProperty("user", "ha4j");
    props.setProperty("password", HexFormat.of().formatHex(pw));
    props.setProperty("database", "ha4j");
    props.setProperty("nodeRoot", nodeRoot.toString());
    props.setProperty("evsSuspectTimeout", evsSuspect.toString());
    props.setProperty("evsInactiveTimeout", evsInactive.toString());
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
    private Duration evsSuspect = DEFAULT_EVS_SUSPECT_TIMEOUT;
    private Duration evsInactive = DEFAULT_EVS_INACTIVE_TIMEOUT;
    private boolean tls;

    private Builder() {}

    /**
     * Galera's eviction timeouts for every node: {@code evs.suspect_timeout} (default {@link
     * #DEFAULT_EVS_SUSPECT_TIMEOUT}) and {@code evs.inactive_timeout} (default {@link
     * #DEFAULT_EVS_INACTIVE_TIMEOUT}). Shorter values make the survivors drop a dead node sooner,
     * so writes that wait for it resume sooner. Galera refuses to start unless {@code
     * evs.inactive_check_period <= evs.suspect_timeout / 2}, {@code evs.keepalive_period <=
     * evs.suspect_timeout / 3} and {@code evs.install_timeout <= evs.inactive_timeout}; for other
     * than the default timeouts the kit sets the keepalive and check periods to a quarter of the
     * suspect timeout (at most 0.5 s) and the install timeout to half the inactive timeout.
     *
     * @param suspect {@code evs.suspect_timeout}, from 1 s, whole milliseconds
     * @param inactive {@code evs.inactive_timeout}, longer than {@code suspect}, at most 10 min,
     *     whole milliseconds
     * @return this builder
     * @throws NullPointerException if either is null
     * @throws IllegalArgumentException naming the option and the value when either is out of range
     *     or {@code inactive} is not longer than {@code suspect}
     * @since 0.1.0
     */
    public Builder evsTimeouts(Duration suspect, Duration inactive) {
      java.util.Objects.requireNonNull(suspect, "evs.suspect_timeout");
      java.util.Objects.requireNonNull(inactive, "evs.inactive_timeout");
      if (suspect.compareTo(MIN_EVS_SUSPECT_TIMEOUT) < 0) {
        throw new IllegalArgumentException(
            "evs.suspect_timeout must be at least " + MIN_EVS_SUSPECT_TIMEOUT + ", was " + suspect);
      }
      if (suspect.toNanos() % 1_000_000 != 0 || inactive.toNanos() % 1_000_000 != 0) {
        throw new IllegalArgumentException(
            "evs timeouts must be whole milliseconds, were " + suspect + " and " + inactive);
      }
      if (inactive.compareTo(suspect) <= 0) {
        throw new IllegalArgumentException(
            "evs.inactive_timeout must be longer than evs.suspect_timeout ("
                + suspect
                + "), was "
                + inactive);
      }
      if (inactive.compareTo(MAX_EVS_INACTIVE_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "evs.inactive_timeout must be at most "
                + MAX_EVS_INACTIVE_TIMEOUT
                + ", was "
                + inactive);
      }
      this.evsSuspect = suspect;
      this.evsInactive = inactive;
      return this;
    }

    /**
     * Whether the nodes accept only TLS connections over TCP (default false): a CA, a server
     * certificate for the nodes' addresses and a client certificate are made with {@code openssl}
     * at start, each node's {@code my.cnf} names them and sets {@code require_secure_transport}.
     * Replication (gcomm, SST) stays in clear text; the test kit's own queries use the unix socket.
     *
     * @since 0.1.0
     */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    @Override
    public GaleraCluster start() {
      TestKit.requireGalera();
      GaleraCluster c =
          new GaleraCluster(name, baseDir, nodes, ownership, evsSuspect, evsInactive, tls);
      try {
        GaleraSetup.create(c);
        GaleraSetup.bootstrap(c, startTimeout);
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

  /**
   * Whether the nodes were started with TLS ({@link Builder#tls}).
   *
   * @since 0.1.0
   */
  public boolean tls() {
    return Boolean.parseBoolean(props.getProperty("tls", "false"));
  }

  /**
   * The CA certificate (PEM) that signed the nodes' and the client's certificates.
   *
   * @throws IllegalStateException when the cluster runs without TLS
   * @since 0.1.0
   */
  public Path tlsCa() {
    return tlsFile("ca.pem");
  }

  /**
   * A client certificate (PEM) signed by {@link #tlsCa()}, for the application user.
   *
   * @throws IllegalStateException when the cluster runs without TLS
   * @since 0.1.0
   */
  public Path tlsClientCert() {
    return tlsFile("client-cert.pem");
  }

  /**
   * The private key (PEM, unencrypted PKCS#8) of {@link #tlsClientCert()}.
   *
   * @throws IllegalStateException when the cluster runs without TLS
   * @since 0.1.0
   */
  public Path tlsClientKey() {
    return tlsFile("client-key.pem");
  }

  /**
   * A CA certificate with the same subject as {@link #tlsCa()} that signed none of the cluster's
   * certificates: verification against it fails. Made on the first call.
   *
   * @throws IllegalStateException when the cluster runs without TLS
   * @since 0.1.0
   */
  public Path tlsUnrelatedCa() {
    tlsFile("ca.pem");
    return GaleraTls.unrelatedCa(this);
  }

  /**
   * {@link #connectionUrl()} with oslo.db's TLS parameters: {@code ?ssl_ca=…&ssl_cert=…&ssl_key=…}.
   *
   * @throws IllegalStateException when the cluster runs without TLS
   * @since 0.1.0
   */
  public String tlsConnectionUrl() {
    return connectionUrl()
        + "?ssl_ca="
        + tlsCa()
        + "&ssl_cert="
        + tlsClientCert()
        + "&ssl_key="
        + tlsClientKey();
  }

  private Path tlsFile(String name) {
    if (!tls()) {
      throw new IllegalStateException(this + " was started without TLS (builder().tls(true))");
    }
    return GaleraTls.dir(this).resolve(name);
  }

  int basePort() {
    return Slots.basePort(slot);
  }

  /**
   * The {@code evs.suspect_timeout} the nodes were configured with.
   *
   * @return the suspect timeout
   * @since 0.1.0
   */
  public Duration evsSuspectTimeout() {
    return Duration.parse(
        props.getProperty("evsSuspectTimeout", DEFAULT_EVS_SUSPECT_TIMEOUT.toString()));
  }

  /**
   * The {@code evs.inactive_timeout} the nodes were configured with.
   *
   * @return the inactive timeout
   * @since 0.1.0
   */
  public Duration evsInactiveTimeout() {
    return Duration.parse(
        props.getProperty("evsInactiveTimeout", DEFAULT_EVS_INACTIVE_TIMEOUT.toString()));
  }

  /**
   * Starts an HAProxy in front of this cluster, as the OpenStack HA guide deploys it; see {@link
   * HaproxyFront}. The caller closes it (it is also killed with the cluster and when the JVM
   * exits).
   *
   * @param variant the guide's configuration or the tuned one
   * @return the running front, node 1 reported UP
   * @throws ClusterException when HAProxy is not installed or does not come up
   * @since 0.1.0
   */
  public HaproxyFront haproxy(HaproxyFront.Variant variant) {
    return HaproxyFront.start(this, variant);
  }

  /**
   * Waits until every node is Synced in the same Primary view, with Galera's group protocol at rest
   * ({@code wsrep_evs_state} OPERATIONAL), and at least {@code evs.suspect_timeout} plus 2 s after
   * the last kill, pause or isolation of a node: a node cut off for almost the suspect timeout is
   * evicted even when it was healed just before.
   *
   * @param timeout how long to wait
   * @throws ClusterException with every node's log tail when the time is up
   */
  @Override
  public void awaitHealthy(Duration timeout) {
    GaleraQueries.awaitHealthy(this, timeout);
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
    m.put("evs_suspect_timeout", evsSuspectTimeout().toString());
    m.put("evs_inactive_timeout", evsInactiveTimeout().toString());
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
      j.put("evs_state", st.evsState());
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
   * @param evsState {@code wsrep_evs_state}, the group protocol's state: OPERATIONAL at rest,
   *     GATHER or INSTALL while the nodes agree on a new view (the old view is still shown then)
   */
  public record WsrepStatus(
      String stateComment,
      int clusterSize,
      String clusterStatus,
      boolean ready,
      boolean connected,
      long confId,
      String evsState) {

    static final WsrepStatus UNREACHABLE =
        new WsrepStatus("unreachable", 0, "unknown", false, false, -1, "unknown");

    /** Whether the node is Primary. */
    public boolean primary() {
      return "Primary".equals(clusterStatus);
    }

    /**
     * Synced, ready, Primary, in a component of {@code size} nodes, and not agreeing on a new view.
     */
    public boolean healthyMemberOf(int size) {
      return "Synced".equals(stateComment)
          && ready
          && primary()
          && clusterSize == size
          && "OPERATIONAL".equals(evsState);
    }
  }

  /**
   * One Galera node: {@code mariadbd} on {@code 127.0.<slot>.2<i>}.
   *
   * @since 0.1.0
   */
  public static final class GaleraNode extends LocalNode {

    final GaleraCluster galera;

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

    /**
     * {@code jdbc:mariadb://address:port/database?sslMode=…}: {@code disable} for a cluster without
     * TLS (said explicitly: mariadb-java-client 4 verifies TLS by default), {@code verify-full}
     * with {@code serverSslCert} = {@link GaleraCluster#tlsCa()} for one with TLS. Further options
     * go after {@code &}.
     */
    public String jdbcUrl() {
      return "jdbc:mariadb://"
          + hostAndPort()
          + "/"
          + galera.database()
          + (galera.tls()
              ? "?sslMode=verify-full&serverSslCert=" + galera.tlsCa()
              : "?sslMode=disable");
    }

    @Override
    public Path logFile() {
      return dir.resolve("error.log");
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
      GaleraQueries.awaitSynced(this, timeout);
    }

    /**
     * Starts the node from its recovered position so that it rejoins by IST; bootstraps a new
     * Primary component from it when no other node is Primary.
     */
    @Override
    public void start() {
      GaleraLifecycle.start(this);
    }

    /** This node's wsrep status over its unix socket, or "unreachable". */
    public WsrepStatus status() {
      return GaleraQueries.status(this);
    }

    /**
     * Runs SQL as root over the unix socket and returns the rows, tab-separated.
     *
     * @throws ClusterException when the statement fails
     */
    public List<String> sql(String statements) {
      return GaleraQueries.sql(this, statements);
    }
  }
}

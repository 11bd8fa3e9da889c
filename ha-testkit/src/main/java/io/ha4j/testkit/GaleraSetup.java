package io.ha4j.testkit;

import io.ha4j.testkit.GaleraCluster.GaleraNode;
import io.ha4j.testkit.internal.Procs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;

/**
 * Lays a new Galera cluster out on disk and brings it up the first time: the node directories
 * (where user mysql can reach them), one {@code my.cnf} per node, the initial data directory from
 * {@code mariadb-install-db}, and the bootstrap of node 1 with the application user and database
 * before the joiners start. Kept apart from {@link GaleraCluster} because none of it is needed to
 * attach to, fault or restore a cluster that already runs.
 */
final class GaleraSetup {

  private GaleraSetup() {}

  /**
   * As root, mariadbd drops to the mysql user (the rsync SST daemon run by root would switch to
   * nobody and fail to write), so its directories must be reachable by mysql. When the state
   * directory lies below a directory others cannot enter (/root, say), the node directories go to
   * /tmp and a link from the state directory points there.
   */
  static Path chooseNodeRoot(Path stateDir, String runId) {
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

  /** Writes the configuration of every node and the initial data directory of node 1. */
  static void create(GaleraCluster cluster) {
    cluster.saveProperties();
    Path nodeRoot = cluster.nodeRoot;
    try {
      Files.createDirectories(nodeRoot);
      if (cluster.tls()) {
        GaleraTls.create(cluster);
      }
      for (GaleraNode n : cluster.nodes) {
        writeConfig(n);
      }
      if (Procs.isRoot()) {
        Procs.Result r =
            Procs.run(
                List.of("chown", "-R", "mysql:mysql", nodeRoot.toString()), Duration.ofSeconds(30));
        if (!r.ok()) {
          throw new ClusterException("cannot chown " + nodeRoot + " to mysql: " + r.describe());
        }
        if (!nodeRoot.startsWith(cluster.stateDir)) {
          Procs.run(
              List.of("chmod", "755", nodeRoot.getParent().toString()), Duration.ofSeconds(5));
        }
      }
    } catch (IOException e) {
      throw new ClusterException(
          "cannot write the configuration of " + cluster + ": " + e.getMessage(), e);
    }
    GaleraNode first = cluster.nodes.get(0);
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

  /**
   * Starts node 1 as a new Primary component, creates the application user and database on it, then
   * starts the joiners (they take their state from node 1 by SST) and waits for all.
   */
  static void bootstrap(GaleraCluster cluster, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    GaleraNode first = cluster.nodes.get(0);
    first.launch(List.of("--wsrep-new-cluster"));
    first.awaitServerReady(LocalCluster.remaining(deadline));
    String user = cluster.user();
    String database = cluster.database();
    first.sql(
        "CREATE DATABASE "
            + database
            + "; "
            + "CREATE USER '"
            + user
            + "'@'%' IDENTIFIED BY '"
            + cluster.password()
            + "'; "
            + "GRANT ALL ON "
            + database
            + ".* TO '"
            + user
            + "'@'%';");
    for (GaleraNode n : cluster.nodes.subList(1, cluster.nodes.size())) {
      n.launch(List.of());
    }
    cluster.awaitHealthy(LocalCluster.remaining(deadline));
  }

  private static void writeConfig(GaleraNode n) throws IOException {
    Path dir = n.dir;
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("tmp"));
    String a = n.address;
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
            + n.socket()
            + "\n"
            + "pid-file="
            + dir.resolve("mysqld.pid")
            + "\n"
            + "log-error="
            + n.logFile()
            + "\n"
            + "port="
            + n.port()
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
            + GaleraCluster.PROVIDER
            + "\n"
            + "wsrep_cluster_name="
            + n.galera.runId
            + "\n"
            + "wsrep_cluster_address="
            + gcommAddress(n.galera)
            + "\n"
            + "wsrep_node_name=node"
            + n.index
            + "\n"
            + "wsrep_node_address="
            + a
            + ":"
            + n.gcommPort()
            + "\n"
            + "wsrep_node_incoming_address="
            + n.hostAndPort()
            + "\n"
            + "wsrep_sst_method=rsync\n"
            + "wsrep_sst_receive_address="
            + a
            + ":"
            + n.sstPort()
            + "\n"
            + "wsrep_provider_options=\"gmcast.listen_addr=tcp://"
            + a
            + ":"
            + n.gcommPort()
            + ";ist.recv_addr="
            + a
            + ":"
            + n.istPort()
            + ";gcache.size=64M;"
            + evsOptions(n.galera.evsSuspectTimeout(), n.galera.evsInactiveTimeout())
            + "\"\n"
            + (n.galera.tls() ? tlsConfig(GaleraTls.dir(n.galera)) : "");
    Files.writeString(n.cnf(), cnf);
  }

  /**
   * The {@code evs.*} provider options for the given timeouts. For the default timeouts Galera's
   * other defaults stay. For others, the periods that depend on them are set so that Galera accepts
   * them: its EVS layer refuses to start unless {@code evs.inactive_check_period <=
   * evs.suspect_timeout / 2}, {@code evs.keepalive_period <= evs.suspect_timeout / 3} and {@code
   * evs.install_timeout <= evs.inactive_timeout} (Galera's defaults: PT0.5S, PT1S, half the
   * inactive timeout). Keepalives and checks at a quarter of the suspect timeout (at most PT0.5S)
   * let a live peer be heard several times before it would be suspected; the install timeout stays
   * Galera's own rule, half the inactive timeout.
   */
  static String evsOptions(Duration suspect, Duration inactive) {
    String base = "evs.suspect_timeout=" + suspect + ";evs.inactive_timeout=" + inactive;
    if (suspect.equals(GaleraCluster.DEFAULT_EVS_SUSPECT_TIMEOUT)
        && inactive.equals(GaleraCluster.DEFAULT_EVS_INACTIVE_TIMEOUT)) {
      return base;
    }
    Duration check = min(Duration.ofMillis(500), suspect.dividedBy(4));
    return base
        + ";evs.inactive_check_period="
        + check
        + ";evs.keepalive_period="
        + check
        + ";evs.install_timeout="
        + inactive.dividedBy(2);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Client connections over TCP must use TLS; the unix socket counts as secure. The rsync SST
   * script (wsrep_sst_rsync) reads ssl-ca/ssl-cert/ssl-key of [mysqld] too and then insists on
   * stunnel, which is not installed: the [sst] group's ssl-mode=DISABLED keeps state transfer in
   * clear text, as gcomm is.
   */
  private static String tlsConfig(Path tls) {
    return "ssl_ca="
        + tls.resolve("ca.pem")
        + "\n"
        + "ssl_cert="
        + tls.resolve("server-cert.pem")
        + "\n"
        + "ssl_key="
        + tls.resolve("server-key.pem")
        + "\n"
        + "require_secure_transport=ON\n"
        + "[sst]\n"
        + "ssl-mode=DISABLED\n";
  }

  private static String gcommAddress(GaleraCluster cluster) {
    StringBuilder b = new StringBuilder("gcomm://");
    for (GaleraNode n : cluster.nodes) {
      if (n.index > 1) {
        b.append(',');
      }
      b.append(n.address).append(':').append(n.gcommPort());
    }
    return b.toString();
  }
}

package io.ha4j.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the kit keeps its clusters and which servers it needs.
 *
 * @since 0.1.0
 */
public final class TestKit {

  /** System property naming the base directory of test clusters. */
  public static final String DIR_PROPERTY = "ha4j.testkit.dir";

  /** System property with the node count of shared test clusters. */
  public static final String NODES_PROPERTY = "ha4j.testkit.nodes";

  static final String INSTALL_HINT =
      "run scripts/install-servers (as root on Debian/Ubuntu; it installs rabbitmq-server,"
          + " mariadb-server, galera-4, rsync, iptables and haproxy with apt-get)";

  private TestKit() {}

  /** {@value #DIR_PROPERTY}, or {@code target/ha4j-clusters} in the working directory. */
  public static Path defaultBaseDir() {
    return Path.of(System.getProperty(DIR_PROPERTY, "target/ha4j-clusters")).toAbsolutePath();
  }

  /** Node count for shared clusters: {@value #NODES_PROPERTY}, default 3. */
  public static int defaultNodes() {
    return Integer.getInteger(NODES_PROPERTY, 3);
  }

  /** Fails with an install hint when RabbitMQ is not installed. */
  public static void requireRabbitMq() {
    require(RabbitCluster.SERVER, "RabbitMQ (rabbitmq-server)");
    requireOnPath("epmd", "Erlang's epmd (rabbitmq-server's dependency erlang-base)");
  }

  /** Fails with an install hint when MariaDB, Galera or rsync is not installed. */
  public static void requireGalera() {
    require(GaleraCluster.MARIADBD, "MariaDB (mariadb-server)");
    require(GaleraCluster.PROVIDER, "the Galera provider (galera-4)");
    requireOnPath("mariadb-install-db", "mariadb-install-db (mariadb-server)");
    requireOnPath("mariadb", "the mariadb client (mariadb-client)");
    requireOnPath("rsync", "rsync (for state transfer)");
  }

  /**
   * An oslo-style configuration naming the given clusters: {@code [DEFAULT] transport_url} from
   * {@link RabbitCluster#transportUrl()} and {@code [database] connection} from {@link
   * GaleraCluster#connectionUrl()}; either cluster may be null to leave its section out. Tests
   * write it to a file, or pass the two URLs to a configuration loader, instead of building
   * settings by hand.
   *
   * @since 0.1.0
   */
  public static String osloConfig(RabbitCluster rabbit, GaleraCluster galera) {
    StringBuilder b = new StringBuilder();
    if (rabbit != null) {
      b.append("[DEFAULT]\ntransport_url = ").append(rabbit.transportUrl()).append('\n');
    }
    if (galera != null) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append("[database]\nconnection = ").append(galera.connectionUrl()).append('\n');
    }
    return b.toString();
  }

  /** {@code user:password} for a URL, each percent-encoded outside RFC 3986's unreserved set. */
  static String userInfo(String user, String password) {
    return encode(user) + ":" + encode(password);
  }

  private static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        b.append(c);
      } else {
        b.append('%').append(String.format("%02X", x & 0xff));
      }
    }
    return b.toString();
  }

  private static void require(Path file, String what) {
    if (!Files.isExecutable(file) && !Files.isRegularFile(file)) {
      throw new ClusterException(what + " is not installed (no " + file + "): " + INSTALL_HINT);
    }
  }

  private static void requireOnPath(String exe, String what) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
    for (String d : path.split(":")) {
      if (Files.isExecutable(Path.of(d, exe))) {
        return;
      }
    }
    throw new ClusterException(
        what + " is not installed (" + exe + " not on PATH): " + INSTALL_HINT);
  }
}

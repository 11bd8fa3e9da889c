package io.ha4j.testkit;

import io.ha4j.testkit.internal.Procs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificates of a Galera cluster started with TLS, made with {@code openssl} into the
 * cluster's {@code tls} directory: a CA, one server certificate for every node (its subject
 * alternative names are the nodes' addresses, 127.0.0.1 and localhost), a client certificate, and
 * on demand a second CA that signed none of them (for wrong-CA tests). RSA 2048, valid ten years.
 */
final class GaleraTls {

  private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);

  private GaleraTls() {}

  static Path dir(GaleraCluster cluster) {
    return cluster.nodeRoot.resolve("tls");
  }

  /** Makes the CA, the server and the client certificate. */
  static void create(GaleraCluster cluster) {
    Path d = dir(cluster);
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw new ClusterException("cannot create " + d + ": " + e.getMessage(), e);
    }
    ca(d, "ca", "ha4j testkit CA " + cluster.runId);
    List<String> sans = new ArrayList<>(List.of("IP:127.0.0.1", "DNS:localhost"));
    for (GaleraCluster.GaleraNode n : cluster.nodes()) {
      sans.add("IP:" + n.address);
    }
    signed(d, "server", "ha4j galera " + cluster.runId, "subjectAltName=" + String.join(",", sans));
    signed(d, "client", cluster.user(), "extendedKeyUsage=clientAuth");
  }

  /** A CA with the same subject as the cluster's that signed nothing (made once). */
  static Path unrelatedCa(GaleraCluster cluster) {
    Path d = dir(cluster);
    Path p = d.resolve("unrelated-ca.pem");
    synchronized (GaleraTls.class) {
      if (!Files.exists(p)) {
        ca(d, "unrelated-ca", "ha4j testkit CA " + cluster.runId);
      }
    }
    return p;
  }

  private static void ca(Path d, String name, String cn) {
    openssl(
        d,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "3650",
        "-subj",
        "/CN=" + cn,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        name + "-key.pem",
        "-out",
        name + ".pem");
  }

  private static void signed(Path d, String name, String cn, String extension) {
    openssl(
        d,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + cn,
        "-keyout",
        name + "-key.pem",
        "-out",
        name + ".csr");
    try {
      Files.writeString(d.resolve(name + ".ext"), extension + "\n");
    } catch (IOException e) {
      throw new ClusterException("cannot write " + d.resolve(name + ".ext"), e);
    }
    openssl(
        d,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-days",
        "3650",
        "-extfile",
        name + ".ext",
        "-out",
        name + "-cert.pem");
  }

  private static void openssl(Path d, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("sh");
    cmd.add("-c");
    StringBuilder line = new StringBuilder("cd '" + d + "' && exec openssl");
    for (String a : args) {
      line.append(" '").append(a.replace("'", "'\\''")).append('\'');
    }
    cmd.add(line.toString());
    Procs.Result r = Procs.run(cmd, OPENSSL_TIMEOUT);
    if (!r.ok()) {
      throw new ClusterException("openssl " + args[0] + " failed in " + d + ": " + r.describe());
    }
  }
}

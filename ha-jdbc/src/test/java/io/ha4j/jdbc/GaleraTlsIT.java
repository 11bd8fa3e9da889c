package io.ha4j.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.testkit.GaleraCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GaleraDataSource} over TLS, configured by oslo.db's {@code ssl_*} parameters of {@code
 * [database] connection}, on a 3-node test-kit cluster of its own that accepts TCP clients only
 * with TLS ({@code require_secure_transport}).
 */
class GaleraTlsIT {

  private static GaleraCluster galera;

  @TempDir static Path dir;

  @BeforeAll
  static void startCluster() {
    galera = GaleraCluster.builder().name("tls-" + ProcessHandle.current().pid()).tls(true).start();
  }

  @AfterAll
  static void stopCluster() {
    if (galera != null) {
      galera.close();
    }
  }

  @AfterEach
  void restore() {
    galera.restoreHealthy(Duration.ofMinutes(3));
  }

  /** Settings as a service gets them: from a configuration file, through {@link HaConfig}. */
  private static GaleraSettings fromConfig(String name, String connection) throws IOException {
    Path f =
        Files.writeString(
            dir.resolve(name + ".conf"),
            "[database]\nconnection = "
                + connection
                + "\nmax_pool_size = 2\nmax_overflow = 4\n[galera]\ncheck_interval = 0.5\n");
    return HaConfig.loader().configFile(f).load().galera().orElseThrow();
  }

  private static String sslCipher(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
      return rs.next() ? rs.getString(2) : "";
    }
  }

  private static int port(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@port")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String hp(GaleraCluster.GaleraNode n) {
    return n.address() + ":" + n.port();
  }

  @Test
  void theOsloConnectionUrlWithSslParametersGivesEncryptedVerifiedSessionsWithTheClientCert()
      throws Exception {
    // a user that must present a client certificate signed by the cluster's CA
    galera
        .node(1)
        .sql(
            "CREATE USER IF NOT EXISTS 'x509'@'%' IDENTIFIED BY 'x509-pw' REQUIRE X509; "
                + "GRANT ALL ON "
                + galera.database()
                + ".* TO 'x509'@'%';");
    String url =
        galera
            .tlsConnectionUrl()
            .replace(galera.user() + ":" + galera.password() + "@", "x509:x509-pw@");
    GaleraSettings s = fromConfig("good", url);
    assertThat(s.tls().verifyIdentity()).isTrue();

    try (GaleraDataSource ds = GaleraDataSource.builder().settings(s).name("it-tls-good").build();
        Connection c = ds.getConnection()) {
      assertThat(sslCipher(c)).isNotBlank();
      assertThat(port(c)).isEqualTo(galera.node(1).port());
      assertThat(ds.nodes()).allSatisfy(n -> assertThat(n.state()).isEqualTo(NodeState.HEALTHY));
    }

    List<GaleraProbe.Result> probes = GaleraProbe.probeAll(s);
    assertThat(probes).allSatisfy(r -> assertThat(r.healthy()).as(r.toString()).isTrue());
  }

  @Test
  void aCaThatDidNotSignTheServersFailsStartUpAtOnceNamingTheNodesAndTls() throws Exception {
    String url =
        galera.connectionUrl() + "?ssl_ca=" + galera.tlsUnrelatedCa() + "&ssl_verify_identity=0";
    // oslo's defaults: max_retries 10 every retry_interval 10 s, i.e. 100 s of retrying
    GaleraSettings s = fromConfig("wrong-ca", url);
    assertThat(s.maxRetries()).hasValue(10);

    long t0 = System.nanoTime();
    Throwable e =
        catchThrowable(
            () -> GaleraDataSource.builder().settings(s).name("it-tls-wrong-ca").build());
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    System.out.printf("wrong CA: start-up failed after %d ms: %s%n", took.toMillis(), e);
    assertThat(e)
        .isInstanceOf(GaleraConnectException.class)
        .hasMessageContaining("TLS verification failed")
        .hasMessageContaining(hp(galera.node(1)))
        .hasMessageContaining(hp(galera.node(3)))
        .hasMessageContaining("sslMode=verify-ca")
        .hasMessageNotContaining(galera.password());
    assertThat(((GaleraConnectException) e).attempts()).isEqualTo(1);
    assertThat(took).isLessThan(Duration.ofSeconds(30));

    GaleraProbe.Result r = GaleraProbe.probe(s, s.nodes().get(0));
    assertThat(r.reachable()).isFalse();
    assertThat(r.error()).contains("TLS verification failed");
  }

  @Test
  void withoutSslParametersTheClientStaysInClearTextWhichThisClusterRefuses() throws Exception {
    // no ssl_* parameter: sslMode=disable, which require_secure_transport refuses (with 1045)
    GaleraSettings s = fromConfig("plain", galera.connectionUrl());
    assertThat(s.tls().enabled()).isFalse();

    GaleraProbe.Result r = GaleraProbe.probe(s, s.nodes().get(0));

    assertThat(r.reachable()).isFalse();
    assertThat(r.error())
        .contains("1045")
        .contains("without TLS: if the server requires it, add ssl_ca")
        .doesNotContain(galera.password());
  }

  @Test
  void theWriterMovesOverTlsWhenItIsKilledAndSessionsStayEncrypted() throws Exception {
    GaleraSettings s = fromConfig("failover", galera.tlsConnectionUrl());
    GaleraDataSourceIT.Recorder r = new GaleraDataSourceIT.Recorder();
    try (GaleraDataSource ds =
        GaleraDataSource.builder().settings(s).listener(r).name("it-tls-failover").build()) {
      try (Connection c = ds.getConnection()) {
        assertThat(port(c)).isEqualTo(galera.node(1).port());
        assertThat(sslCipher(c)).isNotBlank();
      }

      galera.node(1).kill();
      GaleraEvent.WriterChanged w = r.writerTo(hp(galera.node(2)));

      assertThat(w.from()).isEqualTo(hp(galera.node(1)));
      try (Connection c = ds.getConnection()) {
        assertThat(port(c)).isEqualTo(galera.node(2).port());
        assertThat(sslCipher(c)).isNotBlank();
      }
      Integer rows =
          ds.call(
              c -> {
                try (Statement st = c.createStatement()) {
                  st.execute("CREATE TABLE IF NOT EXISTS tls_t (id BIGINT PRIMARY KEY)");
                  st.execute("INSERT INTO tls_t VALUES (" + System.nanoTime() + ")");
                  try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM tls_t")) {
                    rs.next();
                    return rs.getInt(1);
                  }
                }
              });
      assertThat(rows).isPositive();
      System.out.printf("TLS failover: %s%n", w);
    }
  }
}

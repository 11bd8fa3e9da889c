package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.config.DatabaseTls;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverTlsTest {

  @TempDir static Path dir;
  static Path ca;
  static Path cert;
  static Path key;
  static Path pkcs1Key;
  static Path combined;

  /** A self-signed client certificate and its key as PKCS#8 and PKCS#1, made by openssl. */
  @BeforeAll
  static void pemFiles() throws Exception {
    cert = dir.resolve("cert.pem");
    key = dir.resolve("key.pem");
    pkcs1Key = dir.resolve("key-pkcs1.pem");
    combined = dir.resolve("combined.pem");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=ha4j test",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString());
    openssl("rsa", "-in", key.toString(), "-traditional", "-out", pkcs1Key.toString());
    Files.writeString(combined, Files.readString(cert) + Files.readString(key));
    ca = cert;
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void noTlsIsSaidExplicitlySoThatADriverDefaultingToTlsChangesNothing() {
    try (DriverTls t = DriverTls.of(DatabaseTls.disabled())) {
      assertThat(t.properties()).containsExactly(java.util.Map.entry("sslMode", "disable"));
    }
  }

  @Test
  void aCaVerifiesTheChainAndTheNameByDefault() {
    try (DriverTls t = DriverTls.of(DatabaseTls.builder().ca(ca).build())) {
      assertThat(t.properties())
          .containsEntry("sslMode", "verify-full")
          .containsEntry("serverSslCert", ca.toAbsolutePath().toString())
          .doesNotContainKey("keyStore");
    }
  }

  @Test
  void verifyIdentityOffIsVerifyCaAndVerificationOffIsTrust() {
    try (DriverTls t = DriverTls.of(DatabaseTls.builder().ca(ca).verifyIdentity(false).build())) {
      assertThat(t.properties()).containsEntry("sslMode", "verify-ca");
    }
    try (DriverTls t = DriverTls.of(DatabaseTls.builder().ca(ca).verifyCert(false).build())) {
      assertThat(t.properties())
          .containsEntry("sslMode", "trust")
          .doesNotContainKey("serverSslCert");
    }
  }

  @Test
  void thePemClientCertificateBecomesAPrivatePkcs12KeyStoreDeletedOnClose() throws Exception {
    Path store;
    try (DriverTls t = DriverTls.of(DatabaseTls.builder().ca(ca).cert(cert).key(key).build())) {
      store = Path.of(t.properties().get("keyStore"));
      assertThat(t.properties()).containsEntry("keyStoreType", "PKCS12");
      String password = t.properties().get("keyStorePassword");
      assertThat(password).hasSizeGreaterThanOrEqualTo(30);
      assertThat(Files.getPosixFilePermissions(store))
          .containsExactlyInAnyOrder(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = new FileInputStream(store.toFile())) {
        ks.load(in, password.toCharArray());
      }
      X509Certificate c = (X509Certificate) ks.getCertificate("client");
      assertThat(c.getSubjectX500Principal().getName()).contains("ha4j test");
      assertThat(ks.getKey("client", password.toCharArray()).getAlgorithm()).isEqualTo("RSA");
    }
    assertThat(store).doesNotExist();
  }

  @Test
  void aPkcs1RsaKeyAndAKeyInTheCertificateFileAreReadToo() throws Exception {
    for (DatabaseTls tls :
        List.of(
            DatabaseTls.builder().cert(cert).key(pkcs1Key).build(),
            DatabaseTls.builder().cert(combined).build())) {
      try (DriverTls t = DriverTls.of(tls)) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(t.properties().get("keyStore"))) {
          ks.load(in, t.properties().get("keyStorePassword").toCharArray());
        }
        assertThat(ks.isKeyEntry("client")).as(tls.toString()).isTrue();
      }
    }
  }

  @Test
  void aKeyFileWithoutKeyIsRefusedNamingTheFile() {
    DatabaseTls tls = DatabaseTls.builder().cert(cert).key(cert).build();

    assertThatThrownBy(() -> DriverTls.of(tls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ssl_key = " + cert)
        .hasMessageContaining("no '-----BEGIN PRIVATE KEY-----' block");
  }

  @Test
  void theMonitorConnectionCarriesTheTlsOptionsButConnectionParametersWin() {
    GaleraSettings s =
        GaleraSettings.builder()
            .nodes(new GaleraNode("10.0.0.1", 3306, 0))
            .username("u")
            .password("pw")
            .tls(DatabaseTls.builder().ca(ca).build())
            .connectionParameters(java.util.Map.of("enabledSslProtocolSuites", "TLSv1.3"))
            .checkTimeout(Duration.ofMillis(500))
            .build();

    try (DriverTls t = DriverTls.of(s.tls())) {
      Properties p = StatusQuery.connectionProperties(s, t);
      assertThat(p)
          .containsEntry("sslMode", "verify-full")
          .containsEntry("serverSslCert", ca.toAbsolutePath().toString())
          .containsEntry("enabledSslProtocolSuites", "TLSv1.3");
    }
  }

  @Test
  void thePoolsCarryTheTlsOptions() {
    GaleraSettings s =
        GaleraSettings.builder()
            .nodes(new GaleraNode("10.0.0.1", 3306, 0))
            .username("u")
            .password("pw")
            .tls(DatabaseTls.builder().ca(ca).verifyIdentity(false).build())
            .build();
    JdbcNodeIo io = new JdbcNodeIo(s, "t");
    try {
      Properties p = io.poolConfig(s.nodes().get(0)).getDataSourceProperties();
      assertThat(p).containsEntry("sslMode", "verify-ca");
    } finally {
      io.close();
    }
  }
}

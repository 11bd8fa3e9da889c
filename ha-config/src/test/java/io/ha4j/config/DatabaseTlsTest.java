package io.ha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTlsTest {

  @TempDir Path dir;
  Path ca;
  Path cert;
  Path key;

  @BeforeEach
  void files() throws IOException {
    ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    cert = Files.writeString(dir.resolve("client-cert.pem"), "cert");
    key = Files.writeString(dir.resolve("client-key.pem"), "key");
  }

  private Path conf(String connection, String... more) throws IOException {
    StringBuilder b = new StringBuilder("[database]\nconnection = " + connection + "\n");
    for (String m : more) {
      b.append(m).append('\n');
    }
    return Files.writeString(dir.resolve("db.conf"), b.toString());
  }

  private static ConfigException invalid(Path f) {
    try {
      HaConfig.loader().configFile(f).load();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("configuration was accepted");
  }

  private static Map<String, String> params(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void noSslParameterMeansNoTlsAndEveryParameterGoesToTheDriver() {
    DatabaseTls.Parsed p = DatabaseTls.fromParameters(params("charset", "utf8"));

    assertThat(p.tls().enabled()).isFalse();
    assertThat(p.tls()).isEqualTo(DatabaseTls.disabled());
    assertThat(p.driverParameters()).containsExactly(Map.entry("charset", "utf8"));
  }

  @Test
  void aCaAloneVerifiesTheCertificateAndTheHostAsPyMySqlDoes() {
    DatabaseTls.Parsed p =
        DatabaseTls.fromParameters(params("ssl_ca", ca.toString(), "charset", "utf8"));

    DatabaseTls t = p.tls();
    assertThat(t.enabled()).isTrue();
    assertThat(t.ca()).hasValue(ca);
    assertThat(t.verifyCert()).isTrue();
    assertThat(t.verifyIdentity()).isTrue();
    assertThat(t.cert()).isEmpty();
    assertThat(p.driverParameters()).containsOnlyKeys("charset");
  }

  @Test
  void verifyIdentityFalseKeepsTheChainCheckOnly() {
    DatabaseTls t =
        DatabaseTls.fromParameters(params("ssl_ca", ca.toString(), "ssl_verify_identity", "false"))
            .tls();

    assertThat(t.verifyCert()).isTrue();
    assertThat(t.verifyIdentity()).isFalse();
  }

  @Test
  void sqlAlchemysCheckHostnameIsTheSameSwitch() {
    DatabaseTls t =
        DatabaseTls.fromParameters(params("ssl_ca", ca.toString(), "ssl_check_hostname", "0"))
            .tls();

    assertThat(t.verifyIdentity()).isFalse();
  }

  @Test
  void verifyCertFalseEncryptsWithoutVerification() {
    DatabaseTls t =
        DatabaseTls.fromParameters(params("ssl_ca", ca.toString(), "ssl_verify_cert", "false"))
            .tls();

    assertThat(t.enabled()).isTrue();
    assertThat(t.verifyCert()).isFalse();
    assertThat(t.verifyIdentity()).isFalse();
  }

  @Test
  void aClientCertificateWithoutCaEncryptsWithoutVerification() {
    DatabaseTls t =
        DatabaseTls.fromParameters(params("ssl_cert", cert.toString(), "ssl_key", key.toString()))
            .tls();

    assertThat(t.enabled()).isTrue();
    assertThat(t.cert()).hasValue(cert);
    assertThat(t.key()).hasValue(key);
    assertThat(t.verifyCert()).isFalse();
  }

  @Test
  void verifyCertTrueWithoutCaUsesTheJvmTrustAndNoNameCheck() {
    DatabaseTls t = DatabaseTls.fromParameters(params("ssl_verify_cert", "yes")).tls();

    assertThat(t.enabled()).isTrue();
    assertThat(t.ca()).isEmpty();
    assertThat(t.verifyCert()).isTrue();
    assertThat(t.verifyIdentity()).isFalse();
  }

  @Test
  void aNonBooleanIsRefusedByName() {
    assertThatThrownBy(
            () -> DatabaseTls.fromParameters(params("ssl_verify_cert", "maybe", "ssl_ca", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ssl_verify_cert = 'maybe' is not a boolean");
  }

  @Test
  void unknownSslParametersAreRefusedRatherThanIgnored() {
    assertThatThrownBy(() -> DatabaseTls.fromParameters(params("ssl_capath", "/etc/ssl")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported TLS parameter 'ssl_capath'");
  }

  @Test
  void aKeyWithoutCertificateAndAMissingFileAreEachReported() {
    InvalidSettingsException e =
        (InvalidSettingsException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    DatabaseTls.builder()
                        .key(key)
                        .ca(dir.resolve("nope.pem"))
                        .verifyIdentity(true)
                        .verifyCert(false)
                        .build());

    assertThat(e.violations())
        .extracting(InvalidSettingsException.Violation::message)
        .anySatisfy(m -> assertThat(m).contains("ssl_key = " + key + " needs ssl_cert"))
        .anySatisfy(m -> assertThat(m).contains("ssl_verify_identity = true needs"))
        .anySatisfy(m -> assertThat(m).contains("nope.pem: the file does not exist"));
  }

  @Test
  void tlsFromTheConnectionUrlReachesGaleraSettingsAndStaysOutOfTheDriverParameters()
      throws IOException {
    Path f =
        conf(
            "mysql+pymysql://nova:Pa55word@db1/nova?charset=utf8&ssl_ca="
                + ca
                + "&ssl_cert="
                + cert
                + "&ssl_key="
                + key
                + "&ssl_verify_identity=false");

    GaleraSettings g = HaConfig.loader().configFile(f).load().galera().orElseThrow();

    assertThat(g.tls().ca()).hasValue(ca);
    assertThat(g.tls().cert()).hasValue(cert);
    assertThat(g.tls().key()).hasValue(key);
    assertThat(g.tls().verifyIdentity()).isFalse();
    assertThat(g.connectionParameters()).containsOnlyKeys("charset");
    assertThat(g.toString()).contains("tls=DatabaseTls[ca=" + ca).doesNotContain("Pa55word");
  }

  @Test
  void tlsFromConnectionParametersCountsToo() throws IOException {
    Path f = conf("mysql+pymysql://nova:pw@db1/nova", "connection_parameters = ssl_ca=" + ca);

    GaleraSettings g = HaConfig.loader().configFile(f).load().galera().orElseThrow();

    assertThat(g.tls().ca()).hasValue(ca);
    assertThat(g.connectionParameters()).isEmpty();
  }

  @Test
  void aBadBooleanInTheUrlIsReportedAtTheFileAndLineWithoutThePassword() throws IOException {
    Path f = conf("mysql+pymysql://nova:Pa55word@db1/nova?ssl_ca=" + ca + "&ssl_verify_cert=ja");

    ConfigException e = invalid(f);

    assertThat(e.errors().get(0).toString())
        .contains(f + ":2")
        .contains("connection")
        .contains("ssl_verify_cert = 'ja' is not a boolean")
        .doesNotContain("Pa55word");
  }

  @Test
  void aMissingCaFileIsReportedAtTheFileAndLine() throws IOException {
    Path f = conf("mysql+pymysql://nova:pw@db1/nova?ssl_ca=" + dir.resolve("missing-ca.pem"));

    ConfigException e = invalid(f);

    assertThat(e.errors().get(0).toString())
        .contains(f + ":2")
        .contains("missing-ca.pem: the file does not exist");
  }

  @Test
  void aKeyWithoutCertInConnectionParametersIsReportedThere() throws IOException {
    Path f =
        conf(
            "mysql+pymysql://nova:pw@db1/nova?ssl_ca=" + ca,
            "max_pool_size = 5",
            "connection_parameters = ssl_key=" + key);

    ConfigException e = invalid(f);

    assertThat(e.errors().get(0).toString())
        .contains(f + ":4")
        .contains("connection_parameters")
        .contains("needs ssl_cert");
  }
}

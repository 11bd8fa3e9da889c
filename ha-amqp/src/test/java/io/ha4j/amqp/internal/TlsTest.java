package io.ha4j.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.ConfigException;
import io.ha4j.config.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS options to {@link SSLContext}, with certificates made by the openssl command. */
class TlsTest {

  @TempDir static Path dir;

  static Path ca;
  static Path clientCert;
  static Path clientKey;
  static Path rsaKey;
  static Path otherKey;
  static Path encryptedKey;

  @BeforeAll
  static void makeCertificates() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=test-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    openssl(
        "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "client.key");
    openssl("req", "-new", "-key", "client.key", "-subj", "/CN=client", "-out", "client.csr");
    openssl(
        "x509",
        "-req",
        "-in",
        "client.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        "client.pem");
    openssl("rsa", "-in", "client.key", "-traditional", "-out", "client-rsa.key");
    openssl(
        "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other.key");
    openssl(
        "pkcs8",
        "-topk8",
        "-in",
        "client.key",
        "-passout",
        "pass:secret",
        "-out",
        "client-enc.key");
    ca = dir.resolve("ca.pem");
    clientCert = dir.resolve("client.pem");
    clientKey = dir.resolve("client.key");
    rsaKey = dir.resolve("client-rsa.key");
    otherKey = dir.resolve("other.key");
    encryptedKey = dir.resolve("client-enc.key");
    assertThat(Files.readString(rsaKey)).contains("BEGIN RSA PRIVATE KEY");
    assertThat(Files.readString(clientKey)).contains("BEGIN PRIVATE KEY");
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    Path bin = Path.of("/usr/bin/openssl");
    if (!Files.isExecutable(bin)) {
      throw new AssertionError(
          "this test needs the openssl command: apt-get install openssl (scripts/install-servers"
              + " installs it)");
    }
    List<String> cmd = new ArrayList<>(List.of(bin.toString()));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new AssertionError(
          "openssl "
              + String.join(" ", args)
              + " failed: "
              + Files.readString(dir.resolve("openssl.log")));
    }
  }

  private static AmqpSettings.Builder tls() {
    return AmqpSettings.builder().hosts(List.of(AmqpHost.of("127.0.0.1", 5671))).ssl(true);
  }

  @Test
  void caOnlyAndClientCertificatesWithEitherKeyFormatGiveAContext() {
    assertThat(Tls.context(tls().sslCaFile(ca.toString()).build()).getProtocol()).isEqualTo("TLS");
    SSLContext mutual =
        Tls.context(
            tls()
                .sslCaFile(ca.toString())
                .sslCertFile(clientCert.toString())
                .sslKeyFile(clientKey.toString())
                .sslVersion("TLSv1_2")
                .build());
    assertThat(mutual.getProtocol()).isEqualTo("TLSv1.2");
    assertThat(
            Tls.context(
                tls().sslCertFile(clientCert.toString()).sslKeyFile(rsaKey.toString()).build()))
        .isNotNull();
  }

  @Test
  void pkcs1KeyIsWrappedIntoTheSameKeyAsPkcs8() throws Exception {
    String pem = Files.readString(rsaKey);
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] wrapped = Tls.pkcs1ToPkcs8(java.util.Base64.getDecoder().decode(b64));
    String pk8 =
        Files.readString(clientKey).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    assertThat(wrapped).isEqualTo(java.util.Base64.getDecoder().decode(pk8));
  }

  @Test
  void aMissingFileNamesTheOptionAndThePath() {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> Tls.context(tls().sslCaFile(missing.toString()).build()))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> {
              assertThat(e.option()).isEqualTo("ssl_ca_file");
              assertThat(e.value()).isEqualTo(missing.toString());
              assertThat(e.getCause()).isNotNull();
            })
        .hasMessageContaining("ssl_ca_file = '" + missing + "'")
        .hasMessageContaining("cannot read");
  }

  @Test
  void aFileThatIsNoCertificateIsNamed() {
    assertThatThrownBy(() -> Tls.context(tls().sslCaFile(clientKey.toString()).build()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("ssl_ca_file = '" + clientKey + "'");
  }

  @Test
  void certificateWithoutKeyIsRefused() {
    assertThatThrownBy(() -> Tls.context(tls().sslCertFile(clientCert.toString()).build()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("ssl_key_file is empty");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    assertThatThrownBy(
            () ->
                Tls.context(
                    tls()
                        .sslCertFile(clientCert.toString())
                        .sslKeyFile(otherKey.toString())
                        .build()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("is not the private key of the certificate");
  }

  @Test
  void anEncryptedKeyIsRefusedWithTheConversionCommand() {
    assertThatThrownBy(
            () ->
                Tls.context(
                    tls()
                        .sslCertFile(clientCert.toString())
                        .sslKeyFile(encryptedKey.toString())
                        .build()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("encrypted")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void osloSslVersionNamesMapToJsseProtocols() {
    assertThat(Tls.protocol("")).isEqualTo("TLS");
    assertThat(Tls.protocol("TLSv1_2")).isEqualTo("TLSv1.2");
    assertThat(Tls.protocol("PROTOCOL_TLSv1_3")).isEqualTo("TLSv1.3");
    assertThat(Tls.protocol("tlsv1.2")).isEqualTo("TLSv1.2");
    assertThat(Tls.protocol("SSLv23")).isEqualTo("TLS");
    assertThatThrownBy(() -> Tls.protocol("TLSv1"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("insecure");
    assertThatThrownBy(() -> Tls.protocol("banana"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ssl_version = 'banana'");
  }
}

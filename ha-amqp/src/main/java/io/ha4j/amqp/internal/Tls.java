package io.ha4j.amqp.internal;

import io.ha4j.config.AmqpSettings;
import io.ha4j.config.InvalidSettingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the {@link SSLContext} of the oslo {@code ssl*} options from PEM files, as Python's ssl
 * module reads them: {@code ssl_ca_file} (one or more CA certificates; empty = the JVM's trust
 * store), {@code ssl_cert_file} + {@code ssl_key_file} (a client certificate and its unencrypted
 * PKCS#8 or PKCS#1 RSA key), {@code ssl_version}. Every mistake is an {@link
 * InvalidSettingException} naming the option and the file, raised when the factory is built rather
 * than on every attempt.
 */
public final class Tls {

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");
  private static final char[] NO_PASSWORD = new char[0];

  private Tls() {}

  /** The context for {@code s}, which must have {@code ssl = true}. */
  public static SSLContext context(AmqpSettings s) {
    String protocol = protocol(s.sslVersion());
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (s.sslCaFile().isEmpty()) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore trust = emptyStore();
        int i = 0;
        for (Certificate c : certificates("ssl_ca_file", s.sslCaFile())) {
          trust.setCertificateEntry("ca-" + i++, c);
        }
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      boolean cert = !s.sslCertFile().isEmpty();
      boolean key = !s.sslKeyFile().isEmpty();
      if (cert != key) {
        throw invalid(
            cert ? "ssl_key_file" : "ssl_cert_file",
            "",
            "ssl_cert_file and ssl_key_file go together: "
                + (cert ? "ssl_key_file" : "ssl_cert_file")
                + " is empty while "
                + (cert ? "ssl_cert_file = " + s.sslCertFile() : "ssl_key_file = " + s.sslKeyFile())
                + " is set",
            null);
      }
      if (cert) {
        List<Certificate> chain = certificates("ssl_cert_file", s.sslCertFile());
        PrivateKey pk = privateKey(s.sslKeyFile());
        checkPair((X509Certificate) chain.get(0), pk, s);
        KeyStore ks = emptyStore();
        ks.setKeyEntry("client", pk, NO_PASSWORD, chain.toArray(Certificate[]::new));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, NO_PASSWORD);
      }
      SSLContext ctx = SSLContext.getInstance(protocol);
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw invalid(
          "ssl",
          "true",
          "cannot set up TLS from the ssl_* options (ssl_ca_file = "
              + s.sslCaFile()
              + ", ssl_cert_file = "
              + s.sslCertFile()
              + ", ssl_key_file = "
              + s.sslKeyFile()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The JSSE protocol for an oslo {@code ssl_version} ({@code TLSv1_2}, {@code PROTOCOL_TLSv1_2},
   * {@code TLSv1.3}, …); empty means the best both sides support.
   */
  static String protocol(String sslVersion) {
    String v = sslVersion.trim();
    if (v.isEmpty()) {
      return "TLS";
    }
    String n = v.toUpperCase(Locale.ROOT).replace("PROTOCOL_", "").replace('_', '.');
    return switch (n) {
      case "TLS", "SSLV23", "TLS.CLIENT" -> "TLS";
      case "TLSV1.2" -> "TLSv1.2";
      case "TLSV1.3" -> "TLSv1.3";
      case "TLSV1", "TLSV1.1", "SSLV2", "SSLV3" ->
          throw invalid(
              "ssl_version",
              v,
              "ssl_version = "
                  + v
                  + " is an insecure protocol the JVM no longer offers; use TLSv1_2",
              null);
      default ->
          throw invalid(
              "ssl_version",
              v,
              "ssl_version = "
                  + v
                  + " is not a TLS version; use TLSv1_2, TLSv1_3 or leave it empty for the best"
                  + " version both sides support",
              null);
    };
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return ks;
  }

  private static String read(String option, String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw invalid(option, file, option + " = " + file + ": cannot read the file (" + e + ")", e);
    }
  }

  private static List<Certificate> certificates(String option, String file) {
    String text = read(option, file);
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Collection<? extends Certificate> certs =
          cf.generateCertificates(
              new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
      if (certs.isEmpty()) {
        throw invalid(
            option, file, option + " = " + file + ": no PEM certificate in the file", null);
      }
      return new ArrayList<>(certs);
    } catch (GeneralSecurityException e) {
      throw invalid(
          option,
          file,
          option + " = " + file + ": not a PEM certificate (" + e.getMessage() + ")",
          e);
    }
  }

  private static PrivateKey privateKey(String file) {
    String text = read("ssl_key_file", file);
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2).trim());
      } catch (IllegalArgumentException e) {
        throw invalid(
            "ssl_key_file",
            file,
            "ssl_key_file = " + file + ": the " + type + " block is not base64",
            e);
      }
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(file, der);
        case "RSA PRIVATE KEY":
          return pkcs8(file, pkcs1ToPkcs8(der));
        case "ENCRYPTED PRIVATE KEY":
          throw invalid(
              "ssl_key_file",
              file,
              "ssl_key_file = "
                  + file
                  + ": the key is encrypted; oslo has no key password option either"
                  + " (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)",
              null);
        case "EC PRIVATE KEY":
          throw invalid(
              "ssl_key_file",
              file,
              "ssl_key_file = "
                  + file
                  + ": SEC1 EC keys are not read; convert to PKCS#8"
                  + " (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)",
              null);
        default:
          // e.g. EC PARAMETERS before the key: keep looking
      }
    }
    throw invalid(
        "ssl_key_file", file, "ssl_key_file = " + file + ": no PEM private key in the file", null);
  }

  private static PrivateKey pkcs8(String file, byte[] der) {
    GeneralSecurityException last = null;
    for (String alg : List.of("RSA", "EC", "Ed25519", "EdDSA")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e; // try the next algorithm
      }
    }
    throw invalid(
        "ssl_key_file",
        file,
        "ssl_key_file = " + file + ": not an RSA, EC or EdDSA private key",
        last);
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (rsaEncryption, NULL params). */
  static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    byte[] version = {0x02, 0x01, 0x00};
    byte[] algorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] octets = der(0x04, pkcs1);
    byte[] body = new byte[version.length + algorithm.length + octets.length];
    System.arraycopy(version, 0, body, 0, version.length);
    System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
    System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
    return der(0x30, body);
  }

  private static byte[] der(int tag, byte[] content) {
    byte[] len;
    if (content.length < 0x80) {
      len = new byte[] {(byte) content.length};
    } else {
      byte[] n = BigInteger.valueOf(content.length).toByteArray();
      int skip = n[0] == 0 ? 1 : 0;
      len = new byte[n.length - skip + 1];
      len[0] = (byte) (0x80 | (n.length - skip));
      System.arraycopy(n, skip, len, 1, n.length - skip);
    }
    byte[] out = new byte[1 + len.length + content.length];
    out[0] = (byte) tag;
    System.arraycopy(len, 0, out, 1, len.length);
    System.arraycopy(content, 0, out, 1 + len.length, content.length);
    return out;
  }

  /** Signs a nonce with the key and verifies it with the certificate: they must be a pair. */
  private static void checkPair(X509Certificate cert, PrivateKey key, AmqpSettings s) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] nonce = new byte[32];
      new SecureRandom().nextBytes(nonce);
      Signature signer = Signature.getInstance(alg);
      signer.initSign(key);
      signer.update(nonce);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(alg);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(nonce);
      if (verifier.verify(sig)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // a key of another algorithm than the certificate's: not a pair either
    }
    throw invalid(
        "ssl_key_file",
        s.sslKeyFile(),
        "ssl_key_file = "
            + s.sslKeyFile()
            + " is not the private key of the certificate in ssl_cert_file = "
            + s.sslCertFile(),
        null);
  }

  /** A mistake in one {@code [oslo_messaging_rabbit]} TLS option; the value is a file name. */
  private static InvalidSettingException invalid(
      String option, String value, String message, Throwable cause) {
    // The problem line shows "option = 'value': " itself.
    String prefix = option + " = " + value + ": ";
    String what = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    return new InvalidSettingException("oslo_messaging_rabbit", option, value, what, cause);
  }
}

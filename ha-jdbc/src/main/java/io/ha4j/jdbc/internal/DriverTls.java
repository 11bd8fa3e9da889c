package io.ha4j.jdbc.internal;

import io.ha4j.config.DatabaseTls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link DatabaseTls} as mariadb-java-client options, for every connection ha4j opens (pools,
 * monitor, probes).
 *
 * <ul>
 *   <li>no TLS: {@code sslMode=disable}, said explicitly so that a driver whose default is TLS
 *       (4.x) behaves the same;
 *   <li>verification off: {@code sslMode=trust};
 *   <li>verification on: {@code verify-full} (host name or IP address checked against the
 *       certificate's subject alternative names) or {@code verify-ca}, with {@code serverSslCert} =
 *       the CA file (without a CA the JVM's trust store decides).
 * </ul>
 *
 * <p>Connector/J 3.5 takes a client certificate only from a key store file ({@code keyStore}, JKS
 * or PKCS12), not as PEM files as PyMySQL does. So the PEM certificate and key are read here and
 * written to a PKCS12 file of this object's own, readable by the owner only, with a random password
 * that lives only in memory; {@link #close()} deletes it (and the JVM's exit, should close never
 * come).
 */
public final class DriverTls implements AutoCloseable {

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----", Pattern.DOTALL);

  private final Map<String, String> properties;
  private final Path keyStore;

  private DriverTls(Map<String, String> properties, Path keyStore) {
    this.properties = Map.copyOf(properties);
    this.keyStore = keyStore;
  }

  /**
   * The driver options for {@code tls}; makes the key store when a client certificate is given.
   *
   * @throws IllegalArgumentException naming the file, when the client certificate or key cannot be
   *     read (never showing key material)
   */
  public static DriverTls of(DatabaseTls tls) {
    Map<String, String> p = new LinkedHashMap<>();
    if (!tls.enabled()) {
      p.put("sslMode", "disable");
      return new DriverTls(p, null);
    }
    if (!tls.verifyCert()) {
      p.put("sslMode", "trust");
    } else {
      p.put("sslMode", tls.verifyIdentity() ? "verify-full" : "verify-ca");
      tls.ca().ifPresent(ca -> p.put("serverSslCert", ca.toAbsolutePath().toString()));
    }
    Path store = null;
    if (tls.cert().isPresent()) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      store = keyStore(tls.cert().get(), tls.key().orElse(tls.cert().get()), password);
      p.put("keyStore", store.toString());
      p.put("keyStoreType", "PKCS12");
      p.put("keyStorePassword", password);
    }
    return new DriverTls(p, store);
  }

  /** The options to add to every connection's properties. */
  public Map<String, String> properties() {
    return properties;
  }

  /** The sslMode chosen (for messages). */
  String sslMode() {
    return properties.get("sslMode");
  }

  /** Deletes the key store file, if one was made. */
  @Override
  public void close() {
    if (keyStore != null) {
      try {
        Files.deleteIfExists(keyStore);
      } catch (IOException ignored) {
        // deleteOnExit is still registered
      }
    }
  }

  private static Path keyStore(Path certFile, Path keyFile, String password) {
    List<Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Pem b : blocks(certFile)) {
        if (b.type().equals("CERTIFICATE")) {
          chain.add(cf.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "ssl_cert = " + certFile + ": not a PEM certificate (" + e.getMessage() + ")", e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "ssl_cert = " + certFile + ": no '-----BEGIN CERTIFICATE-----' block in the file");
    }
    PrivateKey key = privateKey(keyFile);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", key, password.toCharArray(), chain.toArray(new Certificate[0]));
      Path file =
          Files.createTempFile(
              "ha4j-client-",
              ".p12",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      file.toFile().deleteOnExit();
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, password.toCharArray());
      }
      return file;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot prepare the TLS client certificate ssl_cert = "
              + certFile
              + " for the driver: "
              + e.getMessage(),
          e);
    }
  }

  private static PrivateKey privateKey(Path keyFile) {
    for (Pem b : blocks(keyFile)) {
      switch (b.type()) {
        case "PRIVATE KEY" -> {
          return pkcs8(keyFile, b.der());
        }
        case "RSA PRIVATE KEY" -> {
          return pkcs8(keyFile, rsaPkcs1ToPkcs8(b.der()));
        }
        case "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY" ->
            throw new IllegalArgumentException(
                "ssl_key = "
                    + keyFile
                    + ": a '"
                    + b.type()
                    + "' is not supported; convert it with 'openssl pkcs8 -topk8 -nocrypt -in "
                    + keyFile
                    + "'");
        default -> {
          // a certificate in the same file: look further
        }
      }
    }
    throw new IllegalArgumentException(
        "ssl_key = " + keyFile + ": no '-----BEGIN PRIVATE KEY-----' block in the file");
  }

  private static PrivateKey pkcs8(Path keyFile, byte[] der) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(
        "ssl_key = " + keyFile + ": not an RSA, EC or EdDSA private key");
  }

  /**
   * Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, SEQUENCE { OID
   * rsaEncryption, NULL }, OCTET STRING { key } } (RFC 5208), what {@code openssl genrsa} of
   * OpenSSL 1.x writes.
   */
  static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
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
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(version);
    body.writeBytes(algorithm);
    body.writeBytes(octets);
    return der(0x30, body.toByteArray());
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((n >>> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private record Pem(String type, byte[] der) {}

  private static List<Pem> blocks(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<Pem> out = new ArrayList<>();
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      try {
        out.add(new Pem(m.group(1), Base64.getMimeDecoder().decode(m.group(2).strip())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            file + ": the '" + m.group(1) + "' block is not valid base64", e);
      }
    }
    return out;
  }
}

package io.ha4j.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for the connections to the database nodes: oslo.db's {@code ssl_*} query parameters of {@code
 * [database] connection} as PyMySQL (through SQLAlchemy) reads them. Immutable and thread-safe;
 * holds file paths only, no key material, so {@link #toString()} shows everything.
 *
 * <p>The rules, as PyMySQL's: TLS is on when any of {@code ssl_ca}, {@code ssl_cert}, {@code
 * ssl_key}, {@code ssl_verify_cert} or {@code ssl_verify_identity} is given. The server certificate
 * is verified when a CA is given (or {@code ssl_verify_cert=true}), and its host name or IP address
 * too when a CA is given (SQLAlchemy's {@code ssl_check_hostname} defaults to true); {@code
 * ssl_verify_cert=false} encrypts without any verification, {@code ssl_verify_identity=false} (or
 * {@code ssl_check_hostname=false}) verifies the chain but not the name. {@code ssl_cert} and
 * {@code ssl_key} (PEM) are the client certificate and its key; the key may sit in the certificate
 * file.
 *
 * @since 0.1.0
 */
public final class DatabaseTls {

  /** The {@code [database] connection} query parameters read here. */
  public static final List<String> PARAMETERS =
      List.of(
          "ssl_ca",
          "ssl_cert",
          "ssl_key",
          "ssl_verify_cert",
          "ssl_verify_identity",
          "ssl_check_hostname");

  private static final DatabaseTls DISABLED =
      new DatabaseTls(false, null, null, null, false, false);

  private final boolean enabled;
  private final Path ca;
  private final Path cert;
  private final Path key;
  private final boolean verifyCert;
  private final boolean verifyIdentity;

  private DatabaseTls(
      boolean enabled, Path ca, Path cert, Path key, boolean verifyCert, boolean verifyIdentity) {
    this.enabled = enabled;
    this.ca = ca;
    this.cert = cert;
    this.key = key;
    this.verifyCert = verifyCert;
    this.verifyIdentity = verifyIdentity;
  }

  /** No TLS: connections are in clear text (the default, as oslo.db's). */
  public static DatabaseTls disabled() {
    return DISABLED;
  }

  /** A builder for TLS settings; {@link Builder#build()} turns TLS on. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the {@code ssl_*} parameters of a connection URL (see the class comment) and returns them
   * with the parameters that are left for the driver.
   *
   * @param parameters URL query parameters; not changed
   * @return the TLS settings ({@link #disabled()} when no {@code ssl_*} parameter is present) and
   *     the other parameters
   * @throws IllegalArgumentException naming the parameter: not a boolean, an {@code ssl_*}
   *     parameter ha4j does not know ({@code ssl_capath}, {@code ssl_cipher} …), or an empty path
   * @throws InvalidSettingsException when the values break a rule (see {@link Builder#build()})
   */
  public static Parsed fromParameters(Map<String, String> parameters) {
    Map<String, String> rest = new LinkedHashMap<>();
    Builder b = builder();
    boolean any = false;
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (!name.toLowerCase(Locale.ROOT).startsWith("ssl_")) {
        rest.put(name, value);
        continue;
      }
      any = true;
      switch (name) {
        case "ssl_ca" -> b.ca(path(name, value));
        case "ssl_cert" -> b.cert(path(name, value));
        case "ssl_key" -> b.key(path(name, value));
        case "ssl_verify_cert" -> b.verifyCert(bool(name, value));
        case "ssl_verify_identity", "ssl_check_hostname" -> b.verifyIdentity(bool(name, value));
        default ->
            throw new IllegalArgumentException(
                "unsupported TLS parameter '"
                    + name
                    + "': ha4j reads "
                    + String.join(", ", PARAMETERS.subList(0, 5))
                    + " (and ssl_check_hostname)");
      }
    }
    return new Parsed(any ? b.build() : DISABLED, rest);
  }

  /**
   * The result of {@link #fromParameters}.
   *
   * @param tls the TLS settings
   * @param driverParameters the parameters that are not about TLS
   */
  public record Parsed(DatabaseTls tls, Map<String, String> driverParameters) {
    /** Copies the map. */
    public Parsed {
      Objects.requireNonNull(tls, "tls");
      driverParameters =
          java.util.Collections.unmodifiableMap(new LinkedHashMap<>(driverParameters));
    }
  }

  private static Path path(String name, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " is empty: expected the path of a PEM file");
    }
    return Path.of(value);
  }

  /** A boolean as PyMySQL reads {@code verify_mode} strings: true/false, yes/no, 1/0, on/off. */
  private static boolean bool(String name, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on", "required" -> true;
      case "false", "no", "0", "off", "none" -> false;
      default ->
          throw new IllegalArgumentException(
              name + " = '" + value + "' is not a boolean: expected true or false");
    };
  }

  /** Whether connections use TLS. */
  public boolean enabled() {
    return enabled;
  }

  /** The CA certificate(s) (PEM) that sign the servers' certificates, if given. */
  public Optional<Path> ca() {
    return Optional.ofNullable(ca);
  }

  /** The client certificate (PEM), if given. */
  public Optional<Path> cert() {
    return Optional.ofNullable(cert);
  }

  /** The client certificate's private key (PEM, unencrypted), if given apart from the cert. */
  public Optional<Path> key() {
    return Optional.ofNullable(key);
  }

  /** Whether the server certificate chain is verified. */
  public boolean verifyCert() {
    return verifyCert;
  }

  /** Whether the server certificate must name the host (name or IP address) connected to. */
  public boolean verifyIdentity() {
    return verifyIdentity;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatabaseTls t && toString().equals(t.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** e.g. {@code DatabaseTls[ca=/etc/ca.pem, cert=none, key=none, verifyCert, verifyIdentity]}. */
  @Override
  public String toString() {
    if (!enabled) {
      return "DatabaseTls[disabled]";
    }
    return "DatabaseTls[ca="
        + (ca == null ? "none" : ca)
        + ", cert="
        + (cert == null ? "none" : cert)
        + ", key="
        + (key == null ? "none" : key)
        + ", verifyCert="
        + verifyCert
        + ", verifyIdentity="
        + verifyIdentity
        + "]";
  }

  /**
   * Builds {@link DatabaseTls}; argument checks as {@link AmqpSettings.Builder}. Not thread-safe;
   * reusable.
   */
  public static final class Builder {
    private Path ca;
    private Path cert;
    private Path key;
    private Boolean verifyCert;
    private Boolean verifyIdentity;

    private Builder() {}

    /** The CA certificate(s) (PEM) to verify the servers with. */
    public Builder ca(Path v) {
      this.ca = Objects.requireNonNull(v, "ca");
      return this;
    }

    /** The client certificate (PEM); its key in {@link #key} or in the same file. */
    public Builder cert(Path v) {
      this.cert = Objects.requireNonNull(v, "cert");
      return this;
    }

    /** The client certificate's private key (PEM, unencrypted PKCS#8 or PKCS#1 RSA). */
    public Builder key(Path v) {
      this.key = Objects.requireNonNull(v, "key");
      return this;
    }

    /** Whether the server certificate is verified; default: whether a CA is given. */
    public Builder verifyCert(boolean v) {
      this.verifyCert = v;
      return this;
    }

    /**
     * Whether the server certificate must name the host; default: whether a CA is given and the
     * certificate is verified.
     */
    public Builder verifyIdentity(boolean v) {
      this.verifyIdentity = v;
      return this;
    }

    /**
     * Builds the settings: TLS on.
     *
     * @throws InvalidSettingsException (an {@code IllegalStateException}) listing every broken
     *     rule: a key without a certificate, identity verification without certificate
     *     verification, a file that is missing or not readable
     */
    public DatabaseTls build() {
      boolean vc = verifyCert != null ? verifyCert : ca != null;
      boolean vi = verifyIdentity != null ? verifyIdentity : ca != null && vc;
      List<InvalidSettingsException.Violation> violations = new ArrayList<>();
      if (key != null && cert == null) {
        violations.add(
            new InvalidSettingsException.Violation(
                List.of("tls.key", "tls.cert"),
                "ssl_key = " + key + " needs ssl_cert, the client certificate it belongs to"));
      }
      if (vi && !vc) {
        violations.add(
            new InvalidSettingsException.Violation(
                List.of("tls.verifyIdentity", "tls.verifyCert"),
                "ssl_verify_identity = true needs ssl_verify_cert = true: a name is only"
                    + " verified on a verified certificate"));
      }
      checkFile("tls.ca", "ssl_ca", ca, violations);
      checkFile("tls.cert", "ssl_cert", cert, violations);
      checkFile("tls.key", "ssl_key", key, violations);
      if (!violations.isEmpty()) {
        throw new InvalidSettingsException(violations);
      }
      return new DatabaseTls(true, ca, cert, key, vc, vi);
    }

    private static void checkFile(
        String setting, String param, Path p, List<InvalidSettingsException.Violation> out) {
      if (p == null) {
        return;
      }
      String problem =
          !Files.exists(p)
              ? "does not exist"
              : !Files.isRegularFile(p)
                  ? "is not a file"
                  : !Files.isReadable(p) ? "is not readable" : null;
      if (problem != null) {
        out.add(
            new InvalidSettingsException.Violation(
                List.of(setting), param + " = " + p + ": the file " + problem));
      }
    }
  }
}

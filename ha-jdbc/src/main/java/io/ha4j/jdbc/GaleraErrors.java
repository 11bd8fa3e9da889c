package io.ha4j.jdbc;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * Classifies database errors by MariaDB/MySQL vendor code (never by SQLSTATE: drivers disagree), as
 * a Galera client needs them. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class GaleraErrors {

  /** What an error means for the unit of work and for the node. */
  public enum Kind {
    /** 1213: deadlock or certification failure; re-run the whole unit of work. */
    DEADLOCK,
    /** 1047: node not ready, non-Primary or rejecting queries; mark it down, retry elsewhere. */
    NODE_NOT_READY,
    /** 1205: lock wait timeout; retried only when configured. */
    LOCK_WAIT_TIMEOUT,
    /** 1927, 2002, 2003, 2006, 2013, 4031, socket errors: the connection is gone. */
    CONNECTION_LOST,
    /** 1180, 1153 and other commit errors: re-running cannot help. */
    NOT_RETRYABLE,
    /**
     * The TLS handshake failed on the client's configuration or the server's certificate (a CA that
     * did not sign it, a name it does not carry, a client certificate the server refuses): retrying
     * cannot help. Since 0.2.
     */
    TLS,
    /** Anything else (constraint violations, syntax errors …): the caller's. */
    OTHER
  }

  private GaleraErrors() {}

  /** The kind of {@code e}, looking through causes and chained SQL exceptions. */
  public static Kind classify(Throwable e) {
    if (tlsFailure(e).isPresent()) {
      return Kind.TLS;
    }
    Kind fromCode = null;
    boolean lost = false;
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof SQLException s && s.getErrorCode() != 0) {
        Kind k = notInPrimary(s) ? Kind.NODE_NOT_READY : byCode(s.getErrorCode());
        if (k != null && fromCode == null) {
          fromCode = k;
        }
      }
      if (t instanceof SQLNonTransientConnectionException
          || t instanceof SQLTransientConnectionException
          || t instanceof SocketException
          || t instanceof SocketTimeoutException
          || t instanceof EOFException
          || (t instanceof SQLTimeoutException s && s.getErrorCode() == 0)
          || (t instanceof IOException && !(t instanceof java.io.FileNotFoundException))) {
        lost = true;
      }
    }
    if (fromCode != null) {
      return fromCode;
    }
    return lost ? Kind.CONNECTION_LOST : Kind.OTHER;
  }

  /**
   * 1180 (error during COMMIT) is not retryable in general (a write set too big stays too big), but
   * when Galera says it could not replicate because the node is out of the Primary Component
   * ("Error while appending streaming replication fragment(provider status: Not connected to
   * Primary Component)", seen when the writer is cut off or paused under load) nothing was
   * replicated, the transaction is rolled back, and the node is as unready as with 1047.
   */
  private static boolean notInPrimary(SQLException s) {
    String m = s.getMessage();
    return s.getErrorCode() == 1180
        && m != null
        && m.contains("provider status")
        && m.contains("Primary Component");
  }

  /** The kind of a vendor error code, or null if it has no Galera meaning. */
  static Kind byCode(int code) {
    return switch (code) {
      case 1213 -> Kind.DEADLOCK;
      case 1047 -> Kind.NODE_NOT_READY;
      case 1205 -> Kind.LOCK_WAIT_TIMEOUT;
      case 1927, 2002, 2003, 2006, 2013, 4031 -> Kind.CONNECTION_LOST;
      case 1180, 1153 -> Kind.NOT_RETRYABLE;
      default -> null;
    };
  }

  /**
   * Why the TLS handshake in {@code e} failed, when it failed for a reason that retrying cannot
   * fix: certificate verification (the CA, the validity, the host name), or the server's refusal of
   * the handshake ("Received fatal alert: …", e.g. of the client certificate). A handshake cut
   * short by the network (reset, end of stream) is a lost connection, not this.
   *
   * @return the TLS library's message, or empty
   * @since 0.1.0
   */
  public static java.util.Optional<String> tlsFailure(Throwable e) {
    javax.net.ssl.SSLException tls = null;
    boolean certificate = false;
    boolean network = false;
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof javax.net.ssl.SSLException s && tls == null) {
        tls = s;
      }
      if (t instanceof java.security.cert.CertificateException
          || t instanceof java.security.cert.CertPathValidatorException
          || t instanceof java.security.cert.CertPathBuilderException
          || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
        certificate = true;
      }
      if (t instanceof EOFException
          || t instanceof SocketException
          || t instanceof SocketTimeoutException) {
        network = true;
      }
    }
    if (tls == null) {
      return java.util.Optional.empty();
    }
    String m = tls.getMessage() == null ? tls.getClass().getSimpleName() : tls.getMessage();
    String lower = m.toLowerCase(java.util.Locale.ROOT);
    boolean refused = lower.contains("fatal alert") && !lower.contains("close_notify");
    // Connector/J's own host name check throws a plain SSLException naming the certificate
    boolean name = lower.contains("certificate") || lower.contains("does not match");
    if (certificate || refused || (name && !network)) {
      return java.util.Optional.of(m);
    }
    return java.util.Optional.empty();
  }

  /** Whether the node that raised {@code e} should be re-checked at once. */
  public static boolean suspectsNode(Throwable e) {
    Kind k = classify(e);
    return k == Kind.NODE_NOT_READY || k == Kind.CONNECTION_LOST;
  }

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException s && s.getNextException() != null && s.getNextException() != t) {
      return s.getNextException();
    }
    Throwable c = t.getCause();
    return c == t ? null : c;
  }
}

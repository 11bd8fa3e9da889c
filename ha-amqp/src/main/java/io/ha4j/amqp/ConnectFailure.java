package io.ha4j.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why one attempt to connect to one RabbitMQ host failed: a {@link Kind} and a short description
 * such as {@code connection refused} or {@code 530 NOT_ALLOWED - vhost nova not found}. The same
 * classification drives the retry schedule (a {@linkplain #permanent() permanent} failure on every
 * host of a full cycle ends retrying), the {@link AmqpConnectException} message and {@link
 * HostProbe}. Immutable; never contains a password.
 *
 * @param kind what kind of failure
 * @param description a short description for people
 * @since 0.1
 */
public record ConnectFailure(Kind kind, String description) {

  /**
   * Kinds of connection failures.
   *
   * @since 0.1
   */
  public enum Kind {
    /** Nothing listens on the port (TCP RST). */
    CONNECTION_REFUSED(false, false),
    /** The TCP connect or the AMQP handshake timed out. */
    TIMEOUT(false, false),
    /** The host name does not resolve. */
    UNKNOWN_HOST(false, false),
    /** The broker refused the user name or password. */
    AUTHENTICATION_FAILED(true, true),
    /** The broker refused the virtual host or the user's access to it (403, 530). */
    ACCESS_REFUSED(true, true),
    /** The TLS handshake failed: certificates, host name, protocol, or a port without TLS. */
    TLS(true, false),
    /** The broker closed the connection for another reason (e.g. 320 CONNECTION_FORCED). */
    BROKER_CLOSED(false, true),
    /** Anything else (an I/O error, a reset connection). */
    OTHER(false, false);

    private final boolean permanent;
    private final boolean brokerAnswered;

    Kind(boolean permanent, boolean brokerAnswered) {
      this.permanent = permanent;
      this.brokerAnswered = brokerAnswered;
    }

    /** Whether retrying cannot fix it (configuration, credentials, permissions). */
    public boolean permanent() {
      return permanent;
    }

    /** Whether a RabbitMQ broker answered on the port (the node is up, it refused us). */
    public boolean brokerAnswered() {
      return brokerAnswered;
    }
  }

  /**
   * Checks the components.
   *
   * @throws NullPointerException for a null component
   */
  public ConnectFailure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(description, "description");
  }

  /** Whether retrying cannot fix it; see {@link Kind#permanent()}. */
  public boolean permanent() {
    return kind.permanent();
  }

  /**
   * Classifies an exception thrown by amqp-client while connecting.
   *
   * @throws NullPointerException for null
   */
  public static ConnectFailure classify(Throwable e) {
    Objects.requireNonNull(e, "e");
    if (e instanceof AuthenticationFailureException) {
      return new ConnectFailure(
          Kind.AUTHENTICATION_FAILED, "ACCESS_REFUSED (user name or password refused)");
    }
    if (e instanceof PossibleAuthenticationFailureException) {
      return new ConnectFailure(
          Kind.AUTHENTICATION_FAILED,
          "connection closed during authentication (credentials refused?)");
    }
    ShutdownSignalException sse = find(e, ShutdownSignalException.class);
    if (sse != null && sse.getReason() instanceof AMQP.Connection.Close close) {
      boolean refused =
          close.getReplyCode() == AMQP.NOT_ALLOWED || close.getReplyCode() == AMQP.ACCESS_REFUSED;
      return new ConnectFailure(
          refused ? Kind.ACCESS_REFUSED : Kind.BROKER_CLOSED,
          close.getReplyCode() + " " + close.getReplyText());
    }
    SSLException tls = find(e, SSLException.class);
    if (tls != null) {
      // A certificate the CA does not vouch for, a name mismatch, a port that does not speak
      // TLS: configuration, which retrying cannot fix.
      return new ConnectFailure(
          Kind.TLS,
          "TLS handshake failed ("
              + tls.getMessage()
              + "); check ssl_ca_file, ssl_cert_file, ssl_key_file, ssl_version and that the"
              + " port speaks TLS");
    }
    if (find(e, ConnectException.class) != null) {
      return new ConnectFailure(Kind.CONNECTION_REFUSED, "connection refused");
    }
    if (find(e, SocketTimeoutException.class) != null || e instanceof TimeoutException) {
      return new ConnectFailure(Kind.TIMEOUT, "timed out");
    }
    if (find(e, UnknownHostException.class) != null) {
      return new ConnectFailure(Kind.UNKNOWN_HOST, "unknown host");
    }
    String m = e.getMessage();
    return new ConnectFailure(
        Kind.OTHER, e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
  }

  /**
   * {@link #classify(Throwable)} for an attempt by {@code user} to {@code host}: a refusal of the
   * credentials or of the virtual host reads "user 'guest' was refused by host 10.0.0.1:5672: …",
   * so that nobody takes the connection name for the user name. Never includes the password.
   *
   * @param user the user name the attempt authenticated as (empty for SASL EXTERNAL)
   * @param host {@code host:port} of the attempt
   * @throws NullPointerException for null
   * @since 0.1.0
   */
  public static ConnectFailure classify(Throwable e, String user, String host) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
    ConnectFailure f = classify(e);
    if (f.kind == Kind.AUTHENTICATION_FAILED || f.kind == Kind.ACCESS_REFUSED) {
      String who = user.isEmpty() ? "the client certificate" : "user '" + user + "'";
      return new ConnectFailure(
          f.kind, who + " was refused by host " + host + ": " + f.description);
    }
    return f;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}

package io.ha4j.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** Names connection failures and tells apart the ones retrying cannot fix. */
public final class Failures {

  private Failures() {}

  /** A failed attempt: a short description and whether it is permanent. */
  public record Failure(String description, boolean permanent) {}

  /** Classifies an exception thrown while connecting. */
  public static Failure classify(Throwable e) {
    if (e instanceof AuthenticationFailureException) {
      return new Failure("ACCESS_REFUSED (user name or password refused)", true);
    }
    if (e instanceof PossibleAuthenticationFailureException) {
      return new Failure("connection closed during authentication (credentials refused?)", true);
    }
    ShutdownSignalException sse = find(e, ShutdownSignalException.class);
    if (sse != null && sse.getReason() instanceof AMQP.Connection.Close close) {
      boolean permanent =
          close.getReplyCode() == AMQP.NOT_ALLOWED || close.getReplyCode() == AMQP.ACCESS_REFUSED;
      return new Failure(close.getReplyCode() + " " + close.getReplyText(), permanent);
    }
    javax.net.ssl.SSLException tls = find(e, javax.net.ssl.SSLException.class);
    if (tls != null) {
      // A certificate the CA does not vouch for, a name mismatch, a port that does not speak
      // TLS: configuration, which retrying cannot fix.
      return new Failure(
          "TLS handshake failed ("
              + tls.getMessage()
              + "); check ssl_ca_file, ssl_cert_file, ssl_key_file, ssl_version and that the"
              + " port speaks TLS",
          true);
    }
    if (find(e, ConnectException.class) != null) {
      return new Failure("connection refused", false);
    }
    if (find(e, SocketTimeoutException.class) != null || e instanceof TimeoutException) {
      return new Failure("timed out", false);
    }
    if (find(e, UnknownHostException.class) != null) {
      return new Failure("unknown host", false);
    }
    String m = e.getMessage();
    return new Failure(e.getClass().getSimpleName() + (m == null ? "" : ": " + m), false);
  }

  /** Whether the exception says the connection or channel is gone (not a broker refusal). */
  public static boolean isConnectionLoss(Throwable e) {
    ShutdownSignalException sse = find(e, ShutdownSignalException.class);
    if (sse != null) {
      return sse.isHardError() || !(sse.getReason() instanceof AMQP.Channel.Close);
    }
    return find(e, java.io.IOException.class) != null
        || e instanceof com.rabbitmq.client.AlreadyClosedException;
  }

  static <T extends Throwable> T find(Throwable e, Class<T> type) {
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

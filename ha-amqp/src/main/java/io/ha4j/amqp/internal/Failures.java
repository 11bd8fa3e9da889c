package io.ha4j.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import io.ha4j.amqp.ConnectFailure;

/**
 * Names connection failures and tells apart the ones retrying cannot fix. Internal: outside ha-amqp
 * use the public {@link ConnectFailure} (and {@link io.ha4j.amqp.HaConnectionFactory#probe} to
 * probe a host).
 */
public final class Failures {

  private Failures() {}

  /**
   * A failed attempt: a short description and whether it is permanent.
   *
   * @deprecated use {@link ConnectFailure}
   */
  @Deprecated(since = "0.1")
  public record Failure(String description, boolean permanent) {}

  /**
   * Classifies an exception thrown while connecting.
   *
   * @deprecated use {@link ConnectFailure#classify(Throwable)}
   */
  @Deprecated(since = "0.1")
  public static Failure classify(Throwable e) {
    ConnectFailure f = ConnectFailure.classify(e);
    return new Failure(f.description(), f.permanent());
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

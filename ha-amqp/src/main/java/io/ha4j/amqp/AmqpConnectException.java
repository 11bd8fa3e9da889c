package io.ha4j.amqp;

import io.ha4j.config.GiveUpException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * No node could be connected to within the retry budget ({@code rabbit_max_retries}), or every node
 * of a full cycle refused for a reason retrying cannot fix (see {@link #isPermanent()}). The
 * message names the connection, every host with its last error, the attempts and the elapsed time;
 * the cause is the last error.
 *
 * @since 0.1
 */
public class AmqpConnectException extends GiveUpException {

  private static final long serialVersionUID = 1L;

  private final Map<String, String> lastErrors;
  private final boolean permanent;

  /**
   * An exception for a spent budget or a permanent refusal of an unnamed AMQP connection.
   *
   * @deprecated name the connection with {@link #AmqpConnectException(String, String, int,
   *     Duration, Map, boolean, Throwable)}
   */
  @Deprecated(since = "0.1")
  public AmqpConnectException(
      String summary,
      int attempts,
      Duration elapsed,
      Map<String, String> lastErrors,
      boolean permanent,
      Throwable cause) {
    this("AMQP connection", summary, attempts, elapsed, lastErrors, permanent, cause);
  }

  /**
   * An exception for a spent budget or a permanent refusal.
   *
   * @param resource the connection, e.g. {@code AMQP connection 'orders'}
   * @param summary what happened, naming the connection
   * @param attempts attempts made, counting from 1
   * @param elapsed time from the first attempt to giving up
   * @param lastErrors {@code host:port} to the last error seen there, in host order
   * @param permanent whether retrying cannot fix the cause
   * @param cause the last error
   */
  public AmqpConnectException(
      String resource,
      String summary,
      int attempts,
      Duration elapsed,
      Map<String, String> lastErrors,
      boolean permanent,
      Throwable cause) {
    super(resource, message(summary, attempts, elapsed, lastErrors), attempts, elapsed, cause);
    this.lastErrors = Collections.unmodifiableMap(new LinkedHashMap<>(lastErrors));
    this.permanent = permanent;
  }

  /** {@code host:port} to the last error seen there, in host order. */
  public Map<String, String> lastErrors() {
    return lastErrors;
  }

  /**
   * Whether the cause is one retrying cannot fix (credentials refused, unknown virtual host) rather
   * than a spent retry budget.
   */
  public boolean isPermanent() {
    return permanent;
  }

  private static String message(
      String summary, int attempts, Duration elapsed, Map<String, String> lastErrors) {
    StringBuilder sb =
        new StringBuilder(summary)
            .append(" after ")
            .append(attempts)
            .append(" attempt(s) in ")
            .append(elapsed.toMillis())
            .append(" ms; last error per host:");
    lastErrors.forEach((h, e) -> sb.append(' ').append(h).append(": ").append(e).append(';'));
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }
}

package io.ha4j.amqp;

import io.ha4j.config.HaException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * No node could be connected to within the retry budget ({@code rabbit_max_retries}), or every node
 * of a full cycle refused for a reason retrying cannot fix (see {@link #isPermanent()}). The
 * message names every host with its last error, the attempts and the elapsed time.
 *
 * @since 0.1
 */
public class AmqpConnectException extends HaException {

  private static final long serialVersionUID = 1L;

  private final int attempts;
  private final Duration elapsed;
  private final Map<String, String> lastErrors;
  private final boolean permanent;

  /** An exception for a spent budget or a permanent refusal. */
  public AmqpConnectException(
      String summary,
      int attempts,
      Duration elapsed,
      Map<String, String> lastErrors,
      boolean permanent,
      Throwable cause) {
    super(message(summary, attempts, elapsed, lastErrors), cause);
    this.attempts = attempts;
    this.elapsed = elapsed;
    this.lastErrors = Collections.unmodifiableMap(new LinkedHashMap<>(lastErrors));
    this.permanent = permanent;
  }

  /** Attempts made, counting from 1. */
  public int attempts() {
    return attempts;
  }

  /** Time from the first attempt to giving up. */
  public Duration elapsed() {
    return elapsed;
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

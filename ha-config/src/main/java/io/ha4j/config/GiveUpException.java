package io.ha4j.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Retrying stopped: the retry budget (maximum attempts) is spent, or every candidate refused for a
 * reason retrying cannot fix. The message names the resource, every host or node tried, the
 * attempts and the elapsed time; the cause is the last error.
 *
 * @since 0.1
 */
public class GiveUpException extends HaException {

  private static final long serialVersionUID = 1L;

  private final String resource;
  private final int attempts;
  private final Duration elapsed;

  /**
   * An exception for {@code resource} after {@code attempts} attempts in {@code elapsed}.
   *
   * @param resource what was being connected or retried; the message should name it
   * @param message the whole message
   * @param attempts attempts made, counting from 1
   * @param elapsed time from the first attempt to giving up
   * @param cause the last error, or null
   */
  public GiveUpException(
      String resource, String message, int attempts, Duration elapsed, Throwable cause) {
    super(message, cause);
    this.resource = Objects.requireNonNull(resource, "resource");
    this.attempts = attempts;
    this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
  }

  /** The resource given up on, as named in the message. */
  public String resource() {
    return resource;
  }

  /** Attempts made, counting from 1. */
  public int attempts() {
    return attempts;
  }

  /** Time from the first attempt to giving up. */
  public Duration elapsed() {
    return elapsed;
  }
}

package io.ha4j.amqp;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of an {@link HaPublisher}. Immutable.
 *
 * @param maxInFlight unconfirmed messages allowed at once; {@code publish} waits beyond that
 * @param mandatory publish with the mandatory flag (unroutable messages come back)
 * @param blockedTimeout how long {@code publish} waits while the broker blocks the connection
 * @param closeTimeout how long {@code close()} waits for outstanding confirms
 * @since 0.1
 */
public record PublisherOptions(
    int maxInFlight, boolean mandatory, Duration blockedTimeout, Duration closeTimeout) {

  /** Default window: {@value} unconfirmed messages. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;

  /** Default wait while the broker blocks publishing: 60 s. */
  public static final Duration DEFAULT_BLOCKED_TIMEOUT = Duration.ofSeconds(60);

  /** Default wait for confirms on close: 30 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** Checks the components. */
  public PublisherOptions {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
    }
    Objects.requireNonNull(blockedTimeout, "blockedTimeout");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
  }

  /** The defaults. */
  public static PublisherOptions ofDefaults() {
    return new PublisherOptions(
        DEFAULT_MAX_IN_FLIGHT, false, DEFAULT_BLOCKED_TIMEOUT, DEFAULT_CLOSE_TIMEOUT);
  }

  /** A copy with another window. */
  public PublisherOptions withMaxInFlight(int n) {
    return new PublisherOptions(n, mandatory, blockedTimeout, closeTimeout);
  }

  /** A copy with the mandatory flag set or not. */
  public PublisherOptions withMandatory(boolean m) {
    return new PublisherOptions(maxInFlight, m, blockedTimeout, closeTimeout);
  }
}

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
 * @param nackResends how often a message the broker nacks is sent again before the nack reaches the
 *     caller (0 = at once, as oslo.messaging)
 * @since 0.1
 */
public record PublisherOptions(
    int maxInFlight,
    boolean mandatory,
    Duration blockedTimeout,
    Duration closeTimeout,
    int nackResends) {

  /** Default window: {@value} unconfirmed messages. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;

  /** Default wait while the broker blocks publishing: 60 s. */
  public static final Duration DEFAULT_BLOCKED_TIMEOUT = Duration.ofSeconds(60);

  /** Default wait for confirms on close: 30 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** Default re-sends of a nacked message: {@value}. */
  public static final int DEFAULT_NACK_RESENDS = 5;

  /** Checks the components. */
  public PublisherOptions {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
    }
    Objects.requireNonNull(blockedTimeout, "blockedTimeout");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (nackResends < 0) {
      throw new IllegalArgumentException("nackResends must be >= 0, was " + nackResends);
    }
  }

  /** The defaults. */
  public static PublisherOptions ofDefaults() {
    return new PublisherOptions(
        DEFAULT_MAX_IN_FLIGHT,
        false,
        DEFAULT_BLOCKED_TIMEOUT,
        DEFAULT_CLOSE_TIMEOUT,
        DEFAULT_NACK_RESENDS);
  }

  /** A copy with another window. */
  public PublisherOptions withMaxInFlight(int n) {
    return new PublisherOptions(n, mandatory, blockedTimeout, closeTimeout, nackResends);
  }

  /** A copy with the mandatory flag set or not. */
  public PublisherOptions withMandatory(boolean m) {
    return new PublisherOptions(maxInFlight, m, blockedTimeout, closeTimeout, nackResends);
  }

  /** A copy with another number of re-sends of a nacked message. */
  public PublisherOptions withNackResends(int n) {
    return new PublisherOptions(maxInFlight, mandatory, blockedTimeout, closeTimeout, n);
  }
}

package io.ha4j.amqp;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of an {@link HaPublisher}. Immutable; build with {@link #builder()} (the canonical
 * constructor checks the same rules).
 *
 * <pre>{@code
 * PublisherOptions o = PublisherOptions.builder().maxInFlight(100).mandatory(true).build();
 * }</pre>
 *
 * @param maxInFlight unconfirmed messages allowed at once; {@code publish} waits beyond that
 * @param mandatory publish with the mandatory flag (unroutable messages come back)
 * @param blockedTimeout how long {@code publish} waits while the broker blocks the connection
 * @param closeTimeout how long {@code close()} waits for outstanding confirms
 * @param nackResends how often a message the broker nacks is sent again before the nack reaches the
 *     caller (0 = at once, as oslo.messaging)
 * @param confirmTimeout how long the channel may go without any confirm (ack or nack) while
 *     messages are outstanding before they are sent again on a fresh channel; {@link Duration#ZERO}
 *     turns the watch off
 * @since 0.1
 */
public record PublisherOptions(
    int maxInFlight,
    boolean mandatory,
    Duration blockedTimeout,
    Duration closeTimeout,
    int nackResends,
    Duration confirmTimeout,
    int lanes) {

  /** Default window: {@value} unconfirmed messages. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;

  /** Default wait while the broker blocks publishing: 60 s. */
  public static final Duration DEFAULT_BLOCKED_TIMEOUT = Duration.ofSeconds(60);

  /** Default wait for confirms on close: 30 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** Default re-sends of a nacked message: {@value}. */
  public static final int DEFAULT_NACK_RESENDS = 5;

  /**
   * Default time without any confirm, while messages are outstanding, before they are sent again on
   * a fresh channel: 15 s. RabbitMQ 3.10 (rabbitmq-server#14589) can lose a message sent to a
   * quorum queue while the connection's node is cut off from the queue's leader, and then never
   * confirm that channel's later messages to the queue; a new channel starts a new sequence.
   */
  public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(15);

  /**
   * Default lanes: {@value}. A lane is opened when a thread first needs it, so a publisher used by
   * one thread has one channel.
   */
  public static final int DEFAULT_LANES = 8;

  /**
   * Checks the components.
   *
   * @throws NullPointerException for a null duration
   * @throws IllegalArgumentException naming the component and the value, for {@code maxInFlight <
   *     1}, a negative duration or {@code nackResends < 0}
   */
  public PublisherOptions {
    checkMaxInFlight(maxInFlight);
    checkDuration("blockedTimeout", blockedTimeout);
    checkDuration("closeTimeout", closeTimeout);
    checkNackResends(nackResends);
    checkDuration("confirmTimeout", confirmTimeout);
    checkLanes(lanes);
  }

  private static int checkLanes(int n) {
    if (n < 1 || n > 256) {
      throw new IllegalArgumentException("lanes must be between 1 and 256, was " + n);
    }
    return n;
  }

  /**
   * Options with the default {@link #DEFAULT_CONFIRM_TIMEOUT confirm timeout} and {@link
   * #DEFAULT_LANES lanes}.
   */
  public PublisherOptions(
      int maxInFlight,
      boolean mandatory,
      Duration blockedTimeout,
      Duration closeTimeout,
      int nackResends) {
    this(
        maxInFlight,
        mandatory,
        blockedTimeout,
        closeTimeout,
        nackResends,
        DEFAULT_CONFIRM_TIMEOUT,
        DEFAULT_LANES);
  }

  private static int checkMaxInFlight(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, was " + n);
    }
    return n;
  }

  private static int checkNackResends(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("nackResends must be >= 0, was " + n);
    }
    return n;
  }

  private static Duration checkDuration(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
    return d;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder(ofDefaults());
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The defaults. */
  public static PublisherOptions ofDefaults() {
    return new PublisherOptions(
        DEFAULT_MAX_IN_FLIGHT,
        false,
        DEFAULT_BLOCKED_TIMEOUT,
        DEFAULT_CLOSE_TIMEOUT,
        DEFAULT_NACK_RESENDS,
        DEFAULT_CONFIRM_TIMEOUT,
        DEFAULT_LANES);
  }

  /** A copy with another window. */
  public PublisherOptions withMaxInFlight(int n) {
    return new PublisherOptions(
        n, mandatory, blockedTimeout, closeTimeout, nackResends, confirmTimeout, lanes);
  }

  /** A copy with the mandatory flag set or not. */
  public PublisherOptions withMandatory(boolean m) {
    return new PublisherOptions(
        maxInFlight, m, blockedTimeout, closeTimeout, nackResends, confirmTimeout, lanes);
  }

  /** A copy with another number of re-sends of a nacked message. */
  public PublisherOptions withNackResends(int n) {
    return new PublisherOptions(
        maxInFlight, mandatory, blockedTimeout, closeTimeout, n, confirmTimeout, lanes);
  }

  /**
   * Builds {@link PublisherOptions}; each method checks its argument. Not thread-safe; reusable.
   *
   * @since 0.1
   */
  public static final class Builder {
    private int maxInFlight;
    private boolean mandatory;
    private Duration blockedTimeout;
    private Duration closeTimeout;
    private int nackResends;
    private Duration confirmTimeout;
    private int lanes;

    private Builder(PublisherOptions o) {
      this.maxInFlight = o.maxInFlight;
      this.mandatory = o.mandatory;
      this.blockedTimeout = o.blockedTimeout;
      this.closeTimeout = o.closeTimeout;
      this.nackResends = o.nackResends;
      this.confirmTimeout = o.confirmTimeout;
      this.lanes = o.lanes;
    }

    /**
     * Unconfirmed messages allowed at once; default {@value #DEFAULT_MAX_IN_FLIGHT}.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxInFlight(int n) {
      this.maxInFlight = checkMaxInFlight(n);
      return this;
    }

    /** Publish with the mandatory flag; default false. */
    public Builder mandatory(boolean m) {
      this.mandatory = m;
      return this;
    }

    /**
     * How long {@code publish} waits while the broker blocks the connection; default 60 s.
     *
     * @throws NullPointerException for null
     * @throws IllegalArgumentException when negative
     */
    public Builder blockedTimeout(Duration d) {
      this.blockedTimeout = checkDuration("blockedTimeout", d);
      return this;
    }

    /**
     * How long {@code close()} waits for outstanding confirms; default 30 s.
     *
     * @throws NullPointerException for null
     * @throws IllegalArgumentException when negative
     */
    public Builder closeTimeout(Duration d) {
      this.closeTimeout = checkDuration("closeTimeout", d);
      return this;
    }

    /**
     * How often a nacked message is sent again; default {@value #DEFAULT_NACK_RESENDS}.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder nackResends(int n) {
      this.nackResends = checkNackResends(n);
      return this;
    }

    /**
     * How long the channel may go without any confirm while messages are outstanding before they
     * are sent again on a fresh channel (duplicates possible, as after any failover); default 15 s;
     * {@link Duration#ZERO} turns the watch off.
     *
     * @throws NullPointerException for null
     * @throws IllegalArgumentException when negative
     */
    public Builder confirmTimeout(Duration d) {
      this.confirmTimeout = checkDuration("confirmTimeout", d);
      return this;
    }

    /**
     * Channels the publishing threads are spread over, each thread keeping one; default {@value
     * #DEFAULT_LANES}; 1 keeps one order across every thread.
     *
     * @throws IllegalArgumentException when not between 1 and 256
     */
    public Builder lanes(int n) {
      this.lanes = checkLanes(n);
      return this;
    }

    /** The options. */
    public PublisherOptions build() {
      return new PublisherOptions(
          maxInFlight, mandatory, blockedTimeout, closeTimeout, nackResends, confirmTimeout, lanes);
    }
  }
}

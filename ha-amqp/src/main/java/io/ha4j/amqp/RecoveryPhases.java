package io.ha4j.amqp;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the time of one recovery went, in the order the steps run: the {@code
 * kombu_reconnect_delay} pause, connecting (every attempt until the connection that was swapped in
 * was open, including connections lost again during the recovery), re-declaring the topology,
 * moving the publishers over (new channels, unconfirmed messages sent again) and re-attaching the
 * consumers. The steps before (noticing the loss) and after (the broker confirming the re-sent
 * messages) happen outside the recovery and are not part of it. Immutable.
 *
 * @param reconnectDelay the pause before the first attempt ({@code kombu_reconnect_delay})
 * @param connect from the end of the pause until the new connection was open
 * @param topology re-declaring exchanges, queues and bindings on the new connection
 * @param publishers opening the publishers' channels and sending their unconfirmed messages again
 * @param consumers re-attaching the consumers
 * @since 0.1.0
 */
public record RecoveryPhases(
    Duration reconnectDelay,
    Duration connect,
    Duration topology,
    Duration publishers,
    Duration consumers) {

  /** Phases not measured (events built with a constructor that takes none): all zero. */
  public static final RecoveryPhases UNKNOWN =
      new RecoveryPhases(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /**
   * Checks that no phase is null or negative.
   *
   * @throws NullPointerException for a null phase
   * @throws IllegalArgumentException for a negative phase
   */
  public RecoveryPhases {
    check("reconnectDelay", reconnectDelay);
    check("connect", connect);
    check("topology", topology);
    check("publishers", publishers);
    check("consumers", consumers);
  }

  private static void check(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
  }

  /** The sum of the phases. */
  public Duration total() {
    return reconnectDelay.plus(connect).plus(topology).plus(publishers).plus(consumers);
  }

  /** E.g. {@code delay 0 ms, connect 12 ms, topology 3 ms, publishers 2 ms, consumers 4 ms}. */
  @Override
  public String toString() {
    return "delay "
        + reconnectDelay.toMillis()
        + " ms, connect "
        + connect.toMillis()
        + " ms, topology "
        + topology.toMillis()
        + " ms, publishers "
        + publishers.toMillis()
        + " ms, consumers "
        + consumers.toMillis()
        + " ms";
  }
}

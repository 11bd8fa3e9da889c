package io.ha4j.spring.amqp;

import io.ha4j.amqp.ConnectSchedule;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.RetrySettings;
import java.time.Duration;
import java.util.Objects;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * A Spring {@link BackOff} that follows kombu's timetable between full cycles over the hosts: for
 * listener containers, whose every failed recovery is one run of the connect loop over all hosts.
 * The pauses are {@code rabbit_retry_interval}, then growing by {@code rabbit_retry_backoff} up to
 * {@code rabbit_interval_max} (1, 3, 5 … 31, 31 s with oslo's defaults), forever: listeners retry
 * forever, as in oslo.messaging. Immutable and thread-safe; each {@link #start()} is a new
 * timetable.
 *
 * @since 0.1
 */
public final class ConnectScheduleBackOff implements BackOff {

  private final RetrySettings retry;

  /**
   * The back-off for these retry settings; their attempt limit is not used.
   *
   * @param retry interval, back-off and maximum interval
   */
  public ConnectScheduleBackOff(RetrySettings retry) {
    this.retry = Objects.requireNonNull(retry, "retry").withMaxRetries(null);
  }

  /**
   * The back-off for the retry settings of {@code settings}.
   *
   * @param settings the AMQP settings
   * @return the back-off
   */
  public static ConnectScheduleBackOff of(AmqpSettings settings) {
    return new ConnectScheduleBackOff(settings.retry());
  }

  @Override
  public BackOffExecution start() {
    // one "host": every failure completes a cycle, so every step is a cycle's pause
    ConnectSchedule schedule =
        ConnectSchedule.of(retry, 1, AmqpSettings.FailoverStrategy.ROUND_ROBIN);
    return () -> schedule.failed().map(Duration::toMillis).orElse(BackOffExecution.STOP);
  }

  @Override
  public String toString() {
    return "ConnectScheduleBackOff[" + retry + "]";
  }
}

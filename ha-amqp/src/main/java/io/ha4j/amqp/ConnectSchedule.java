package io.ha4j.amqp;

import io.ha4j.amqp.internal.RetrySchedule;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.AmqpSettings.FailoverStrategy;
import io.ha4j.config.RetrySettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The timetable {@link HaConnectionFactory} connects and reconnects by, for code that drives its
 * own connection attempts (a Spring AMQP back-off, another client, a conformance test): kombu's
 * {@code ensure_connection} as oslo.messaging runs it. Try {@link #host()}; after a failure call
 * {@link #failed()}, which says how long to sleep before trying the next host, or that the attempt
 * budget ({@code rabbit_max_retries}) is spent. The sleep is zero except after a full cycle over
 * the hosts; it starts at {@code rabbit_retry_interval} (0 acts as 1 s), grows by {@code
 * rabbit_retry_backoff} and stops growing at {@code rabbit_interval_max}.
 *
 * <p>A pure function of the settings: no clock, no network. Not thread-safe: one instance per run
 * of attempts.
 *
 * @since 0.1.0
 */
public final class ConnectSchedule {

  private final RetrySchedule schedule;

  private ConnectSchedule(RetrySchedule schedule) {
    this.schedule = schedule;
  }

  /**
   * The schedule over {@code settings}' hosts with its retry settings and failover strategy,
   * starting at host index 0 (the factory starts at the first host of its possibly shuffled list).
   *
   * @param settings the AMQP settings
   * @return a new schedule at its first attempt
   */
  public static ConnectSchedule of(AmqpSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return of(settings.retry(), settings.hosts().size(), settings.failoverStrategy());
  }

  /**
   * The schedule over {@code hostCount} hosts, starting at host index 0.
   *
   * @param retry interval, back-off, maximum interval and maximum retries
   * @param hostCount number of hosts, at least 1
   * @param strategy next host after a failure: the next in order, or a random one
   * @return a new schedule at its first attempt
   * @throws IllegalArgumentException if {@code hostCount} is below 1
   */
  public static ConnectSchedule of(RetrySettings retry, int hostCount, FailoverStrategy strategy) {
    return new ConnectSchedule(
        new RetrySchedule(
            retry, hostCount, strategy, 0, bound -> ThreadLocalRandom.current().nextInt(bound)));
  }

  /**
   * Index of the host to try now.
   *
   * @return an index into the host list
   */
  public int host() {
    return schedule.host();
  }

  /**
   * The attempt being made, counting from 1.
   *
   * @return failed attempts so far plus one
   */
  public int attempt() {
    return schedule.attempt();
  }

  /**
   * Records that the attempt on {@link #host()} failed and moves to the next host.
   *
   * @return the time to sleep before the next attempt, or empty when the attempt budget is spent
   *     (give up)
   */
  public Optional<Duration> failed() {
    return schedule.failed();
  }

  @Override
  public String toString() {
    return "ConnectSchedule[attempt " + attempt() + ", host " + host() + "]";
  }
}

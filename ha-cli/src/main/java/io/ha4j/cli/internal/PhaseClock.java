package io.ha4j.cli.internal;

import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.AmqpListener;
import io.ha4j.amqp.RecoveryPhases;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Times one failover of an ha4j connection from its events: when the loss was noticed ({@code
 * ConnectionLost}), the recovery's phases ({@code Recovered}), and the consumer's first delivery
 * after the kill. Thread-safe; reset by {@link #killing}.
 */
final class PhaseClock implements AmqpListener {

  /** Bound on waiting for the {@code Recovered} event and the first delivery after a confirm. */
  static final Duration AFTER_CONFIRM_BOUND = Duration.ofSeconds(10);

  private final LongSupplier clock;
  private final Bounded bounded;
  private volatile long killed = Long.MAX_VALUE;
  private final AtomicLong lost = new AtomicLong();
  private final AtomicReference<RecoveryPhases> phases = new AtomicReference<>();
  private final AtomicLong delivered = new AtomicLong();

  PhaseClock() {
    this(System::nanoTime, Bounded.SYSTEM);
  }

  PhaseClock(LongSupplier clock, Bounded bounded) {
    this.clock = clock;
    this.bounded = bounded;
  }

  /** SIGKILL goes out at {@code at}: forget the previous failover. */
  void killing(long at) {
    lost.set(0);
    phases.set(null);
    delivered.set(0);
    killed = at;
  }

  @Override
  public void onEvent(AmqpEvent e) {
    long now = clock.getAsLong();
    if (now < killed) {
      return;
    }
    if (e instanceof AmqpEvent.ConnectionLost) {
      lost.compareAndSet(0, now);
    } else if (e instanceof AmqpEvent.Recovered r && lost.get() != 0) {
      phases.compareAndSet(null, r.phases());
    }
  }

  /** A delivery acked on a live channel at {@code now}; the first one after the loss counts. */
  void delivered(long now) {
    if (lost.get() != 0 && now >= killed) {
      delivered.compareAndSet(0, now);
    }
  }

  boolean recovered() {
    return phases.get() != null;
  }

  /**
   * The split of the failover that began at {@code killed} and whose first new message was
   * confirmed at {@code firstConfirm}; waits (bounded) for the {@code Recovered} event, which
   * follows the swap, and with {@code consumer} for the first delivery. Null when the events did
   * not come within the bound.
   */
  FailoverSplit.Sample sample(long killed, long firstConfirm, boolean consumer)
      throws InterruptedException {
    if (!bounded.until(this::recovered, AFTER_CONFIRM_BOUND, Duration.ofMillis(1))) {
      return null;
    }
    if (consumer) {
      bounded.until(() -> delivered.get() != 0, AFTER_CONFIRM_BOUND, Duration.ofMillis(1));
    }
    RecoveryPhases p = phases.get();
    double detection = ms(lost.get() - killed);
    double total = ms(firstConfirm - killed);
    double steps = ms(p.total().toNanos());
    long d = delivered.get();
    return new FailoverSplit.Sample(
        detection,
        ms(p.reconnectDelay().toNanos()),
        ms(p.connect().toNanos()),
        ms(p.topology().toNanos()),
        ms(p.publishers().toNanos()),
        ms(p.consumers().toNanos()),
        total - detection - steps,
        total,
        d == 0 ? Double.NaN : ms(d - killed),
        Double.NaN);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}

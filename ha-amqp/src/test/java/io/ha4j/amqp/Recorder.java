package io.ha4j.amqp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An {@link AmqpListener} for tests: records events and lets a test wait for one of a kind. */
final class Recorder implements AmqpListener {

  static final Duration WAIT = Duration.ofSeconds(120);

  final List<AmqpEvent> events = new CopyOnWriteArrayList<>();
  private final BlockingQueue<AmqpEvent> queue = new LinkedBlockingQueue<>();

  @Override
  public void onEvent(AmqpEvent e) {
    events.add(e);
    queue.add(e);
  }

  /** The next event of {@code type} not waited for yet (earlier ones of other types skipped). */
  <T extends AmqpEvent> T await(Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      AmqpEvent e = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError(
            "no " + type.getSimpleName() + " event within " + WAIT + "; saw " + events);
      }
      if (type.isInstance(e)) {
        return type.cast(e);
      }
    }
  }

  /** Every event of {@code type} so far. */
  <T extends AmqpEvent> List<T> all(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}

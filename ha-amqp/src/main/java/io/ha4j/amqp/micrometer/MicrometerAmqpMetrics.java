package io.ha4j.amqp.micrometer;

import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.AmqpListener;
import io.ha4j.amqp.HaPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns the events of one named connection into Micrometer meters, all tagged {@code connection}:
 *
 * <ul>
 *   <li>{@code ha4j.amqp.connect.attempts} and {@code ha4j.amqp.connect.failures} (tag {@code
 *       host});
 *   <li>{@code ha4j.amqp.connection.lost} (tag {@code host}), {@code ha4j.amqp.failovers} (tags
 *       {@code from}, {@code to}), timer {@code ha4j.amqp.recovery} (loss to usable again);
 *   <li>{@code ha4j.amqp.give.ups}, {@code ha4j.amqp.topology.failures}, {@code
 *       ha4j.amqp.consumer.cancels} (tag {@code queue});
 *   <li>gauge {@code ha4j.amqp.blocked}: 1 while the broker blocks publishing.
 * </ul>
 *
 * Register it with {@code HaConnectionFactory.builder().listener(metrics)}; {@link
 * #bind(HaPublisher, String)} adds a publisher's counters. Thread-safe.
 *
 * @since 0.1
 */
public final class MicrometerAmqpMetrics implements AmqpListener {

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter giveUps;
  private final Timer recovery;
  private final AtomicInteger blocked = new AtomicInteger();

  /** Meters for the connection called {@code connectionName} in {@code registry}. */
  public MicrometerAmqpMetrics(MeterRegistry registry, String connectionName) {
    this.registry = registry;
    this.tags = Tags.of("connection", connectionName);
    this.giveUps =
        Counter.builder("ha4j.amqp.give.ups")
            .description("retry budgets spent without a connection")
            .tags(tags)
            .register(registry);
    this.recovery =
        Timer.builder("ha4j.amqp.recovery")
            .description("time from losing a connection to using the next one")
            .tags(tags)
            .register(registry);
    Gauge.builder("ha4j.amqp.blocked", blocked, AtomicInteger::get)
        .description("1 while the broker blocks publishing (resource alarm)")
        .tags(tags)
        .register(registry);
  }

  @Override
  public void onEvent(AmqpEvent event) {
    if (event instanceof AmqpEvent.Attempt a) {
      count("ha4j.amqp.connect.attempts", "host", a.host());
    } else if (event instanceof AmqpEvent.AttemptFailed f) {
      count("ha4j.amqp.connect.failures", "host", f.host());
    } else if (event instanceof AmqpEvent.ConnectionLost l) {
      count("ha4j.amqp.connection.lost", "host", l.host());
    } else if (event instanceof AmqpEvent.Recovered r) {
      registry.counter("ha4j.amqp.failovers", tags.and("from", r.from(), "to", r.to())).increment();
      recovery.record(r.duration());
    } else if (event instanceof AmqpEvent.GaveUp) {
      giveUps.increment();
    } else if (event instanceof AmqpEvent.TopologyFailed t) {
      count("ha4j.amqp.topology.failures", "entity", t.entity());
    } else if (event instanceof AmqpEvent.ConsumerCancelled c) {
      count("ha4j.amqp.consumer.cancels", "queue", c.queue());
    } else if (event instanceof AmqpEvent.Blocked b) {
      blocked.set(b.blocked() ? 1 : 0);
    }
    // Connected, ConsumerAttached: visible through the other meters
  }

  private void count(String name, String tag, String value) {
    registry.counter(name, tags.and(tag, value)).increment();
  }

  /**
   * Registers {@code ha4j.amqp.published}, {@code ha4j.amqp.confirmed} and {@code
   * ha4j.amqp.republished} for {@code publisher}, tagged {@code publisher=name}.
   */
  public void bind(HaPublisher publisher, String name) {
    Tags t = tags.and("publisher", name);
    FunctionCounter.builder("ha4j.amqp.published", publisher, HaPublisher::published)
        .description("messages accepted by publish")
        .tags(t)
        .register(registry);
    FunctionCounter.builder("ha4j.amqp.confirmed", publisher, HaPublisher::confirmed)
        .description("messages the broker confirmed")
        .tags(t)
        .register(registry);
    FunctionCounter.builder("ha4j.amqp.republished", publisher, HaPublisher::republished)
        .description("messages sent again after a failover or a nack")
        .tags(t)
        .register(registry);
  }
}

package io.ha4j.amqp.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.amqp.AmqpEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerAmqpMetricsTest {

  @Test
  void eventsBecomeCountersTimersAndTheBlockedGauge() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerAmqpMetrics m = new MicrometerAmqpMetrics(registry, "orders");

    m.onEvent(new AmqpEvent.Attempt("a:1", 1));
    m.onEvent(new AmqpEvent.AttemptFailed("a:1", 1, "connection refused", Duration.ZERO));
    m.onEvent(new AmqpEvent.Attempt("b:1", 2));
    m.onEvent(new AmqpEvent.ConnectionLost("b:1", "reset"));
    m.onEvent(new AmqpEvent.Recovered("b:1", "c:1", Duration.ofMillis(250), 7));
    m.onEvent(new AmqpEvent.Blocked("c:1", true, "low on memory"));

    assertThat(registry.get("ha4j.amqp.connect.attempts").tag("host", "a:1").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("ha4j.amqp.connect.attempts").counters()).hasSize(2);
    assertThat(registry.get("ha4j.amqp.connect.failures").counter().count()).isEqualTo(1);
    assertThat(
            registry
                .get("ha4j.amqp.failovers")
                .tags("connection", "orders", "from", "b:1", "to", "c:1")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("ha4j.amqp.recovery").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(250);
    assertThat(registry.get("ha4j.amqp.blocked").gauge().value()).isEqualTo(1);

    m.onEvent(new AmqpEvent.Blocked("c:1", false, ""));
    m.onEvent(new AmqpEvent.GaveUp(6, Duration.ofSeconds(1), "gave up"));

    assertThat(registry.get("ha4j.amqp.blocked").gauge().value()).isZero();
    assertThat(registry.get("ha4j.amqp.give.ups").counter().count()).isEqualTo(1);
  }
}

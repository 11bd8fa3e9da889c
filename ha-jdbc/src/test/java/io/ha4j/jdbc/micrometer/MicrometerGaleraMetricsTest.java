package io.ha4j.jdbc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.jdbc.NodeState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerGaleraMetricsTest {

  @Test
  void eventsBecomeCountersAndTheSwitchTimer() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerGaleraMetrics m = new MicrometerGaleraMetrics(registry, "orders");

    m.onEvent(
        new GaleraEvent.NodeStateChanged(
            "a:1", NodeState.HEALTHY, NodeState.UNREACHABLE, "refused"));
    m.onEvent(new GaleraEvent.WriterChanged("a:1", "b:1", "UNREACHABLE", Duration.ofMillis(40)));
    m.onEvent(new GaleraEvent.WriterChanged("b:1", null, "no node", Duration.ZERO));
    m.onEvent(new GaleraEvent.Retry(GaleraErrors.Kind.DEADLOCK, 2, Duration.ofSeconds(1), "1213"));
    m.onEvent(new GaleraEvent.Retry(GaleraErrors.Kind.DEADLOCK, 3, Duration.ofSeconds(1), "1213"));
    m.onEvent(new GaleraEvent.CommitResolved("orders", true, "a:1", "b:1", Duration.ofMillis(9)));
    m.onEvent(new GaleraEvent.CommitResolved("orders", true, "a:1", "b:1", Duration.ofMillis(9)));
    m.onEvent(new GaleraEvent.CommitResolved("orders", false, "a:1", "b:1", Duration.ofMillis(9)));

    assertThat(
            registry
                .get("ha4j.db.writer.changes")
                .tags("from", "a:1", "to", "b:1")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("ha4j.db.writer.changes").tags("to", "none").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("ha4j.db.writer.switch").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(40);
    assertThat(
            registry
                .get("ha4j.db.node.state.changes")
                .tags("state", "unreachable")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("ha4j.db.retries").tags("kind", "deadlock").counter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("ha4j.db.commit.resolutions")
                .tags("outcome", "committed")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("ha4j.db.commit.resolutions")
                .tags("outcome", "not_committed")
                .counter()
                .count())
        .isEqualTo(1);
  }
}

package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.RecoveryPhases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PhaseClockTest {

  private static final long MS = 1_000_000;

  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final PhaseClock clock =
      new PhaseClock(now::get, new Bounded(now::get, d -> now.addAndGet(d.toNanos())));

  private static RecoveryPhases phases(
      long delay, long connect, long topology, long pub, long con) {
    return new RecoveryPhases(
        Duration.ofMillis(delay),
        Duration.ofMillis(connect),
        Duration.ofMillis(topology),
        Duration.ofMillis(pub),
        Duration.ofMillis(con));
  }

  @Test
  void splitsAFailoverIntoDetectionTheRecoveryPhasesAndTheConfirm() throws Exception {
    long killed = now.get();
    clock.killing(killed);
    now.addAndGet(4 * MS);
    clock.onEvent(new AmqpEvent.ConnectionLost("bench", "a:1", "connection reset"));
    now.addAndGet(60 * MS);
    clock.onEvent(
        new AmqpEvent.Recovered(
            "bench", "a:1", "b:1", Duration.ofMillis(60), 1, phases(1, 30, 9, 8, 12)));
    now.addAndGet(5 * MS);
    clock.delivered(now.get());
    long confirmed = killed + 300 * MS;

    FailoverSplit.Sample s = clock.sample(killed, confirmed, true);

    assertThat(s.detection()).isEqualTo(4.0);
    assertThat(s.connect()).isEqualTo(30.0);
    assertThat(s.topology()).isEqualTo(9.0);
    assertThat(s.publishers()).isEqualTo(8.0);
    assertThat(s.consumers()).isEqualTo(12.0);
    assertThat(s.confirm()).isEqualTo(300.0 - 4 - 60);
    assertThat(s.total()).isEqualTo(300.0);
    assertThat(s.firstDelivery()).isEqualTo(69.0);
  }

  @Test
  void eventsAndDeliveriesBeforeTheKillOrTheLossDoNotCount() throws Exception {
    clock.onEvent(new AmqpEvent.ConnectionLost("bench", "a:1", "earlier failover"));
    long killed = now.addAndGet(100 * MS);
    clock.killing(killed);
    clock.delivered(now.addAndGet(MS)); // from the old connection, before the loss was seen
    now.addAndGet(2 * MS);
    clock.onEvent(new AmqpEvent.ConnectionLost("bench", "a:1", "connection reset"));
    clock.onEvent(
        new AmqpEvent.Recovered(
            "bench", "a:1", "b:1", Duration.ofMillis(40), 0, phases(0, 40, 0, 0, 0)));

    FailoverSplit.Sample s = clock.sample(killed, killed + 50 * MS, true);

    assertThat(s.detection()).isEqualTo(3.0);
    assertThat(s.firstDelivery()).isNaN(); // none within the bound
  }

  @Test
  void noSampleWhenTheRecoveredEventDoesNotComeWithinTheBound() throws Exception {
    long killed = now.get();
    clock.killing(killed);
    clock.onEvent(new AmqpEvent.ConnectionLost("bench", "a:1", "connection reset"));

    assertThat(clock.sample(killed, killed + 10 * MS, false)).isNull();
    assertThat(now.get() - killed).isGreaterThanOrEqualTo(PhaseClock.AFTER_CONFIRM_BOUND.toNanos());
  }

  @Test
  void summaryHasP50AndP99OfEveryPhaseAndLeavesMissingDeliveriesOut() {
    List<FailoverSplit.Sample> samples =
        List.of(
            new FailoverSplit.Sample(1, 0, 20, 5, 3, 4, 100, 133, 140, Double.NaN),
            new FailoverSplit.Sample(3, 0, 40, 7, 5, 6, 300, 361, Double.NaN, Double.NaN),
            new FailoverSplit.Sample(2, 0, 30, 6, 4, 5, 200, 247, 250, Double.NaN));

    Map<String, Object> m = FailoverSplit.summary(samples);

    assertThat(m.get("samples")).isEqualTo(3);
    assertThat(m.get("detection_p50_ms")).isEqualTo(2.0);
    assertThat(m.get("detection_p99_ms")).isEqualTo(3.0);
    assertThat(m.get("confirm_p50_ms")).isEqualTo(200.0);
    assertThat(m.get("total_p99_ms")).isEqualTo(361.0);
    assertThat(m.get("first_delivery_p50_ms")).isEqualTo(140.0);
    assertThat(m.get("first_delivery_p99_ms")).isEqualTo(250.0);
    assertThat((List<?>) m.get("samples_ms")).hasSize(3);
    assertThat(FailoverSplit.summary(List.of()).get("total_p50_ms")).isNull();
    // no raw client on a survivor: neither the stall nor the share
    assertThat(m.get("cluster_stall_p50_ms")).isNull();
    assertThat(m.get("ha4j_share_p99_ms")).isNull();
  }

  @Test
  void ha4jsShareIsWhatItTookBeyondTheClustersStallAndNeverNegative() {
    List<FailoverSplit.Sample> samples =
        List.of(
            new FailoverSplit.Sample(1, 0, 20, 5, 3, 4, 100, 133, 140, Double.NaN)
                .withClusterStall(120),
            new FailoverSplit.Sample(3, 0, 40, 7, 5, 6, 300, 361, 380, Double.NaN)
                .withClusterStall(365),
            new FailoverSplit.Sample(2, 0, 30, 6, 4, 5, 200, 247, 250, Double.NaN)
                .withClusterStall(200));

    assertThat(samples.get(0).ha4jShare()).isEqualTo(13.0);
    assertThat(samples.get(1).ha4jShare()).as("ha4j confirmed first").isZero();
    Map<String, Object> m = FailoverSplit.summary(samples);
    assertThat(m.get("cluster_stall_p50_ms")).isEqualTo(200.0);
    assertThat(m.get("cluster_stall_p99_ms")).isEqualTo(365.0);
    assertThat(m.get("ha4j_share_p50_ms")).isEqualTo(13.0);
    assertThat(m.get("ha4j_share_p99_ms")).isEqualTo(47.0);
  }
}

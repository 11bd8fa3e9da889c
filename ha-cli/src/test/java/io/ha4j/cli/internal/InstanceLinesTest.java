package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.cli.internal.InstanceLines.WriterAt;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol of {@code ha4j bench instances} and the figures made of it, on given values. */
class InstanceLinesTest {

  private static final String A = "127.0.9.21:3331";
  private static final String B = "127.0.9.22:3332";

  @Test
  void writerLinesRoundTripWithAndWithoutAWriter() {
    assertThat(InstanceLines.parse(InstanceLines.writer(1_700_000_000_123L, A)))
        .isEqualTo(new WriterAt(1_700_000_000_123L, A));
    assertThat(InstanceLines.parse(InstanceLines.writer(5, null))).isEqualTo(new WriterAt(5, null));
  }

  @Test
  void resultLinesRoundTripInOrder() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("committed", 1200L);
    counts.put("seen_1213", 3L);
    counts.put("errors_deadlock", 1L);

    InstanceLines.Line l = InstanceLines.parse(InstanceLines.result(counts));

    assertThat(l).isInstanceOf(InstanceLines.Result.class);
    InstanceLines.Result r = (InstanceLines.Result) l;
    assertThat(r.get("committed")).isEqualTo(1200);
    assertThat(r.get("errors_deadlock")).isEqualTo(1);
    assertThat(r.get("absent")).isZero();
  }

  @Test
  void readyByeAndNotesAreRecognised() {
    assertThat(InstanceLines.parse("READY 4242")).isEqualTo(new InstanceLines.Ready(4242));
    assertThat(InstanceLines.parse("BYE")).isEqualTo(new InstanceLines.Bye());
    assertThat(InstanceLines.parse("NOTE instance 3: first DEADLOCK surfaced: x"))
        .isEqualTo(new InstanceLines.Note("instance 3: first DEADLOCK surfaced: x"));
  }

  @Test
  void anythingElseIsKeptAsANote() {
    assertThat(InstanceLines.parse("WRITER soon " + A))
        .isEqualTo(new InstanceLines.Note("WRITER soon " + A));
    assertThat(InstanceLines.parse("RESULT committed")).isInstanceOf(InstanceLines.Note.class);
    assertThat(InstanceLines.parse("SLF4J: no binding"))
        .isEqualTo(new InstanceLines.Note("SLF4J: no binding"));
  }

  @Test
  void mergedResultsSumEveryCountAndTheElapsedTimes() {
    InstanceLines.Result a =
        new InstanceLines.Result(Map.of("committed", 10L, "seen_1213", 1L, "elapsed_ms", 500L));
    InstanceLines.Result b =
        new InstanceLines.Result(
            Map.of("committed", 5L, "errors_deadlock", 2L, "elapsed_ms", 250L));

    InstanceLines.Result m = InstanceLines.merge(List.of(a, b));

    assertThat(m.counts())
        .containsEntry("committed", 15L)
        .containsEntry("seen_1213", 1L)
        .containsEntry("errors_deadlock", 2L)
        .containsEntry("elapsed_ms", 750L);
  }

  @Test
  void disagreementRunsFromTheFirstInstanceThatMovedToTheLast() {
    long kill = 10_000;
    List<List<WriterAt>> timelines =
        List.of(
            List.of(new WriterAt(1_000, A), new WriterAt(10_400, B)),
            List.of(new WriterAt(1_000, A), new WriterAt(10_050, null), new WriterAt(11_300, B)),
            List.of(new WriterAt(1_000, A), new WriterAt(10_900, B)));

    InstanceLines.Moves m = InstanceLines.moves(timelines, kill, A);

    assertThat(m.movedMs()).containsExactly(400L, 1_300L, 900L);
    assertThat(m.moved()).isEqualTo(3);
    assertThat(m.firstMoveMs()).isEqualTo(400);
    assertThat(m.lastMoveMs()).isEqualTo(1_300);
    assertThat(m.disagreementMs()).isEqualTo(900);
    assertThat(m.newWriters()).containsExactly(B);
  }

  @Test
  void anInstanceThatDidNotMoveIsNullAndDoesNotCountAsAgreeing() {
    List<List<WriterAt>> timelines =
        List.of(List.of(new WriterAt(0, A), new WriterAt(10_200, B)), List.of(new WriterAt(0, A)));

    InstanceLines.Moves m = InstanceLines.moves(timelines, 10_000, A);

    assertThat(m.movedMs()).containsExactly(200L, null);
    assertThat(m.moved()).isEqualTo(1);
    assertThat(m.disagreementMs()).isZero();
  }

  @Test
  void noMoveAtAllHasNoDisagreementFigure() {
    InstanceLines.Moves m = InstanceLines.moves(List.of(List.of(new WriterAt(0, A))), 10_000, A);

    assertThat(m.disagreementMs()).isNull();
    assertThat(m.firstMoveMs()).isNull();
  }

  @Test
  void movesBeforeTheKillAreIgnoredAndFailbackIsMeasuredAfterTheMove() {
    List<List<WriterAt>> timelines =
        List.of(
            List.of(
                new WriterAt(5_000, B), // an earlier kill's move
                new WriterAt(6_000, A),
                new WriterAt(10_500, B),
                new WriterAt(30_000, A)),
            List.of(new WriterAt(6_100, A), new WriterAt(10_700, B), new WriterAt(30_250, A)));

    InstanceLines.Moves m = InstanceLines.moves(timelines, 10_000, A);

    assertThat(m.movedMs()).containsExactly(500L, 700L);
    assertThat(m.backMs()).containsExactly(20_000L, 20_250L);
    assertThat(m.failbackDisagreementMs()).isEqualTo(250);
  }

  @Test
  void instancesThatMovedToDifferentWritersAreAllNamed() {
    List<List<WriterAt>> timelines =
        List.of(List.of(new WriterAt(10_100, B)), List.of(new WriterAt(10_100, "127.0.9.23:3333")));

    assertThat(InstanceLines.moves(timelines, 10_000, A).newWriters())
        .containsExactly(B, "127.0.9.23:3333");
  }

  @Test
  void ratesPer10kAreRoundedToTwoDecimalsAndNullWithoutTransactions() {
    assertThat(InstanceLines.per10k(3, 30_000)).isEqualTo(1.0);
    assertThat(InstanceLines.per10k(1, 3)).isEqualTo(3333.33);
    assertThat(InstanceLines.per10k(0, 500)).isEqualTo(0.0);
    assertThat(InstanceLines.per10k(5, 0)).isNull();
  }

  @Test
  void percentilesSkipMissingValues() {
    assertThat(InstanceLines.percentile(Arrays.asList(300L, null, 100L, 200L), 50)).isEqualTo(200);
    assertThat(InstanceLines.percentile(List.of(300L, 100L, 200L), 100)).isEqualTo(300);
    assertThat(InstanceLines.percentile(Arrays.asList((Long) null), 50)).isNull();
  }

  @Test
  void cpuTicksAreUtimePlusStimeEvenWithSpacesInTheCommandName() {
    String stat =
        "4242 (mariadbd x) S 1 4242 4242 0 -1 4194560 12345 0 0 0 1500 320 0 0 20 0 40 0 99 0";

    assertThat(InstanceLines.cpuTicks(stat)).isEqualTo(1_820);
  }

  @Test
  void aTruncatedStatLineIsRefused() {
    assertThatThrownBy(() -> InstanceLines.cpuTicks("4242 (mariadbd) S 1 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/proc/<pid>/stat");
  }

  @Test
  void cpuPerProbeSubtractsTheIdleUse() {
    // 10 s of probing: 250 ticks used, 5 of them idle use; 100 ticks/s; 49,000 probes
    double us = InstanceLines.cpuMicrosPerProbe(250, 0.5, 10, 100, 49_000);

    assertThat(us).isEqualTo(50.0);
  }

  @Test
  void cpuPerProbeIsZeroWhenTheLoadStayedWithinIdleUse() {
    assertThat(InstanceLines.cpuMicrosPerProbe(3, 0.5, 10, 100, 1_000)).isZero();
  }

  @Test
  void capacityIsTheBudgetOverTheCostOfEachInstancesProbes() {
    // 1 % of a core = 10,000 us/s; 50 us per probe, one probe per second per instance
    assertThat(InstanceLines.maxInstances(50, 1_000, 0.01)).isEqualTo(200);
    // probing every 2 s halves the cost of an instance
    assertThat(InstanceLines.maxInstances(50, 2_000, 0.01)).isEqualTo(400);
    assertThat(InstanceLines.maxInstances(300, 1_000, 0.01)).isEqualTo(33);
  }

  @Test
  void capacityRefusesNonPositiveInputs() {
    assertThatThrownBy(() -> InstanceLines.maxInstances(0, 1_000, 0.01))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void capacityReportPrintsTheInputsAndTheShareAtScale() {
    Map<String, Object> c = ProbeCost.capacity(50, 1_000);

    assertThat(c)
        .containsEntry("check_interval_ms", 1_000L)
        .containsEntry("cpu_us_per_probe", 50.0)
        .containsEntry("max_instances", 200L)
        .containsKey("formula");
    @SuppressWarnings("unchecked")
    Map<String, Object> share =
        (Map<String, Object>) c.get("node_cpu_percent_of_one_core_at_instances");
    assertThat(share).containsEntry("100", 0.5).containsEntry("1000", 5.0);
  }

  @Test
  void aSwitchIsDatedWhenItHappenedNotWhenItsEventWasEmittedAfterTheFirstWrite() {
    // emitted at 100,000 ms: switched in 3 ms, first write 30 s after the start
    assertThat(
            InstanceLines.switchedAtMillis(
                100_000, java.time.Duration.ofMillis(3), java.time.Duration.ofMillis(30_003)))
        .isEqualTo(70_000);
    // nobody waited to write: both durations equal, the emission is the switch
    assertThat(
            InstanceLines.switchedAtMillis(
                100_000, java.time.Duration.ofMillis(40), java.time.Duration.ofMillis(40)))
        .isEqualTo(100_000);
  }
}

package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.cli.internal.RpcBench.Cell;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcBenchTest {

  @Test
  void cellTakesNearestRankPercentilesAndCallsPerSecond() {
    List<Double> ms = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      ms.add((double) i); // 1..100 ms, unsorted
    }

    Cell c = Cell.of(ms, 3, 2.0);

    assertThat(c.calls()).isEqualTo(100);
    assertThat(c.errors()).isEqualTo(3);
    assertThat(c.callsPerS()).isEqualTo(50.0);
    assertThat(c.p50Ms()).isEqualTo(50.0);
    assertThat(c.p99Ms()).isEqualTo(99.0);
  }

  @Test
  void smallSamplesUseTheLargestValueForP99() {
    Cell c = Cell.of(List.of(2.0, 1.0, 7.0), 0, 1.0);

    assertThat(c.p50Ms()).isEqualTo(2.0);
    assertThat(c.p99Ms()).isEqualTo(7.0);
  }

  @Test
  void reportGivesRatiosAgainstTheBaseCell() {
    Cell base = new Cell(1000, 0, 10, 100.0, 8.0, 20.0);
    Cell java = new Cell(3500, 0, 10, 350.0, 2.5, 5.0);

    Map<String, Object> r = java.report(base);

    assertThat(r)
        .containsEntry("calls_s", 350L)
        .containsEntry("p50_ms", 2.5)
        .containsEntry("p99_ms", 5.0)
        .containsEntry("throughput_ratio", 3.5)
        .containsEntry("p99_ratio", 0.25)
        .containsEntry("calls", 3500L)
        .containsEntry("errors", 0L);
    assertThat(base.report(base)).containsEntry("throughput_ratio", 1.0);
  }

  @Test
  void ratioRoundsToThreeDecimalsAndIsNullWithoutABase() {
    assertThat(RpcBench.ratio(1, 3)).isEqualTo(0.333);
    assertThat(RpcBench.ratio(1, 0)).isNull();
    assertThat(RpcBench.ratio(Double.NaN, 1)).isNull();
  }

  @Test
  void emptyCellHasNoPercentilesAndZeroThroughput() {
    Cell c = Cell.of(List.of(), 5, 10.0);

    assertThat(c.callsPerS()).isZero();
    assertThat(c.p99Ms()).isNaN();
    assertThat(c.errors()).isEqualTo(5);
  }

  @Test
  void parsesThePythonLoadGeneratorsOutput() throws Exception {
    Cell c =
        RpcBench.parseLoad(
            "{\"calls\": 4, \"errors\": 1, \"elapsed_s\": 2.0,"
                + " \"latencies_ms\": [1.5, 3, 2.25, 10.0]}");

    assertThat(c.calls()).isEqualTo(4);
    assertThat(c.errors()).isEqualTo(1);
    assertThat(c.callsPerS()).isEqualTo(2.0);
    assertThat(c.p50Ms()).isEqualTo(2.25);
    assertThat(c.p99Ms()).isEqualTo(10.0);
  }
}

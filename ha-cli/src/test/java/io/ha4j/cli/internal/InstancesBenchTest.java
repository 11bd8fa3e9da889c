package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of {@code ha4j bench instances} that need no process: arguments and sums. */
class InstancesBenchTest {

  @Test
  void anInstancesArgumentsReadBackToTheSameConfigWithThePasswordFromTheEnvironment() {
    BenchInstance.Config c =
        new BenchInstance.Config(
            BenchInstance.Contender.HIKARI_SPREAD,
            5,
            2,
            10,
            List.of("127.0.9.21:3331", "127.0.9.22:3332"),
            "jdbc:mariadb://127.0.9.22:3332/ha4j?sslMode=disable",
            "ha4j",
            "bench",
            "s3cret");

    assertThat(c.args()).noneMatch(a -> a.contains("s3cret"));
    assertThat(BenchInstance.Config.parse(c.args(), "s3cret")).isEqualTo(c);
  }

  @Test
  void anInstanceRefusesAnArgumentWithoutAValue() {
    assertThatThrownBy(() -> BenchInstance.Config.parse(List.of("contender"), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key=value");
  }

  @Test
  void anInstanceNeedsTwoRowsToUpdateTwoDistinctOnes() {
    assertThatThrownBy(
            () ->
                new BenchInstance.Config(
                    BenchInstance.Contender.HA4J, 1, 1, 1, List.of(), "", "", "", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contendersParseByTheirReportNames() {
    assertThat(BenchInstance.Contender.parse("hikari_spread"))
        .isEqualTo(BenchInstance.Contender.HIKARI_SPREAD);
    assertThatThrownBy(() -> BenchInstance.Contender.parse("haproxy"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countsSinceAMarkAreTheDifferenceKeyByKeyWithTheElapsedTime() {
    Map<String, Long> base = Map.of("committed", 100L, "errors", 1L);
    Map<String, Long> now = new LinkedHashMap<>();
    now.put("committed", 350L);
    now.put("errors", 1L);
    now.put("errors_deadlock", 2L);

    Map<String, Long> since = BenchInstance.Counts.since(now, base, 5_000);

    assertThat(since)
        .containsEntry("committed", 250L)
        .containsEntry("errors", 0L)
        .containsEntry("errors_deadlock", 2L)
        .containsEntry("elapsed_ms", 5_000L);
  }

  @Test
  void aContendersFiguresSumItsInstancesAndRateEachOverItsOwnTime() {
    List<InstanceLines.Result> rs =
        List.of(
            result(1_000, 40, 38, 2, 10_000, Map.of("errors_deadlock", 2L)),
            result(3_000, 0, 0, 0, 20_000, Map.of()));

    Map<String, Object> m = InstancesBench.aggregate(rs, 3);

    assertThat(m)
        .containsEntry("instances", 3)
        .containsEntry("instances_answered", 2)
        .containsEntry("committed", 4_000L)
        .containsEntry("tx_per_s", 250.0) // 1000/10 + 3000/20
        .containsEntry("seen_1213_per_10k", 100.0)
        .containsEntry("retries_per_10k", 95.0)
        .containsEntry("errors_per_10k", 5.0)
        .containsEntry("errors_by_kind", Map.of("deadlock", 2L));
  }

  @Test
  void theThroughputRatioIsHa4jOverHikariSpread() {
    Map<String, Object> r =
        InstancesBench.ratios(Map.of("tx_per_s", 1386.2), Map.of("tx_per_s", 668.1));

    assertThat(r).containsEntry("throughput_ha4j_vs_hikari_spread", 2.075);
    assertThat(InstancesBench.ratios(Map.of("tx_per_s", 1.0), Map.of("tx_per_s", 0.0)))
        .containsEntry("throughput_ha4j_vs_hikari_spread", null);
  }

  private static InstanceLines.Result result(
      long committed, long seen, long retries, long errors, long ms, Map<String, Long> kinds) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("committed", committed);
    m.put("seen_1213", seen);
    m.put("retries", retries);
    m.put("errors", errors);
    m.putAll(kinds);
    m.put("elapsed_ms", ms);
    return new InstanceLines.Result(m);
  }
}

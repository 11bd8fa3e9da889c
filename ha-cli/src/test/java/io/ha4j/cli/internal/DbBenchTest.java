package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.cli.internal.DbBench.Contender;
import io.ha4j.cli.internal.DbBench.Fault;
import io.ha4j.cli.internal.DbBench.Split;
import io.ha4j.testkit.TestJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The parts of {@code ha4j bench db} that need no server: arithmetic, report shape, options. */
class DbBenchTest {

  @Test
  void theSplitIsTheProbesStallAndWhatHa4jTookAfterIt() {
    Split s = Split.of(5_120.0, 5_180.0);

    assertThat(s.clusterStallMs()).isEqualTo(5_120.0);
    assertThat(s.ha4jShareMs()).isEqualTo(60.0);
  }

  @Test
  void ha4jCommittingBeforeTheProbeHasAShareOfZero() {
    Split s = Split.of(5_300.0, 5_250.0);

    assertThat(s.clusterStallMs()).isEqualTo(5_300.0);
    assertThat(s.ha4jShareMs()).isZero();
  }

  @Test
  void aNegativeTimeFromTheFaultIsRejectedNamingBothValues() {
    assertThatThrownBy(() -> Split.of(-1.0, 20.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1.0")
        .hasMessageContaining("20.0");
  }

  @Test
  void failoverSplitGivesNearestRankPercentilesPerFaultKindInTheOrderAsked() {
    Map<Fault, List<Split>> splits = new EnumMap<>(Fault.class);
    List<Split> kills = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      kills.add(Split.of(5_000.0 + i * 10, 5_000.0 + i * 10 + i)); // shares 1..10 ms
    }
    splits.put(Fault.KILL, kills);
    splits.put(Fault.STOP, List.of(Split.of(6_000.0, 6_400.0)));

    Map<String, Object> m = DbBench.failoverSplit(List.of(Fault.STOP, Fault.KILL), splits);

    assertThat(m.keySet()).containsExactly("stop", "kill");
    assertThat(m.get("kill"))
        .isEqualTo(
            Map.of(
                "cluster_stall_p50_ms", 5_050L,
                "cluster_stall_p99_ms", 5_100L,
                "ha4j_share_p50_ms", 5L,
                "ha4j_share_p99_ms", 10L,
                "samples", 10));
    assertThat(m.get("stop"))
        .isEqualTo(
            Map.of(
                "cluster_stall_p50_ms", 6_000L,
                "cluster_stall_p99_ms", 6_000L,
                "ha4j_share_p50_ms", 400L,
                "ha4j_share_p99_ms", 400L,
                "samples", 1));
  }

  @Test
  void aFaultKindWithoutSplitSamplesReportsNullPercentilesAndZeroSamples() {
    Map<String, Object> m = DbBench.failoverSplit(List.of(Fault.ISOLATE), Map.of());

    @SuppressWarnings("unchecked")
    Map<String, Object> isolate = (Map<String, Object>) m.get("isolate");
    assertThat(isolate)
        .containsEntry("cluster_stall_p50_ms", null)
        .containsEntry("cluster_stall_p99_ms", null)
        .containsEntry("ha4j_share_p50_ms", null)
        .containsEntry("ha4j_share_p99_ms", null)
        .containsEntry("samples", 0);
  }

  private static Map<Contender, Map<String, Double>> throughput() {
    Map<Contender, Map<String, Double>> tp = new EnumMap<>(Contender.class);
    double base = 1_000;
    for (Contender c : Contender.values()) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("point_select", 10 * base);
      m.put("update", base);
      tp.put(c, m);
      base -= 100; // ha4j 1000, hikari_writer 900, haproxy_guide 800, …
    }
    return tp;
  }

  private static Map<String, Object> run(int recovered, int notRecovered) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50_ms", recovered == 0 ? null : 6_000L);
    m.put("p99_ms", recovered == 0 ? null : 6_500L);
    m.put("kills", recovered + notRecovered);
    m.put("recovered", recovered);
    m.put("not_recovered", notRecovered);
    return m;
  }

  @Test
  void contendersAreKeyedByTheFiveNamesWithThroughputRatiosToHa4jAndFailoverPerFaultKind() {
    Map<Contender, Map<Fault, Map<String, Object>>> fo = new EnumMap<>(Contender.class);
    for (Contender c : Contender.values()) {
      Map<Fault, Map<String, Object>> kinds = new EnumMap<>(Fault.class);
      kinds.put(Fault.KILL, run(2, 0));
      kinds.put(Fault.STOP, run(0, 2));
      fo.put(c, kinds);
    }

    Map<String, Object> m = DbBench.contenders(throughput(), fo);

    assertThat(m.keySet())
        .containsExactly(
            "ha4j", "hikari_writer", "haproxy_guide", "haproxy_tuned", "sequential_url");
    @SuppressWarnings("unchecked")
    Map<String, Object> guide = (Map<String, Object>) m.get("haproxy_guide");
    assertThat(guide.get("throughput"))
        .isEqualTo(
            Map.of(
                "point_select_ops_s",
                8_000L,
                "point_select_ratio_to_ha4j",
                0.8,
                "update_ops_s",
                800L,
                "update_ratio_to_ha4j",
                0.8));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> failover =
        (Map<String, Map<String, Object>>) guide.get("failover");
    assertThat(failover.keySet()).containsExactly("kill", "stop");
    assertThat(failover.get("kill"))
        .containsEntry("p50_ms", 6_000L)
        .containsEntry("p99_ms", 6_500L)
        .containsEntry("samples", 2)
        .containsEntry("not_recovered", 0);
    assertThat(failover.get("stop"))
        .containsEntry("p50_ms", null)
        .containsEntry("samples", 0)
        .containsEntry("not_recovered", 2);
  }

  @Test
  void contendersWithoutAPartLeaveItOut() {
    Map<String, Object> m = DbBench.contenders(null, Map.of());

    assertThat(m).hasSize(5);
    assertThat(m.values()).allSatisfy(v -> assertThat((Map<?, ?>) v).isEmpty());
  }

  @Test
  void failedOperationsOfAThroughputRoundAreCountedBesideTheRateAndNeverTakenForARate() {
    Map<Contender, Map<String, Double>> tp = throughput();
    tp.get(Contender.SEQUENTIAL_URL).put("point_select" + DbBench.ERRORS, 3.0);
    tp.get(Contender.HA4J).put("point_select" + DbBench.ERRORS, 0.0);

    Map<String, Object> m = DbBench.contenders(tp, Map.of());

    @SuppressWarnings("unchecked")
    Map<String, Object> seq = (Map<String, Object>) m.get("sequential_url");
    @SuppressWarnings("unchecked")
    Map<String, Object> t = (Map<String, Object>) seq.get("throughput");
    assertThat(t)
        .containsEntry("point_select_errors", 3L)
        .containsEntry("point_select_ops_s", 6_000L)
        .doesNotContainKey("point_select_errors_ops_s")
        .doesNotContainKey("point_select_errors_ratio_to_ha4j");
    assertThat(DbBench.versusGuide(tp)).doesNotContainKey("point_select" + DbBench.ERRORS);
  }

  @Test
  void ha4jAgainstTheGuidesHaproxyIsHa4jOverHaproxyWithTheGoal() {
    Map<String, Object> m = DbBench.versusGuide(throughput());

    assertThat(m)
        .containsEntry("point_select", 1.25)
        .containsEntry("update", 1.25)
        .containsEntry("goal_at_least", 1.0);
  }

  @Test
  void theWholeReportIsJsonWithTheNamesTheIssueAsksFor() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put(
        "contenders",
        DbBench.contenders(throughput(), Map.of(Contender.HA4J, Map.of(Fault.KILL, run(1, 1)))));
    report.put(
        "failover_split",
        DbBench.failoverSplit(
            List.of(Fault.KILL), Map.of(Fault.KILL, List.of(Split.of(10.0, 30.0)))));

    Map<String, Object> back = TestJson.parseObject(JsonOut.write(report));

    assertThat(back).containsOnlyKeys("contenders", "failover_split");
    assertThat(back.get("failover_split").toString())
        .contains("cluster_stall_p50_ms=10", "ha4j_share_p99_ms=20");
    assertThat(back.get("contenders").toString())
        .contains("ha4j={throughput=", "failover={kill={p50_ms=6000");
  }

  @Test
  void setupNamesTheFaultsTheContendersAndTheEvsTimeouts() {
    DbBench.Options o =
        new DbBench.Options(
            8,
            3,
            1,
            2,
            List.of(Fault.KILL, Fault.ISOLATE),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            true,
            true,
            true,
            List.of(Contender.HA4J, Contender.HAPROXY_TUNED));

    Map<String, Object> s =
        DbBench.setup(o, Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(60));

    assertThat(s)
        .containsEntry("kills", 2)
        .containsEntry("faults", List.of("kill", "isolate"))
        .containsEntry(
            "contenders",
            List.of("ha4j", "hikari_writer", "haproxy_guide", "haproxy_tuned", "sequential_url"))
        .containsEntry("failover_contenders", List.of("ha4j", "haproxy_tuned"))
        .containsEntry("evs_suspect_ms", 2_000L)
        .containsEntry("evs_inactive_ms", 4_000L)
        .containsEntry("recovery_bound_s", 60L);
  }

  @Test
  void theSequentialUrlListsEveryNodeInOrder() {
    assertThat(DbBench.sequentialUrl(List.of("127.0.3.21:4031", "127.0.3.22:4032"), "ha4j"))
        .isEqualTo("jdbc:mariadb:sequential://127.0.3.21:4031,127.0.3.22:4032/ha4j");
  }

  @Test
  void faultKindsParseByNameAndABadOneNamesTheChoices() {
    assertThat(Fault.parse("stop")).isEqualTo(Fault.STOP);
    assertThatThrownBy(() -> Fault.parse("reboot"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kill, stop, isolate")
        .hasMessageContaining("'reboot'");
  }

  private static BenchCommands.BenchDb parse(String... args) {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    BenchCommands.BenchDb cmd = new BenchCommands.BenchDb(new Io(sink, sink, Map.of()));
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }

  @Test
  void optionsDefaultToEveryFaultKindTenSamplesAndTheKitsEvsTimeouts() {
    DbBench.Options o = parse().options();

    assertThat(o.faults()).containsExactly(Fault.KILL, Fault.STOP, Fault.ISOLATE);
    assertThat(o.kills()).isEqualTo(10);
    assertThat(o.evsSuspect()).isNull();
    assertThat(o.evsInactive()).isNull();
    assertThat(o.withThroughput()).isTrue();
    assertThat(o.withFailover()).isTrue();
    assertThat(o.failoverContenders()).containsExactly(Contender.values());
  }

  @Test
  void failoverContendersAreChosenByNameOnceEachAndABadNameIsAUsageError() {
    assertThat(
            parse("--failover-contenders", "ha4j,haproxy_tuned,ha4j")
                .options()
                .failoverContenders())
        .containsExactly(Contender.HA4J, Contender.HAPROXY_TUNED);
    assertThatThrownBy(() -> parse("--failover-contenders", "proxysql"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("sequential_url")
        .hasMessageContaining("'proxysql'");
  }

  @Test
  void optionsTakeAListOfFaultsOnceEachAndBothEvsTimeouts() {
    DbBench.Options o =
        parse(
                "--faults",
                "isolate,kill,isolate",
                "--kills",
                "2",
                "--evs-suspect",
                "1.5s",
                "--evs-inactive",
                "3000ms",
                "--no-throughput")
            .options();

    assertThat(o.faults()).containsExactly(Fault.ISOLATE, Fault.KILL);
    assertThat(o.kills()).isEqualTo(2);
    assertThat(o.evsSuspect()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.evsInactive()).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.withThroughput()).isFalse();
  }

  @Test
  void oneEvsTimeoutWithoutTheOtherIsAUsageError() {
    BenchCommands.BenchDb cmd = parse("--evs-suspect", "2s");

    assertThatThrownBy(cmd::options)
        .isInstanceOf(UsageException.class)
        .hasMessage("--evs-suspect and --evs-inactive must be given together");
  }

  @Test
  void evsTimeoutsTheClusterWouldRefuseAreAUsageErrorNamingBoth() {
    BenchCommands.BenchDb cmd = parse("--evs-suspect", "4s", "--evs-inactive", "2s");

    assertThatThrownBy(cmd::options)
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--evs-suspect 4000ms --evs-inactive 2000ms: ")
        .hasMessageContaining("evs.inactive_timeout must be longer than evs.suspect_timeout");
  }
}

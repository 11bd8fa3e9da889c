package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.cli.internal.SoakFaults.Fault;
import io.ha4j.cli.internal.SoakFaults.Kind;
import io.ha4j.cli.internal.SoakFaults.Target;
import io.ha4j.cli.internal.SoakReport.Db;
import io.ha4j.cli.internal.SoakReport.FaultResult;
import io.ha4j.cli.internal.SoakReport.Messages;
import io.ha4j.cli.internal.SoakReport.Resources;
import io.ha4j.cli.internal.SoakReport.Stalls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.jr.ob.JSON;

/** The report of {@code ha4j soak}: its exit rule, its JSON shape and its text. */
class SoakReportTest {

  private static final FaultResult KILL =
      new FaultResult(
          new Fault(1, 12_000, Target.RABBIT, Kind.KILL, 2, 4_000),
          2,
          12.04,
          4.2,
          9.96,
          true,
          null);
  private static final FaultResult DESYNC =
      new FaultResult(
          new Fault(2, 15_000, Target.GALERA, Kind.DESYNC, 3, 6_000),
          1,
          31.5,
          6.1,
          0.4,
          true,
          null);

  private static SoakReport report(
      Messages m, Db d, Resources r, List<FaultResult> faults, List<String> problems) {
    return new SoakReport(
        7,
        2.5,
        3,
        150.2,
        faults,
        m,
        d,
        new Stalls(1200, 1500, 4300),
        150,
        r,
        problems,
        List.of("ha4j-rabbit-1-ab", "ha4j-galera-1-cd"),
        List.of(101L, 102L));
  }

  private static Messages messages(long lost) {
    return new Messages(22_500, 22_490, 10, 22_490 - lost, lost, 35);
  }

  private static Db db(long lost, long dupRows, long unknown) {
    return new Db(
        11_000,
        11_000 - lost + dupRows,
        lost,
        dupRows,
        unknown,
        unknown / 2,
        Map.of("SQLTransientConnectionException", 2L));
  }

  private static final Resources SAME = new Resources(40, 42, 100, 104);

  private static SoakReport clean() {
    return report(messages(0), db(0, 0, 0), SAME, List.of(KILL, DESYNC), List.of());
  }

  @Test
  void nothingLostNothingDuplicatedAndResourcesBackExitsZero() {
    SoakReport r = clean();

    assertThat(r.reasons()).isEmpty();
    assertThat(r.ok()).isTrue();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void duplicateMessagesAndSurfacedErrorsDoNotFailTheRun() {
    // at-least-once delivery: a message delivered twice is expected, and so is an error that
    // reached the caller with a clear exception
    SoakReport r = clean();

    assertThat(r.messages().duplicates()).isPositive();
    assertThat(r.db().errors()).isNotEmpty();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void aLostMessageFailsTheRun() {
    SoakReport r = report(messages(3), db(0, 0, 0), SAME, List.of(KILL), List.of());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.reasons()).containsExactly("3 confirmed message(s) lost");
  }

  @Test
  void aLostRowADuplicateRowAndAnUnknownOutcomeEachFailTheRun() {
    SoakReport r = report(messages(0), db(1, 2, 4), SAME, List.of(), List.of());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.reasons())
        .containsExactly(
            "1 committed row(s) lost",
            "2 client id(s) written more than once",
            "4 commit outcome(s) unknown to the caller");
  }

  @Test
  void resourcesMayGrowByTheMarginButNoMore() {
    Resources atMargin =
        new Resources(40, 40 + SoakReport.THREAD_MARGIN, 100, 100 + SoakReport.FD_MARGIN);
    Resources over =
        new Resources(40, 41 + SoakReport.THREAD_MARGIN, 100, 101 + SoakReport.FD_MARGIN);

    assertThat(report(messages(0), db(0, 0, 0), atMargin, List.of(), List.of()).exitCode())
        .isZero();
    assertThat(report(messages(0), db(0, 0, 0), over, List.of(), List.of()).reasons())
        .containsExactly(
            "threads not back: 40 at start, 46 at the end (margin 5)",
            "file descriptors not back: 100 at start, 111 at the end (margin 10)");
  }

  @Test
  void aFaultThatDidNotRecoverAndARunProblemFailTheRun() {
    FaultResult stuck =
        new FaultResult(
            new Fault(3, 10_000, Target.RABBIT, Kind.PAUSE, 1, 8_000),
            1,
            50,
            8,
            150,
            false,
            "not healthy again within 150 s: timed out");
    SoakReport r =
        report(messages(0), db(0, 0, 0), SAME, List.of(KILL, stuck), List.of("could not count"));

    assertThat(r.reasons())
        .containsExactly(
            "fault #3 (pause rabbitmq node 1 for 8.0 s): not healthy again within 150 s: timed out",
            "could not count");
  }

  @Test
  void jsonHasEveryFieldOfTheContract() throws Exception {
    Map<String, Object> j = JSON.std.mapFrom(JsonOut.write(clean().toMap()));

    assertThat(j)
        .containsKeys(
            "seed",
            "minutes",
            "instances",
            "ok",
            "faults",
            "messages",
            "db",
            "max_stall_ms",
            "writer_disagreement_ms",
            "resources");
    assertThat(j).containsEntry("seed", 7).containsEntry("instances", 3).containsEntry("ok", true);
    assertThat(j.get("minutes")).isEqualTo(2.5);
    assertThat(j.get("writer_disagreement_ms")).isEqualTo(150);
    assertThat(asMap(j.get("messages")))
        .containsEntry("confirmed", 22_490)
        .containsEntry("received_distinct", 22_490)
        .containsEntry("lost", 0)
        .containsEntry("duplicates", 35);
    assertThat(asMap(j.get("db")))
        .containsEntry("commits", 11_000)
        .containsEntry("rows", 11_000)
        .containsEntry("lost", 0)
        .containsEntry("duplicate_rows", 0)
        .containsEntry("unknown_outcomes", 0)
        .containsEntry("unknown_committed", 0)
        .containsEntry("errors", Map.of("SQLTransientConnectionException", 2));
    assertThat(asMap(j.get("max_stall_ms")))
        .containsOnly(
            Map.entry("publisher", 1200), Map.entry("consumer", 1500), Map.entry("db", 4300));
    assertThat(asMap(j.get("resources")))
        .containsEntry("threads_start", 40)
        .containsEntry("threads_end", 42)
        .containsEntry("fds_start", 100)
        .containsEntry("fds_end", 104);
    assertThat(asMap(j.get("clusters")))
        .containsEntry("run_ids", List.of("ha4j-rabbit-1-ab", "ha4j-galera-1-cd"))
        .containsEntry("server_pids", List.of(101, 102));
  }

  @Test
  void jsonListsEveryFaultWithItsTimeKindClusterNodeAndDuration() throws Exception {
    Map<String, Object> j = JSON.std.mapFrom(JsonOut.write(clean().toMap()));

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> faults = (List<Map<String, Object>>) j.get("faults");
    assertThat(faults).hasSize(2);
    assertThat(faults.get(0))
        .containsEntry("n", 1)
        .containsEntry("t_s", 12.0)
        .containsEntry("kind", "kill")
        .containsEntry("cluster", "rabbitmq")
        .containsEntry("node", 2)
        .containsEntry("duration_s", 4.2)
        .containsEntry("recovery_s", 10.0)
        .containsEntry("recovered", true);
    assertThat(faults.get(1))
        .containsEntry("kind", "desync")
        .containsEntry("cluster", "galera")
        .containsEntry("node", 1);
  }

  @Test
  void aFailedRunSaysWhyInJson() throws Exception {
    SoakReport r = report(messages(2), db(0, 0, 0), SAME, List.of(), List.of());

    Map<String, Object> j = JSON.std.mapFrom(JsonOut.write(r.toMap()));

    assertThat(j).containsEntry("ok", false);
    assertThat(j.get("reasons")).isEqualTo(List.of("2 confirmed message(s) lost"));
  }

  @Test
  void textReportNamesEveryFaultAndTheResult() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report(messages(1), db(0, 0, 0), SAME, List.of(KILL, DESYNC), List.of())
        .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String text = bytes.toString(StandardCharsets.UTF_8);

    assertThat(text)
        .contains("seed 7")
        .contains("#1  t=  12.0s kill     rabbitmq node 2")
        .contains("#2  t=  31.5s desync   galera   node 1")
        .contains("messages: confirmed 22490, received distinct 22489, lost 1, duplicates 35")
        .contains(
            "database: commits 11000, rows 11000, lost 0, duplicate rows 0, unknown outcomes 0 (0"
                + " of them committed)")
        .contains("longest stall: publisher 1200 ms, consumer 1500 ms, database 4300 ms")
        .contains("threads 40 at start, 42 at the end; open fds 100 at start, 104 at the end")
        .contains("result: FAILED")
        .contains("  - 1 confirmed message(s) lost");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}

package io.ha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.testkit.Waits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.jr.ob.JSON;

/**
 * {@code ha4j soak} for two and a half minutes with a fixed seed, through the command's own entry
 * point: its own clusters, three instances, faults on both clusters, then the JSON report.
 */
class SoakIT {

  /**
   * A plan (see SoakFaults) with every kind of fault that fits the time: a RabbitMQ restart and
   * pause; a desync, a kill -9 and a restart of the Galera writer, a Galera pause and isolation.
   */
  private static final String SEED = "1073";

  @Test
  @SuppressWarnings("unchecked")
  void aSeededSoakLosesNothingDuplicatesNoRowAndLeavesNothingBehind() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long t0 = System.nanoTime();

    int code =
        Main.run(
            new String[] {"soak", "--minutes", "2.5", "--seed", SEED, "--json"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);

    Duration wall = Duration.ofNanos(System.nanoTime() - t0);
    String json = out.toString(StandardCharsets.UTF_8).strip();
    System.err.println("soak report: " + json);
    System.err.println("soak wall time: " + wall.toSeconds() + " s, exit code " + code);
    assertThat(json.lines()).as("one JSON document on stdout").hasSize(1);
    Map<String, Object> r = JSON.std.mapFrom(json);
    List<Map<String, Object>> faults = (List<Map<String, Object>>) r.get("faults");
    Map<String, Object> messages = (Map<String, Object>) r.get("messages");
    Map<String, Object> db = (Map<String, Object>) r.get("db");
    Map<String, Object> resources = (Map<String, Object>) r.get("resources");
    Map<String, Object> clusters = (Map<String, Object>) r.get("clusters");

    SoftAssertions softly = new SoftAssertions();
    softly
        .assertThat(r)
        .containsEntry("seed", Integer.parseInt(SEED))
        .containsEntry("instances", 3);
    softly.assertThat(faults).as("faults").hasSizeGreaterThanOrEqualTo(5);
    softly
        .assertThat(faults.stream().map(f -> f.get("kind")).collect(Collectors.toSet()))
        .as("kinds of fault")
        .hasSizeGreaterThanOrEqualTo(2);
    softly
        .assertThat(faults.stream().map(f -> f.get("cluster")).collect(Collectors.toSet()))
        .as("clusters faulted")
        .isEqualTo(Set.of("rabbitmq", "galera"));
    softly.assertThat(faults).allSatisfy(f -> assertThat(f).containsEntry("recovered", true));
    softly.assertThat(asLong(messages.get("confirmed"))).as("messages confirmed").isPositive();
    softly.assertThat(messages).as("messages").containsEntry("lost", 0);
    softly
        .assertThat(asLong(messages.get("received_distinct")))
        .as("messages received")
        .isGreaterThanOrEqualTo(asLong(messages.get("confirmed")));
    softly.assertThat(asLong(db.get("commits"))).as("commits").isPositive();
    softly.assertThat(db).as("db").containsEntry("lost", 0).containsEntry("duplicate_rows", 0);
    softly
        .assertThat(asLong(db.get("rows")))
        .as("rows counted")
        .isGreaterThanOrEqualTo(asLong(db.get("commits")));
    softly.assertThat(db.get("errors")).as("errors by class").isInstanceOf(Map.class);
    softly
        .assertThat(asLong(resources.get("threads_end")))
        .as("threads at the end")
        .isLessThanOrEqualTo(asLong(resources.get("threads_start")) + 5);
    softly
        .assertThat(asLong(resources.get("fds_end")))
        .as("open fds at the end")
        .isLessThanOrEqualTo(asLong(resources.get("fds_start")) + 10);
    softly.assertThat(r.get("max_stall_ms")).isInstanceOf(Map.class);
    softly.assertThat(r.get("writer_disagreement_ms")).isInstanceOf(Number.class);
    // Nothing left behind: no server process of the run and no iptables rule with its run ids.
    // (a killed server may stay a zombie for a moment until its parent is reaped)
    List<Long> pids =
        ((List<Object>) clusters.get("server_pids")).stream().map(SoakIT::asLong).toList();
    softly
        .assertThatCode(
            () ->
                Waits.until(
                    "the servers of the run to be gone",
                    Duration.ofSeconds(30),
                    Duration.ofMillis(200),
                    () -> {
                      List<Long> alive =
                          pids.stream()
                              .filter(
                                  p ->
                                      ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                              .toList();
                      return alive.isEmpty()
                          ? Waits.Poll.done()
                          : Waits.Poll.notYet("still alive: " + alive);
                    }))
        .doesNotThrowAnyException();
    softly.assertThat((List<Object>) clusters.get("server_pids")).hasSizeGreaterThanOrEqualTo(6);
    String rules = iptablesRules();
    softly.assertThat((List<Object>) clusters.get("run_ids")).hasSize(2);
    for (Object runId : (List<Object>) clusters.get("run_ids")) {
      softly.assertThat(rules).as("iptables rules").doesNotContain(runId.toString());
    }
    softly.assertThat(code).as("exit code").isEqualTo(Boolean.TRUE.equals(r.get("ok")) ? 0 : 1);
    softly.assertThat(wall).as("wall time").isLessThanOrEqualTo(Duration.ofMinutes(4));
    // A COMMIT lost with the writer reaches the caller as CommitOutcomeUnknownException until
    // ha-jdbc resolves commit outcomes (issue 13, item 1); then this holds, and the run is ok.
    softly.assertThat(db).as("db").containsEntry("unknown_outcomes", 0);
    softly.assertThat(r).containsEntry("ok", true);
    softly.assertAll();
  }

  /** {@code iptables -S}: every rule of the filter table. */
  private static String iptablesRules() throws Exception {
    Process p = new ProcessBuilder("iptables", "-w", "5", "-S").redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("iptables -S finished").isTrue();
    assertThat(p.exitValue()).as("iptables -S: " + text).isZero();
    return text;
  }

  private static long asLong(Object o) {
    return ((Number) o).longValue();
  }
}

package io.ha4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.testkit.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcsTest {

  @Test
  void spawnedCommandLeadsItsOwnGroupAndKillGroupRemovesEveryMember(@TempDir Path dir)
      throws Exception {
    // A shell with a child: both must die with the group, as beam.smp dies with its wrapper.
    Procs.ProcId leader =
        Procs.spawn(
            List.of("sh", "-c", "sleep 300 & sleep 300; wait"), Map.of(), dir.resolve("log"));

    Waits.until(
        "two members in the group",
        Duration.ofSeconds(10),
        Duration.ofMillis(10),
        () ->
            Procs.groupMembers(leader.pid()).size() >= 3
                ? Waits.Poll.done()
                : Waits.Poll.notYet(Procs.groupMembers(leader.pid()).toString()));
    assertThat(Procs.stat(leader.pid()).orElseThrow().pgrp()).isEqualTo(leader.pid());

    Procs.killGroup(leader, Duration.ofSeconds(10));

    assertThat(Procs.groupMembers(leader.pid())).isEmpty();
    assertThat(leader.alive()).isFalse();
  }

  @Test
  void killGroupLeavesAProcessWithAReusedPidAlone() {
    long self = ProcessHandle.current().pid();
    long realStart = Procs.ProcId.of(self).orElseThrow().startTime();
    Procs.ProcId stale = new Procs.ProcId(self, realStart + 1);

    Procs.killGroup(stale, Duration.ofSeconds(1));

    assertThat(Procs.ProcId.of(self)).isPresent();
    assertThat(stale.alive()).isFalse();
  }

  @Test
  void runReportsExitCodeOutputAndTimeout() {
    Procs.Result ok =
        Procs.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
    assertThat(ok.exitCode()).isEqualTo(3);
    assertThat(ok.stdout()).isEqualTo("out\n");
    assertThat(ok.describe()).isEqualTo("exit 3: err");

    Procs.Result slow = Procs.run(List.of("sleep", "30"), Duration.ofMillis(200));
    assertThat(slow.timedOut()).isTrue();
    assertThat(slow.ok()).isFalse();
  }

  @Test
  void tailReturnsTheLastLinesOrSaysTheFileIsMissing(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("server.log");
    Files.writeString(f, "a\nb\nc\nd\n");

    assertThat(Procs.tail(f, 2)).isEqualTo("c\nd");
    assertThat(Procs.tail(dir.resolve("none.log"), 2)).contains("no log at");
  }
}

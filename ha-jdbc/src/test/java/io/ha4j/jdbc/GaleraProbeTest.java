package io.ha4j.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer a fresh data source would choose from probe results. */
class GaleraProbeTest {

  private static GaleraProbe.Result node(String name, int priority, boolean healthy) {
    return new GaleraProbe.Result(
        name,
        priority,
        true,
        "",
        "c",
        "u",
        3,
        "Primary",
        healthy ? 4 : 2,
        healthy ? "Synced" : "Donor/Desynced",
        true,
        true,
        !healthy,
        "NONE",
        false,
        true,
        5,
        healthy,
        healthy ? "" : "wsrep_desync = ON");
  }

  private static GaleraProbe.Result down(String name, int priority) {
    return new GaleraProbe.Result(
        name,
        priority,
        false,
        "connection refused",
        "",
        "",
        0,
        "",
        0,
        "",
        false,
        false,
        false,
        "",
        false,
        false,
        -1,
        false,
        "connection refused");
  }

  @Test
  void writerOfIsTheHealthyNodeWithTheLowestPriorityTiesInOrder() {
    assertThat(
            GaleraProbe.writerOf(
                List.of(node("a", 1, true), node("b", 0, true), node("c", 0, true))))
        .contains("b");
    assertThat(GaleraProbe.writerOf(List.of(down("a", 0), node("b", 0, false), node("c", 0, true))))
        .contains("c");
    assertThat(GaleraProbe.writerOf(List.of(down("a", 0), node("b", -1, true)))).isEmpty();
  }

  @Test
  void resultsReadAsOneLineWithoutSecrets() {
    assertThat(node("a:1", 0, true)).hasToString("a:1 Synced/Primary/3 healthy");
    assertThat(down("a:1", 0)).hasToString("a:1 unreachable: connection refused");
  }
}

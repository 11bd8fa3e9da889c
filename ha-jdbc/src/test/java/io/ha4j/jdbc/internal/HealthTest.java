package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthTest {

  private static Probe synced() {
    return new Probe(
        true, false, "", 4, "Synced", true, true, "Primary", "galera", "u1", 3, false, "NONE",
        false, true, 7, 100);
  }

  private static Probe with(int state, String status, boolean desync, String reject, boolean ro) {
    return new Probe(
        true,
        false,
        "",
        state,
        state == 4 ? "Synced" : "Donor/Desynced",
        true,
        true,
        status,
        "galera",
        "u1",
        3,
        desync,
        reject,
        ro,
        true,
        7,
        100);
  }

  @Test
  void aSyncedPrimaryNodeIsHealthy() {
    assertThat(Health.judge(synced(), "u1", false).healthy()).isTrue();
  }

  @Test
  void operatorSwitchesAreAdministrativeAndNamed() {
    Health.Verdict desync = Health.judge(with(2, "Primary", true, "NONE", false), "u1", false);
    assertThat(desync.healthy()).isFalse();
    assertThat(desync.administrative()).isTrue();
    assertThat(desync.detail()).isEqualTo("wsrep_desync = ON");

    Health.Verdict reject = Health.judge(with(4, "Primary", false, "ALL", false), "u1", false);
    assertThat(reject.administrative()).isTrue();
    assertThat(reject.detail()).isEqualTo("wsrep_reject_queries = ALL");

    assertThat(Health.judge(with(4, "Primary", false, "NONE", true), "u1", false).detail())
        .isEqualTo("read_only = ON");
  }

  @Test
  void nonPrimaryAndSplitBrainAreNotAdministrative() {
    Health.Verdict np = Health.judge(with(4, "non-Primary", false, "NONE", false), "u1", false);
    assertThat(np.healthy()).isFalse();
    assertThat(np.administrative()).isFalse();
    Health.Verdict split = Health.judge(synced(), "u2", false);
    assertThat(split.healthy()).isFalse();
    assertThat(split.detail()).contains("split brain");
  }

  @Test
  void donorsServeOnlyWhenAllowedAndNotRejecting() {
    Probe donor =
        new Probe(
            true,
            false,
            "",
            2,
            "Donor/Desynced",
            true,
            true,
            "Primary",
            "galera",
            "u1",
            3,
            false,
            "NONE",
            false,
            false,
            7,
            100);
    assertThat(Health.judge(donor, "u1", false).healthy()).isFalse();
    assertThat(Health.judge(donor, "u1", true).healthy()).isTrue();
  }

  private static Probe view(String status, long conf, long at) {
    return new Probe(
        true, false, "", 4, "Synced", true, true, status, "galera", "u1", 3, false, "NONE", false,
        true, conf, at);
  }

  @Test
  void aViewOlderThanOneAnotherNodeReportedEarlierIsStale() {
    Probe resumed = view("Primary", 7, 200);
    assertThat(Health.staleView(resumed, java.util.List.of(view("Primary", 8, 100))))
        .contains("stale view")
        .contains("7")
        .contains("8");
    // the other answered later: a view change may just be under way; not judged
    assertThat(Health.staleView(resumed, java.util.List.of(view("Primary", 8, 300)))).isEmpty();
    // non-Primary answers and equal views do not count
    assertThat(Health.staleView(resumed, java.util.List.of(view("non-Primary", 9, 100)))).isEmpty();
    assertThat(Health.staleView(resumed, java.util.List.of(view("Primary", 7, 100)))).isEmpty();
  }

  private static Probe view(String status, long conf, int size, long at) {
    return new Probe(
        true, false, "", 4, "Synced", true, true, status, "galera", "u1", size, false, "NONE",
        false, true, conf, at);
  }

  @Test
  void aSilentNodeIsLeftBehindWhenALaterPrimaryViewHasFewerMembers() {
    Probe last = view("Primary", 7, 3, 200);
    assertThat(Health.leftBehind(last, java.util.List.of(view("Primary", 8, 2, 300))))
        .contains("went on without it")
        .contains("view 8 of 2")
        .contains("view 7 of 3");
  }

  @Test
  void noLaterSmallerPrimaryViewLeavesNoNodeBehind() {
    Probe last = view("Primary", 7, 3, 200);
    // the newer view was reported before the node's last answer: it answered within it
    assertThat(Health.leftBehind(last, java.util.List.of(view("Primary", 8, 2, 100)))).isEmpty();
    // a node joined: the silent one is still counted
    assertThat(Health.leftBehind(last, java.util.List.of(view("Primary", 8, 4, 300)))).isEmpty();
    // the same view, or one outside the Primary component, says nothing
    assertThat(Health.leftBehind(last, java.util.List.of(view("Primary", 7, 3, 300)))).isEmpty();
    assertThat(Health.leftBehind(last, java.util.List.of(view("non-Primary", 9, 1, 300))))
        .isEmpty();
    // a node that never answered, or last answered outside the Primary component
    assertThat(Health.leftBehind(null, java.util.List.of(view("Primary", 8, 2, 300)))).isEmpty();
    assertThat(
            Health.leftBehind(
                view("non-Primary", 7, 3, 200), java.util.List.of(view("Primary", 8, 2, 300))))
        .isEmpty();
  }
}

package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.cli.internal.SoakFaults.Fault;
import io.ha4j.cli.internal.SoakFaults.Kind;
import io.ha4j.cli.internal.SoakFaults.Target;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seeded fault plan of {@code ha4j soak}. */
class SoakFaultsTest {

  private static List<Fault> plan(long seed, int n) {
    SoakFaults faults = new SoakFaults(seed, 3);
    List<Fault> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(faults.next());
    }
    return out;
  }

  @Test
  void sameSeedGivesTheSameFaults() {
    assertThat(plan(42, 50)).isEqualTo(plan(42, 50));
  }

  @Test
  void differentSeedsGiveDifferentFaults() {
    assertThat(plan(42, 20)).isNotEqualTo(plan(43, 20));
  }

  @Test
  void faultsAreNumberedFromOne() {
    assertThat(plan(7, 5)).extracting(Fault::number).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void everyValueStaysInItsRange() {
    for (Fault f : plan(1234, 2000)) {
      assertThat(f.gapMillis()).isBetween(10_000L, 20_000L);
      assertThat(f.node()).isBetween(1, 3);
      long d = f.durationMillis();
      switch (f.kind()) {
        case KILL -> assertThat(d).isBetween(3_000L, 10_000L);
        case PAUSE, DESYNC -> assertThat(d).isBetween(5_000L, 15_000L);
        case ISOLATE -> assertThat(d).isBetween(5_000L, 20_000L);
        case RESTART -> assertThat(d).isZero();
      }
    }
  }

  @Test
  void desyncOnlyHitsGalera() {
    assertThat(plan(99, 2000))
        .filteredOn(f -> f.kind() == Kind.DESYNC)
        .isNotEmpty()
        .allMatch(f -> f.target() == Target.GALERA);
  }

  @Test
  void aLongPlanUsesEveryKindOnBothClustersAndEveryNode() {
    List<Fault> faults = plan(5, 500);
    Set<Kind> rabbitKinds = EnumSet.noneOf(Kind.class);
    Set<Kind> galeraKinds = EnumSet.noneOf(Kind.class);
    for (Fault f : faults) {
      (f.target() == Target.RABBIT ? rabbitKinds : galeraKinds).add(f.kind());
    }
    assertThat(rabbitKinds)
        .containsExactlyInAnyOrder(Kind.KILL, Kind.PAUSE, Kind.ISOLATE, Kind.RESTART);
    assertThat(galeraKinds).containsExactlyInAnyOrder(Kind.values());
    assertThat(faults).extracting(Fault::node).contains(1, 2, 3);
  }

  @Test
  void describesAFaultAsASentence() {
    assertThat(new Fault(1, 10_000, Target.GALERA, Kind.PAUSE, 2, 7_500).describe())
        .isEqualTo("pause galera node 2 for 7.5 s");
    assertThat(new Fault(2, 10_000, Target.RABBIT, Kind.RESTART, 3, 0).describe())
        .isEqualTo("restart rabbitmq node 3");
    assertThat(new Fault(3, 10_000, Target.GALERA, Kind.DESYNC, 1, 5_000).describe())
        .isEqualTo("desync galera writer for 5.0 s");
  }

  @Test
  void rejectsClustersWithoutNodes() {
    assertThatThrownBy(() -> new SoakFaults(1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nodes must be at least 1, was 0");
  }
}

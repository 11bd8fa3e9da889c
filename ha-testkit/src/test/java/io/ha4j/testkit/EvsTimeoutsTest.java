package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EvsTimeoutsTest {

  @Test
  void defaultTimeoutsKeepGalerasOtherDefaults() {
    assertThat(
            GaleraSetup.evsOptions(
                GaleraCluster.DEFAULT_EVS_SUSPECT_TIMEOUT,
                GaleraCluster.DEFAULT_EVS_INACTIVE_TIMEOUT))
        .isEqualTo("evs.suspect_timeout=PT5S;evs.inactive_timeout=PT15S");
  }

  @Test
  void shortTimeoutsSetKeepaliveAndCheckPeriodsBelowTheSuspectTimeout() {
    assertThat(GaleraSetup.evsOptions(Duration.ofSeconds(2), Duration.ofSeconds(4)))
        .isEqualTo(
            "evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S;evs.inactive_check_period=PT0.5S;"
                + "evs.keepalive_period=PT0.5S;evs.install_timeout=PT2S");
    assertThat(GaleraSetup.evsOptions(Duration.ofSeconds(1), Duration.ofMillis(1500)))
        .isEqualTo(
            "evs.suspect_timeout=PT1S;evs.inactive_timeout=PT1.5S;"
                + "evs.inactive_check_period=PT0.25S;evs.keepalive_period=PT0.25S;"
                + "evs.install_timeout=PT0.75S");
  }

  @Test
  void installTimeoutIsHalfTheInactiveTimeoutAsGaleraDefaultsIt() {
    assertThat(GaleraSetup.evsOptions(Duration.ofSeconds(10), Duration.ofSeconds(30)))
        .endsWith(";evs.install_timeout=PT15S");
  }

  @Test
  void inactiveTimeoutNotLongerThanSuspectIsRejectedWithBothValues() {
    assertThatThrownBy(
            () -> GaleraCluster.builder().evsTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "evs.inactive_timeout must be longer than evs.suspect_timeout (PT3S), was PT3S");
  }

  @Test
  void outOfRangeTimeoutsAreRejectedNamingTheOption() {
    assertThatThrownBy(
            () ->
                GaleraCluster.builder().evsTimeouts(Duration.ofMillis(900), Duration.ofSeconds(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("evs.suspect_timeout must be at least PT1S, was PT0.9S");
    assertThatThrownBy(
            () ->
                GaleraCluster.builder().evsTimeouts(Duration.ofSeconds(2), Duration.ofMinutes(11)))
        .hasMessage("evs.inactive_timeout must be at most PT10M, was PT11M");
    assertThatThrownBy(
            () ->
                GaleraCluster.builder()
                    .evsTimeouts(Duration.ofSeconds(2), Duration.ofNanos(4_000_000_001L)))
        .hasMessageStartingWith("evs timeouts must be whole milliseconds");
    assertThatThrownBy(() -> GaleraCluster.builder().evsTimeouts(null, Duration.ofSeconds(3)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("evs.suspect_timeout");
  }

  @Test
  void validTimeoutsAreAccepted() {
    GaleraCluster.Builder b = GaleraCluster.builder();

    assertThat(b.evsTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(4))).isSameAs(b);
  }
}

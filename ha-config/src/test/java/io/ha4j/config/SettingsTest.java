package io.ha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void defaultsAreOslos() {
    AmqpSettings a = AmqpSettings.ofDefaults();

    assertThat(a.retry().interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(a.retry().backoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(a.retry().intervalMax()).isEqualTo(Duration.ofSeconds(30));
    assertThat(a.retry().maxRetries()).isEmpty();
    assertThat(a.reconnectDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(a.heartbeatTimeoutThreshold()).isEqualTo(Duration.ofSeconds(60));
    assertThat(a.heartbeatRate()).isEqualTo(2);
    assertThat(a.transientQueuesTtl()).isEqualTo(Duration.ofSeconds(1800));
    assertThat(a.loginMethod()).isEqualTo(AmqpSettings.LoginMethod.AMQPLAIN);
    assertThat(a.failoverStrategy()).isEqualTo(AmqpSettings.FailoverStrategy.ROUND_ROBIN);
    assertThat(a.hostOrder()).isEqualTo(AmqpSettings.HostOrder.SHUFFLE);
    assertThat(a.directMandatoryFlag()).isTrue();
    assertThat(a.durableQueues()).isFalse();
  }

  @Test
  void builderMethodsRejectBadArgumentsNamingTheSetting() {
    AmqpSettings.Builder b = AmqpSettings.builder();

    assertThatThrownBy(() -> b.reconnectDelay(Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reconnectDelay");
    assertThatThrownBy(() -> b.heartbeatRate(0)).hasMessageContaining("heartbeatRate");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO))
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> b.hosts(java.util.List.of())).hasMessageContaining("hosts");
    assertThatThrownBy(() -> b.virtualHost(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () ->
                new RetrySettings(
                    Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO, OptionalInt.empty()))
        .hasMessageContaining("interval");
  }

  @Test
  void quorumAndHaQueuesTogetherFailAtBuild() {
    AmqpSettings.Builder b = AmqpSettings.builder().quorumQueue(true).haQueues(true);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("quorumQueue and haQueues");
  }

  @Test
  void quorumQueuesAreDurable() {
    assertThat(AmqpSettings.builder().quorumQueue(true).build().durableQueues()).isTrue();
  }

  @Test
  void toBuilderRoundTripsAndToStringMasksPasswords() {
    AmqpSettings a =
        AmqpSettings.builder()
            .hosts(new AmqpHost("h1", 5673, "u", "Secret1"), new AmqpHost("h2", 5672, "u", "S2"))
            .heartbeatRate(3)
            .build();

    assertThat(a.toBuilder().build()).isEqualTo(a);
    assertThat(a.toString())
        .contains("u:***@h1:5673")
        .doesNotContain("Secret1")
        .doesNotContain("S2,");
    GaleraSettings g =
        GaleraSettings.builder()
            .nodes(new GaleraNode("db1", 3306, 0))
            .username("nova")
            .password("Secret1")
            .database("nova")
            .build();
    assertThat(g.toBuilder().build()).isEqualTo(g);
    assertThat(g.toString()).contains("password=***").doesNotContain("Secret1");
  }

  @Test
  void galeraBuildNeedsAWritableNodeAndAUser() {
    assertThatThrownBy(() -> GaleraSettings.builder().username("u").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Galera node");
    assertThatThrownBy(
            () -> GaleraSettings.builder().username("u").nodes(new GaleraNode("a", 1, -1)).build())
        .hasMessageContaining("negative priority");
  }

  @Test
  void commitMarkerTableMustBeAPlainOrSchemaQualifiedIdentifier() {
    GaleraSettings.Builder b = GaleraSettings.builder();
    assertThat(b.commitMarkerTable("nova.ha4j_markers$1").nodes(new GaleraNode("a", 1, 0)))
        .isNotNull();
    for (String bad : List.of("", "1x", "a.b.c", "a b", "`x`", "x;", "a".repeat(65))) {
      assertThatThrownBy(() -> GaleraSettings.builder().commitMarkerTable(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("commitMarkerTable");
    }
  }

  @Test
  void maxRetriesZeroOrNegativeMeansForever() {
    assertThat(RetrySettings.maxRetriesOf(0)).isEmpty();
    assertThat(RetrySettings.maxRetriesOf(-1)).isEmpty();
    assertThat(RetrySettings.maxRetriesOf(null)).isEmpty();
    assertThat(RetrySettings.maxRetriesOf(5)).hasValue(5);
  }
}

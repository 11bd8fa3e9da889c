package io.ha4j.oslo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class OsloSettingsTest {

  @Test
  void defaultsAreOslos() {
    OsloSettings s = OsloSettings.builder().build();

    assertThat(s.executorThreadPoolSize()).isEqualTo(64);
    assertThat(s.notificationTopics()).containsExactly("notifications");
    assertThat(s.notificationDriver()).isEqualTo(OsloSettings.NotificationDriver.MESSAGINGV2);
    assertThat(s.amqp().controlExchange()).isEqualTo("openstack");
    assertThat(s.toBuilder().build().toString()).isEqualTo(s.toString());
  }

  @Test
  void rejectsBadValuesNamingTheOption() {
    assertThatThrownBy(() -> OsloSettings.builder().executorThreadPoolSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("executor_thread_pool_size");
    assertThatThrownBy(() -> OsloSettings.builder().notificationTopics(List.of("")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringNeverShowsThePassword() {
    AmqpSettings amqp =
        AmqpSettings.builder().hosts(new AmqpHost("h", 5672, "nova", "Pa55-secret")).build();

    assertThat(OsloSettings.of(amqp).toString()).doesNotContain("Pa55-secret");
  }

  @Test
  void targetChecksItsVersionAndCopiesOnChange() {
    Target t = Target.topic("compute");

    assertThat(t.withServer("h1").withVersion("5.1").withNamespace("ns"))
        .isEqualTo(new Target(null, "compute", "ns", "5.1", "h1", false));
    assertThat(t.server()).isNull();
    assertThatThrownBy(() -> t.withVersion("five"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("five");
  }
}

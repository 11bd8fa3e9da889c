package io.ha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.config.ConfigProblem.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Builders of the records with more than three components. */
class BuildersTest {

  @Test
  void retryIntervalZeroActsAsOneSecondButIsShownAsConfigured() {
    RetrySettings zero = RetrySettings.builder().interval(Duration.ZERO).build();
    RetrySettings three = RetrySettings.builder().interval(Duration.ofSeconds(3)).build();

    assertThat(zero.interval()).isZero();
    assertThat(zero.effectiveInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(three.effectiveInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(RetrySettings.ofDefaults().effectiveInterval())
        .isEqualTo(RetrySettings.DEFAULT_INTERVAL);
  }

  @Test
  void retrySettingsBuilderStartsAtOslosDefaultsAndIsReusable() {
    RetrySettings.Builder b = RetrySettings.builder();

    RetrySettings first = b.build();
    RetrySettings second = b.backoff(Duration.ofSeconds(5)).maxRetries(OptionalInt.of(3)).build();

    assertThat(first)
        .isEqualTo(
            new RetrySettings(
                RetrySettings.DEFAULT_INTERVAL,
                RetrySettings.DEFAULT_BACKOFF,
                RetrySettings.DEFAULT_INTERVAL_MAX,
                OptionalInt.empty()))
        .isEqualTo(RetrySettings.ofDefaults());
    assertThat(second.backoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(second.maxRetries()).hasValue(3);
    assertThat(second.toBuilder().build()).isEqualTo(second);
    assertThat(second.withMaxRetries(0).maxRetries()).isEmpty();
    assertThat(second.withMaxRetries(0).backoff()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void retrySettingsBuilderRejectsBadArgumentsLikeTheConstructor() {
    RetrySettings.Builder b = RetrySettings.builder();

    assertThatThrownBy(() -> b.interval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval")
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> b.intervalMax(Duration.ofSeconds(-2)))
        .hasMessageContaining("intervalMax");
    assertThatThrownBy(() -> b.backoff(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.maxRetries(OptionalInt.of(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRetries")
        .hasMessageContaining("was 0");
    assertThatThrownBy(
            () -> new RetrySettings(Duration.ZERO, Duration.ZERO, Duration.ZERO, OptionalInt.of(0)))
        .hasMessageContaining("maxRetries");
    assertThat(b.build()).isEqualTo(RetrySettings.ofDefaults());
  }

  @Test
  void dbRetrySettingsBuilderStartsAtOsloDbDefaultsAndChecksItsArguments() {
    DbRetrySettings.Builder b = DbRetrySettings.builder();

    DbRetrySettings s = b.incremental(false).maxInterval(Duration.ofSeconds(4)).build();

    assertThat(DbRetrySettings.ofDefaults())
        .isEqualTo(
            new DbRetrySettings(
                DbRetrySettings.DEFAULT_INTERVAL,
                DbRetrySettings.DEFAULT_INCREMENTAL,
                DbRetrySettings.DEFAULT_MAX_INTERVAL,
                OptionalInt.of(DbRetrySettings.DEFAULT_MAX_RETRIES)));
    assertThat(s.incremental()).isFalse();
    assertThat(s.maxInterval()).isEqualTo(Duration.ofSeconds(4));
    assertThat(s.interval()).isEqualTo(DbRetrySettings.DEFAULT_INTERVAL);
    assertThat(s.toBuilder().build()).isEqualTo(s);
    assertThatThrownBy(() -> b.maxRetries(OptionalInt.of(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> b.interval(Duration.ofMillis(-1))).hasMessageContaining("interval");
    assertThat(DbRetrySettings.maxRetriesOf(-1)).isEmpty();
    assertThat(DbRetrySettings.maxRetriesOf(0)).hasValue(0);
  }

  @Test
  void amqpHostBuilderDefaultsToOslosGuestOnLocalhostAndNeverShowsThePassword() {
    AmqpHost.Builder b = AmqpHost.builder();

    AmqpHost defaults = b.build();
    AmqpHost h = b.host("r1").port(5673).username("nova").password("Secret1").build();

    assertThat(defaults).isEqualTo(AmqpSettings.DEFAULT_HOST);
    assertThat(h).isEqualTo(new AmqpHost("r1", 5673, "nova", "Secret1"));
    assertThat(h.toBuilder().port(5674).build().port()).isEqualTo(5674);
    assertThat(h.toString()).doesNotContain("Secret1");
    assertThat(b.toString()).contains("nova").doesNotContain("Secret1");
    assertThatThrownBy(() -> b.port(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> b.host(" ")).hasMessageContaining("host");
    assertThatThrownBy(() -> b.password(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AmqpHost("h", 70000, "u", "p")).hasMessageContaining("70000");
  }

  @Test
  void configProblemBuilderNeedsSeverityLocationAndMessage() {
    ConfigProblem p =
        ConfigProblem.builder()
            .severity(Severity.ERROR)
            .location("a.conf:3")
            .section("galera")
            .key("fall_count")
            .value("0")
            .message("out of range")
            .build();

    assertThat(p)
        .isEqualTo(
            new ConfigProblem(
                Severity.ERROR, "a.conf:3", "galera", "fall_count", "0", "out of range"));
    assertThat(p.toBuilder().severity(Severity.WARNING).build().isError()).isFalse();
    assertThat(
            ConfigProblem.builder()
                .severity(Severity.WARNING)
                .location("env:X")
                .message("m")
                .build()
                .toString())
        .isEqualTo("warning: env:X: m");
    assertThatThrownBy(() -> ConfigProblem.builder().location("x").message("m").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("severity");
    assertThatThrownBy(() -> ConfigProblem.builder().key(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void configValueBuilderCopiesListsAndMasksSecrets() {
    List<String> hosts = new ArrayList<>(List.of("a", "b"));
    ConfigValue.Builder b =
        ConfigValue.builder().section("galera").name("nodes").value(hosts).source("default");

    ConfigValue v = b.build();
    hosts.add("c");
    ConfigValue secret =
        b.section("oslo_messaging_rabbit")
            .name("rabbit_password")
            .value("Pa55word")
            .secret(true)
            .build();

    assertThat(v.value()).isEqualTo(List.of("a", "b"));
    assertThat(v.toBuilder().build()).isEqualTo(v);
    assertThat(secret.displayValue()).isEqualTo("***");
    assertThat(secret.toString()).doesNotContain("Pa55word");
    assertThat(b.toString()).doesNotContain("Pa55word");
    assertThatThrownBy(() -> ConfigValue.builder().section("s").name("n").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("source");
    assertThatThrownBy(() -> new ConfigValue("s", null, 1L, "default", false))
        .isInstanceOf(NullPointerException.class);
  }
}

package io.ha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule on a value is checked by the settings builder alone; the loader reports what the
 * builder refuses at the option's file and line.
 */
class OneRulePlaceTest {

  @TempDir Path dir;

  private Path file(String... lines) throws IOException {
    Path p = dir.resolve("ha.conf");
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  private static ConfigException invalid(HaConfig.Loader loader) {
    try {
      loader.load();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("configuration was accepted");
  }

  @Test
  void aValueTheBuilderRefusesIsReportedAtItsFileAndLine() throws IOException {
    Path f =
        file(
            "[oslo_messaging_rabbit]",
            "heartbeat_rate = 0",
            "rabbit_retry_backoff = -2",
            "[galera]",
            "fall_count = 0");

    ConfigException e = invalid(HaConfig.loader().configFile(f));

    assertThat(e.errors())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "error: "
                + f
                + ":2: [oslo_messaging_rabbit] heartbeat_rate = '0': heartbeatRate out of range:"
                + " expected a value >= 1, was 0",
            "error: "
                + f
                + ":3: [oslo_messaging_rabbit] rabbit_retry_backoff = '-2': backoff out of"
                + " range: expected a value >= 0, was PT-2S");
  }

  @Test
  void galeraValuesTheBuilderRefusesAreReportedAtTheirLines() throws IOException {
    Path f =
        file(
            "[database]",
            "connection = mysql+pymysql://nova:Pa55word@db1/nova",
            "mysql_wsrep_sync_wait = 16",
            "db_retry_interval = -1",
            "[galera]",
            "fall_count = 0",
            "check_interval = 0.001",
            "failback_stable_time = -1");

    ConfigException e = invalid(HaConfig.loader().configFile(f));

    assertThat(e.errors())
        .extracting(p -> p.location() + " " + p.key())
        .containsExactly(
            f + ":3 mysql_wsrep_sync_wait",
            f + ":4 db_retry_interval",
            f + ":6 fall_count",
            f + ":7 check_interval",
            f + ":8 failback_stable_time");
    assertThat(e.errors().get(0).message()).contains("from 0 to 15");
    assertThat(e.errors().get(3).message()).contains("checkInterval").contains("PT0.01S");
    assertThat(e.getMessage()).doesNotContain("Pa55word");
  }

  @Test
  void anIntegerTooLargeForItsSettingIsAnErrorNotClamped() throws IOException {
    Path f = file("[oslo_messaging_rabbit]", "rabbit_qos_prefetch_count = 99999999999");

    ConfigException e = invalid(HaConfig.loader().configFile(f));

    assertThat(e.errors())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo(f + ":2");
              assertThat(p.message()).contains("out of range");
            });
  }

  @Test
  void sendPoolMinimumAboveItsSizeIsReportedOnceAtTheMinimumNamingTheSize() throws IOException {
    Path f = file("[DEFAULT]", "rpc_conn_pool_size = 4", "conn_pool_min_size = 5");

    ConfigException e = invalid(HaConfig.loader().configFile(f));

    assertThat(e.errors())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo(f + ":3");
              assertThat(p.key()).isEqualTo("conn_pool_min_size");
              assertThat(p.value()).isEqualTo("5");
              assertThat(p.message())
                  .startsWith("conflicts with rpc_conn_pool_size = 4 (" + f + ":2): ")
                  .contains("must not exceed");
            });
  }

  @Test
  void everyBrokenRuleBetweenSettingsIsReportedTogether() throws IOException {
    Path f =
        file(
            "[DEFAULT]",
            "conn_pool_min_size = 31",
            "[oslo_messaging_rabbit]",
            "rabbit_quorum_queue = true",
            "rabbit_ha_queues = yes");

    ConfigException e = invalid(HaConfig.loader().configFile(f));

    assertThat(e.errors())
        .extracting(p -> p.location() + " " + p.key())
        .containsExactly(f + ":2 conn_pool_min_size", f + ":4 rabbit_quorum_queue");
    assertThat(e.errors().get(0).message()).contains("rpc_conn_pool_size = 30 (default)");
    assertThat(e.errors().get(1).message())
        .contains("conflicts with rabbit_ha_queues = yes (" + f + ":5)");
  }

  @Test
  void aQueryParameterTheBuilderRefusesIsReportedAtTransportUrl() {
    ConfigException e =
        invalid(
            HaConfig.loader()
                .set("DEFAULT", "transport_url", "rabbit://u:Pa55word@h1/?heartbeat_rate=0"));

    assertThat(e.errors())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("builder");
              assertThat(p.section()).isEqualTo("DEFAULT");
              assertThat(p.key()).isEqualTo("transport_url");
              assertThat(p.value()).isEqualTo("0");
              assertThat(p.message()).contains("heartbeatRate");
            });
    assertThat(e.getMessage()).doesNotContain("Pa55word");
  }

  @Test
  void aDatabaseUrlWithoutUserIsReportedAtConnectionWithThePasswordMasked() throws IOException {
    Path f =
        file(
            "[database]",
            "connection = mysql+pymysql://:Pa55word@db1/nova",
            "[galera]",
            "nodes = db1:3306:-1, db2:3306:-2");

    ConfigException e = invalid(HaConfig.loader().configFile(f));

    assertThat(e.errors())
        .extracting(p -> p.location() + " " + p.key())
        .containsExactly(f + ":2 connection", f + ":4 nodes");
    assertThat(e.errors().get(0).message()).contains("no database user name");
    assertThat(e.errors().get(1).message()).contains("negative priority");
    assertThat(e.getMessage()).doesNotContain("Pa55word");
    assertThat(e.problems().toString()).doesNotContain("Pa55word");
  }

  @Test
  void aRetryIntervalOfZeroLoadsAndActsAsOneSecond() {
    HaConfig c =
        HaConfig.loader().set("oslo_messaging_rabbit", "rabbit_retry_interval", "0").load();

    assertThat(c.amqp().retry().interval()).isZero();
    assertThat(c.amqp().retry().effectiveInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void buildListsEveryBrokenRuleWithTheSettingsInvolved() {
    AmqpSettings.Builder b =
        AmqpSettings.builder()
            .quorumQueue(true)
            .haQueues(true)
            .rpcConnPoolSize(1)
            .connPoolMinSize(2);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .isInstanceOfSatisfying(
            InvalidSettingsException.class,
            x ->
                assertThat(x.violations())
                    .extracting(InvalidSettingsException.Violation::settings)
                    .containsExactly(
                        List.of("quorumQueue", "haQueues"),
                        List.of("connPoolMinSize", "rpcConnPoolSize")))
        .hasMessageContaining("quorumQueue and haQueues")
        .hasMessageContaining("connPoolMinSize (2) must not exceed rpcConnPoolSize (1)");
    assertThat(b.haQueues(false).connPoolMinSize(1).build().quorumQueue()).isTrue();
  }

  @Test
  void builderChecksTheBoundsTheOptionTableNoLongerRepeats() {
    assertThatThrownBy(() -> AmqpSettings.builder().connectTimeout(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> GaleraSettings.builder().checkTimeout(Duration.ofMillis(9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checkTimeout");
    assertThatThrownBy(() -> AmqpSettings.builder().reconnectDelay(Duration.ofMillis(-1)))
        .hasMessageContaining("from 0 to 4.5");
    assertThat(
            AmqpSettings.builder()
                .connectTimeout(AmqpSettings.MIN_TIMEOUT)
                .build()
                .connectTimeout())
        .isEqualTo(Duration.ofMillis(1));
  }
}

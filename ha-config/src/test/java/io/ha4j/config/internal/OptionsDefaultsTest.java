package io.ha4j.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.RetrySettings;
import io.ha4j.config.TransportUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The option table's defaults are the settings' defaults, option by option. */
class OptionsDefaultsTest {

  /** Options whose default is no setting: oslo's {@code <None>} or empty, resolved elsewhere. */
  private static final Set<String> UNMAPPED =
      Set.of(
          "oslo_messaging_rabbit.rabbit_hosts",
          "database.connection",
          "database.pool_timeout",
          "database.mysql_wsrep_sync_wait",
          "database.connection_parameters",
          "galera.nodes");

  /** Options that steer the loader, not a setting, with their defaults. */
  private static final Map<String, Object> LOADER_OPTIONS = Map.of("ha4j.strict", false);

  @Test
  void everyOptionThatMapsToASettingHasTheSettingsDefault() {
    Map<String, Object> expected = settingsDefaults();

    List<String> mismatches = new ArrayList<>();
    List<String> unmapped = new ArrayList<>();
    for (OptionSpec spec : Options.all()) {
      String name = spec.qualifiedName();
      if (LOADER_OPTIONS.containsKey(name)) {
        if (!LOADER_OPTIONS.get(name).equals(spec.defaultValue())) {
          mismatches.add(name + ": option " + spec.defaultValue());
        }
        continue;
      }
      if (!expected.containsKey(name)) {
        if (!UNMAPPED.contains(name)) {
          unmapped.add(name);
        }
        continue;
      }
      if (!java.util.Objects.equals(spec.defaultValue(), expected.get(name))) {
        mismatches.add(
            name + ": option " + spec.defaultValue() + ", settings " + expected.get(name));
      }
    }

    assertThat(unmapped).as("options with no counterpart in the settings").isEmpty();
    assertThat(mismatches).isEmpty();
    assertThat(expected.keySet())
        .as("every mapped name is an option")
        .allMatch(n -> Options.all().stream().anyMatch(s -> s.qualifiedName().equals(n)));
  }

  @Test
  void optionsWithoutASettingDefaultToNothing() {
    for (String name : UNMAPPED) {
      OptionSpec spec =
          Options.all().stream()
              .filter(s -> s.qualifiedName().equals(name))
              .findFirst()
              .orElseThrow();
      Object def = spec.defaultValue();
      assertThat(def == null || "".equals(def) || List.of().equals(def)).as(name).isTrue();
    }
    GaleraSettings g =
        GaleraSettings.builder().nodes(new GaleraNode("db", 3306, 0)).username("u").build();
    assertThat(g.poolTimeout()).isEqualTo(GaleraSettings.DEFAULT_POOL_TIMEOUT);
    assertThat(g.wsrepSyncWait()).isEmpty();
    assertThat(g.connectionParameters()).isEmpty();
  }

  /** Each option's default as the settings' defaults say, in the option's type. */
  private static Map<String, Object> settingsDefaults() {
    AmqpSettings a = AmqpSettings.ofDefaults();
    RetrySettings r = RetrySettings.ofDefaults();
    DbRetrySettings d = DbRetrySettings.ofDefaults();
    GaleraSettings g =
        GaleraSettings.builder().nodes(new GaleraNode("db", 3306, 0)).username("u").build();
    AmqpHost h = a.hosts().get(0);
    TransportUrl defaultUrl = TransportUrl.parse(AmqpSettings.DEFAULT_TRANSPORT_URL);
    assertThat(defaultUrl.hosts()).as("the default URL names no host").isEmpty();
    assertThat(a.retry()).isEqualTo(r);
    assertThat(g.retry()).isEqualTo(d);

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("DEFAULT.transport_url", AmqpSettings.DEFAULT_TRANSPORT_URL);
    m.put("DEFAULT.control_exchange", a.controlExchange());
    m.put("DEFAULT.rpc_response_timeout", secs(a.rpcResponseTimeout()));
    m.put("DEFAULT.rpc_conn_pool_size", (long) a.rpcConnPoolSize());
    m.put("DEFAULT.conn_pool_min_size", (long) a.connPoolMinSize());
    m.put("DEFAULT.conn_pool_ttl", secs(a.connPoolTtl()));
    String rabbit = "oslo_messaging_rabbit.";
    m.put(rabbit + "amqp_durable_queues", a.durableQueues());
    m.put(rabbit + "amqp_auto_delete", a.autoDelete());
    m.put(rabbit + "ssl", a.ssl());
    m.put(rabbit + "ssl_version", a.sslVersion());
    m.put(rabbit + "ssl_key_file", a.sslKeyFile());
    m.put(rabbit + "ssl_cert_file", a.sslCertFile());
    m.put(rabbit + "ssl_ca_file", a.sslCaFile());
    m.put(rabbit + "ssl_enforce_hostname_verification", a.sslEnforceHostnameVerification());
    m.put(rabbit + "kombu_reconnect_delay", fsecs(a.reconnectDelay()));
    m.put(rabbit + "kombu_missing_consumer_retry_timeout", secs(a.missingConsumerRetryTimeout()));
    m.put(
        rabbit + "kombu_failover_strategy",
        a.failoverStrategy().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    m.put(rabbit + "rabbit_login_method", a.loginMethod().name());
    m.put(rabbit + "rabbit_retry_interval", secs(r.interval()));
    m.put(rabbit + "rabbit_retry_backoff", secs(r.backoff()));
    m.put(rabbit + "rabbit_interval_max", secs(r.intervalMax()));
    m.put(rabbit + "rabbit_ha_queues", a.haQueues());
    m.put(rabbit + "rabbit_quorum_queue", a.quorumQueue());
    m.put(rabbit + "rabbit_quorum_delivery_limit", (long) a.quorumDeliveryLimit());
    m.put(rabbit + "rabbit_quroum_max_memory_length", a.quorumMaxMemoryLength());
    m.put(rabbit + "rabbit_quroum_max_memory_bytes", a.quorumMaxMemoryBytes());
    m.put(rabbit + "rabbit_transient_queues_ttl", secs(a.transientQueuesTtl()));
    m.put(rabbit + "rabbit_qos_prefetch_count", (long) a.qosPrefetchCount());
    m.put(rabbit + "heartbeat_timeout_threshold", secs(a.heartbeatTimeoutThreshold()));
    m.put(rabbit + "heartbeat_rate", (long) a.heartbeatRate());
    m.put(rabbit + "direct_mandatory_flag", a.directMandatoryFlag());
    m.put(rabbit + "enable_cancel_on_failover", a.enableCancelOnFailover());
    m.put(rabbit + "rabbit_host", h.host());
    m.put(rabbit + "rabbit_port", (long) h.port());
    m.put(rabbit + "rabbit_userid", h.username());
    m.put(rabbit + "rabbit_password", h.password());
    m.put(rabbit + "rabbit_virtual_host", a.virtualHost());
    // Legacy 0 means forever, which is what the default retry settings do.
    assertThat(RetrySettings.maxRetriesOf(0)).isEqualTo(r.maxRetries());
    m.put(rabbit + "rabbit_max_retries", 0L);
    String ha4j = "ha4j_amqp.";
    assertThat(r.maxRetries()).as("unset max_retries = forever").isEmpty();
    m.put(ha4j + "max_retries", null);
    m.put(ha4j + "host_order", a.hostOrder().name().toLowerCase(Locale.ROOT));
    m.put(ha4j + "connect_timeout", fsecs(a.connectTimeout()));
    m.put(ha4j + "handshake_timeout", fsecs(a.handshakeTimeout()));
    String db = "database.";
    m.put(db + "max_pool_size", (long) g.maxPoolSize());
    m.put(db + "max_overflow", (long) g.maxOverflow());
    m.put(db + "connection_recycle_time", secs(g.connectionRecycleTime()));
    m.put(db + "max_retries", (long) g.maxRetries().orElseThrow());
    m.put(db + "retry_interval", secs(g.retryInterval()));
    m.put(db + "mysql_sql_mode", g.sqlMode());
    m.put(db + "db_max_retries", (long) d.maxRetries().orElseThrow());
    m.put(db + "db_retry_interval", secs(d.interval()));
    m.put(db + "db_inc_retry_interval", d.incremental());
    m.put(db + "db_max_retry_interval", secs(d.maxInterval()));
    String galera = "galera.";
    m.put(galera + "check_interval", fsecs(g.checkInterval()));
    m.put(galera + "check_timeout", fsecs(g.checkTimeout()));
    m.put(galera + "fall_count", (long) g.fallCount());
    m.put(galera + "rise_count", (long) g.riseCount());
    m.put(galera + "failback", g.failback().mode().name().toLowerCase(Locale.ROOT));
    m.put(galera + "failback_stable_time", fsecs(GaleraSettings.DEFAULT_FAILBACK_STABLE_TIME));
    m.put(galera + "drain_timeout", fsecs(g.drainTimeout()));
    m.put(galera + "available_when_donor", g.availableWhenDonor());
    m.put(galera + "reader_routing", g.readerRouting());
    m.put(galera + "commit_markers", g.commitMarkers());
    m.put(galera + "commit_marker_table", g.commitMarkerTable());
    return m;
  }

  private static Long secs(Duration d) {
    assertThat(d.getNano()).as("whole seconds: %s", d).isZero();
    return d.getSeconds();
  }

  private static Double fsecs(Duration d) {
    return d.toNanos() / 1e9;
  }
}

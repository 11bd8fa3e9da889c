package io.ha4j.config.internal;

import static io.ha4j.config.internal.SettingsFeed.bool;
import static io.ha4j.config.internal.SettingsFeed.duration;
import static io.ha4j.config.internal.SettingsFeed.integer;
import static io.ha4j.config.internal.SettingsFeed.str;

import io.ha4j.config.AmqpSettings;
import io.ha4j.config.InvalidSettingsException;
import io.ha4j.config.RetrySettings;
import io.ha4j.config.internal.Resolver.Value;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Builds {@link AmqpSettings} from the effective values: which option feeds which builder setting,
 * and how oslo's types (seconds, choices, legacy counts) become the builder's. Settings that do not
 * build are reported as problems at the options that fed them, and the defaults stand in, so that
 * one run still lists every other problem.
 */
final class AmqpAssembler {

  private final EffectiveValues values;
  private final TransportUrlOptions transportUrl;
  private final ProblemList problems;

  AmqpAssembler(EffectiveValues values, TransportUrlOptions transportUrl, ProblemList problems) {
    this.values = values;
    this.transportUrl = transportUrl;
    this.problems = problems;
  }

  /** The settings, or the defaults when they do not build (the reasons are reported). */
  AmqpSettings build() {
    AmqpSettings.Builder b = AmqpSettings.builder();
    SettingsFeed feed = new SettingsFeed(values, problems);
    Value url = values.get(Options.DEFAULT, "transport_url");
    try {
      b.hosts(transportUrl.hosts()).virtualHost(transportUrl.virtualHost());
    } catch (IllegalArgumentException e) {
      feed.invalid(url, e.getMessage());
    }
    String rabbit = Options.RABBIT;
    String amqp = Options.HA4J_AMQP;
    String dflt = Options.DEFAULT;
    feed.apply("hostOrder", amqp, "host_order", v -> b.hostOrder(hostOrder(v)));
    feed.apply(
        "failoverStrategy",
        rabbit,
        "kombu_failover_strategy",
        v -> b.failoverStrategy(failoverStrategy(v)));
    RetrySettings.Builder retry = RetrySettings.builder().maxRetries(maxRetries());
    feed.apply("interval", rabbit, "rabbit_retry_interval", v -> retry.interval(duration(v)));
    feed.apply("backoff", rabbit, "rabbit_retry_backoff", v -> retry.backoff(duration(v)));
    feed.apply("intervalMax", rabbit, "rabbit_interval_max", v -> retry.intervalMax(duration(v)));
    b.retry(retry.build());
    feed.apply("connectTimeout", amqp, "connect_timeout", v -> b.connectTimeout(duration(v)));
    feed.apply("handshakeTimeout", amqp, "handshake_timeout", v -> b.handshakeTimeout(duration(v)));
    feed.apply(
        "reconnectDelay", rabbit, "kombu_reconnect_delay", v -> b.reconnectDelay(duration(v)));
    feed.apply(
        "missingConsumerRetryTimeout",
        rabbit,
        "kombu_missing_consumer_retry_timeout",
        v -> b.missingConsumerRetryTimeout(duration(v)));
    feed.apply(
        "heartbeatTimeoutThreshold",
        rabbit,
        "heartbeat_timeout_threshold",
        v -> b.heartbeatTimeoutThreshold(duration(v)));
    feed.apply("heartbeatRate", rabbit, "heartbeat_rate", v -> b.heartbeatRate(integer(v)));
    feed.apply("durableQueues", rabbit, "amqp_durable_queues", v -> b.durableQueues(bool(v)));
    feed.apply("autoDelete", rabbit, "amqp_auto_delete", v -> b.autoDelete(bool(v)));
    feed.apply("haQueues", rabbit, "rabbit_ha_queues", v -> b.haQueues(bool(v)));
    feed.apply("quorumQueue", rabbit, "rabbit_quorum_queue", v -> b.quorumQueue(bool(v)));
    feed.apply(
        "quorumDeliveryLimit",
        rabbit,
        "rabbit_quorum_delivery_limit",
        v -> b.quorumDeliveryLimit(integer(v)));
    feed.apply(
        "quorumMaxMemoryLength",
        rabbit,
        "rabbit_quroum_max_memory_length",
        v -> b.quorumMaxMemoryLength((Long) v.value()));
    feed.apply(
        "quorumMaxMemoryBytes",
        rabbit,
        "rabbit_quroum_max_memory_bytes",
        v -> b.quorumMaxMemoryBytes((Long) v.value()));
    feed.apply(
        "transientQueuesTtl",
        rabbit,
        "rabbit_transient_queues_ttl",
        v -> b.transientQueuesTtl(duration(v)));
    feed.apply(
        "qosPrefetchCount",
        rabbit,
        "rabbit_qos_prefetch_count",
        v -> b.qosPrefetchCount(integer(v)));
    feed.apply(
        "loginMethod",
        rabbit,
        "rabbit_login_method",
        v -> b.loginMethod(AmqpSettings.LoginMethod.valueOf(str(v))));
    feed.apply("ssl", rabbit, "ssl", v -> b.ssl(bool(v)));
    feed.apply("sslVersion", rabbit, "ssl_version", v -> b.sslVersion(str(v)));
    feed.apply("sslCaFile", rabbit, "ssl_ca_file", v -> b.sslCaFile(str(v)));
    feed.apply("sslCertFile", rabbit, "ssl_cert_file", v -> b.sslCertFile(str(v)));
    feed.apply("sslKeyFile", rabbit, "ssl_key_file", v -> b.sslKeyFile(str(v)));
    feed.apply(
        "sslEnforceHostnameVerification",
        rabbit,
        "ssl_enforce_hostname_verification",
        v -> b.sslEnforceHostnameVerification(bool(v)));
    feed.apply(
        "enableCancelOnFailover",
        rabbit,
        "enable_cancel_on_failover",
        v -> b.enableCancelOnFailover(bool(v)));
    feed.apply(
        "directMandatoryFlag",
        rabbit,
        "direct_mandatory_flag",
        v -> b.directMandatoryFlag(bool(v)));
    feed.apply("controlExchange", dflt, "control_exchange", v -> b.controlExchange(str(v)));
    feed.apply(
        "rpcResponseTimeout", dflt, "rpc_response_timeout", v -> b.rpcResponseTimeout(duration(v)));
    feed.apply("rpcConnPoolSize", dflt, "rpc_conn_pool_size", v -> b.rpcConnPoolSize(integer(v)));
    feed.apply("connPoolMinSize", dflt, "conn_pool_min_size", v -> b.connPoolMinSize(integer(v)));
    feed.apply("connPoolTtl", dflt, "conn_pool_ttl", v -> b.connPoolTtl(duration(v)));
    try {
      return b.build();
    } catch (InvalidSettingsException e) {
      feed.reportInvalid(e, url);
      return AmqpSettings.ofDefaults();
    }
  }

  /** [ha4j_amqp] max_retries, else the legacy rabbit_max_retries, whichever ranks higher. */
  private OptionalInt maxRetries() {
    Value modern = values.get(Options.HA4J_AMQP, "max_retries");
    Value legacy = values.get(Options.RABBIT, "rabbit_max_retries");
    Value v = modern.rank() >= legacy.rank() && modern.value() != null ? modern : legacy;
    Object n = v.value();
    return RetrySettings.maxRetriesOf(n == null ? null : ((Long) n).intValue());
  }

  private static AmqpSettings.HostOrder hostOrder(Value v) {
    return AmqpSettings.HostOrder.valueOf(str(v).toUpperCase(Locale.ROOT));
  }

  private static AmqpSettings.FailoverStrategy failoverStrategy(Value v) {
    return AmqpSettings.FailoverStrategy.valueOf(str(v).toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}

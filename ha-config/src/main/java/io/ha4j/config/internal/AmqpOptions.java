package io.ha4j.config.internal;

import static io.ha4j.config.internal.OptionRows.b;
import static io.ha4j.config.internal.OptionRows.bool;
import static io.ha4j.config.internal.OptionRows.fsecs;
import static io.ha4j.config.internal.OptionRows.integer;
import static io.ha4j.config.internal.OptionRows.secs;
import static io.ha4j.config.internal.OptionRows.str;
import static io.ha4j.config.internal.OptionRows.text;
import static io.ha4j.config.internal.Options.DEFAULT;
import static io.ha4j.config.internal.Options.HA4J_AMQP;
import static io.ha4j.config.internal.Options.RABBIT;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.RetrySettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The messaging rows of the option table: oslo.messaging's {@code [DEFAULT]} options, {@code
 * [oslo_messaging_rabbit]} with the legacy options oslo.messaging 14 removed, and {@code
 * [ha4j_amqp]}. Their defaults come from {@link AmqpSettings}, {@link RetrySettings} and {@link
 * AmqpHost}. {@link Options} indexes these rows with the database ones.
 */
final class AmqpOptions {

  private AmqpOptions() {}

  /** The rows, in the order of {@code ha4j config} output. */
  static List<OptionSpec> rows() {
    List<OptionSpec> rows = new ArrayList<>();
    // [DEFAULT], oslo.messaging
    rows.add(
        str(
            DEFAULT,
            "transport_url",
            AmqpSettings.DEFAULT_TRANSPORT_URL,
            true,
            "where the RabbitMQ nodes are"));
    rows.add(
        str(
            DEFAULT,
            "control_exchange",
            AmqpSettings.DEFAULT_CONTROL_EXCHANGE,
            false,
            "RPC and notification exchange"));
    rows.add(
        integer(
            DEFAULT,
            "rpc_response_timeout",
            secs(AmqpSettings.DEFAULT_RPC_RESPONSE_TIMEOUT),
            "seconds to wait for an RPC reply"));
    rows.add(
        integer(
            DEFAULT,
            "rpc_conn_pool_size",
            AmqpSettings.DEFAULT_RPC_CONN_POOL_SIZE,
            "size of the send-connection pool"));
    rows.add(
        integer(
            DEFAULT,
            "conn_pool_min_size",
            AmqpSettings.DEFAULT_CONN_POOL_MIN_SIZE,
            "connections the pool keeps"));
    rows.add(
        integer(
            DEFAULT,
            "conn_pool_ttl",
            secs(AmqpSettings.DEFAULT_CONN_POOL_TTL),
            "seconds an idle pooled connection lives"));
    // [oslo_messaging_rabbit]
    rows.add(
        bool(
                RABBIT,
                "amqp_durable_queues",
                AmqpSettings.DEFAULT_DURABLE_QUEUES,
                "durable exchanges and topic queues")
            .alias(RABBIT, "rabbit_durable_queues")
            .spec());
    rows.add(
        bool(
                RABBIT,
                "amqp_auto_delete",
                AmqpSettings.DEFAULT_AUTO_DELETE,
                "auto-delete exchanges and queues")
            .spec());
    rows.add(
        bool(RABBIT, "ssl", AmqpSettings.DEFAULT_SSL, "connect with TLS")
            .alias(RABBIT, "rabbit_use_ssl")
            .spec());
    rows.add(
        b(
                RABBIT,
                "ssl_version",
                OptionType.STRING,
                AmqpSettings.DEFAULT_SSL_VERSION,
                "TLS protocol version (empty: the JVM's)")
            .alias(RABBIT, "kombu_ssl_version")
            .spec());
    rows.add(
        b(
                RABBIT,
                "ssl_key_file",
                OptionType.STRING,
                AmqpSettings.DEFAULT_SSL_KEY_FILE,
                "client private key (PEM)")
            .alias(RABBIT, "kombu_ssl_keyfile")
            .spec());
    rows.add(
        b(
                RABBIT,
                "ssl_cert_file",
                OptionType.STRING,
                AmqpSettings.DEFAULT_SSL_CERT_FILE,
                "client certificate (PEM)")
            .alias(RABBIT, "kombu_ssl_certfile")
            .spec());
    rows.add(
        b(
                RABBIT,
                "ssl_ca_file",
                OptionType.STRING,
                AmqpSettings.DEFAULT_SSL_CA_FILE,
                "CA certificates to trust (PEM)")
            .alias(RABBIT, "kombu_ssl_ca_certs")
            .spec());
    rows.add(
        bool(
                RABBIT,
                "ssl_enforce_hostname_verification",
                AmqpSettings.DEFAULT_SSL_ENFORCE_HOSTNAME_VERIFICATION,
                "verify the server's host name")
            .spec());
    rows.add(
        b(
                RABBIT,
                "kombu_reconnect_delay",
                OptionType.FLOAT,
                fsecs(AmqpSettings.DEFAULT_RECONNECT_DELAY),
                "pause before reconnecting")
            .spec());
    rows.add(
        b(
                RABBIT,
                "kombu_missing_consumer_retry_timeout",
                OptionType.INTEGER,
                secs(AmqpSettings.DEFAULT_MISSING_CONSUMER_RETRY_TIMEOUT),
                "seconds to retry a reply whose queue is missing")
            .alias(RABBIT, "kombu_reconnect_timeout")
            .spec());
    rows.add(
        b(
                RABBIT,
                "kombu_failover_strategy",
                OptionType.STRING,
                text(AmqpSettings.DEFAULT_FAILOVER_STRATEGY),
                "next host after a failure")
            .choices("round-robin", "shuffle")
            .spec());
    rows.add(
        b(
                RABBIT,
                "rabbit_login_method",
                OptionType.STRING,
                AmqpSettings.DEFAULT_LOGIN_METHOD.name(),
                "SASL mechanism")
            .choices("PLAIN", "AMQPLAIN", "EXTERNAL")
            .spec());
    rows.add(
        integer(
            RABBIT,
            "rabbit_retry_interval",
            secs(RetrySettings.DEFAULT_INTERVAL),
            "first sleep after a failed cycle"));
    rows.add(
        integer(
            RABBIT,
            "rabbit_retry_backoff",
            secs(RetrySettings.DEFAULT_BACKOFF),
            "added to the sleep every cycle"));
    rows.add(
        integer(
            RABBIT,
            "rabbit_interval_max",
            secs(RetrySettings.DEFAULT_INTERVAL_MAX),
            "cap of the sleep between cycles"));
    rows.add(
        bool(
                RABBIT,
                "rabbit_ha_queues",
                AmqpSettings.DEFAULT_HA_QUEUES,
                "x-ha-policy: all (legacy mirroring)")
            .spec());
    rows.add(
        bool(
                RABBIT,
                "rabbit_quorum_queue",
                AmqpSettings.DEFAULT_QUORUM_QUEUE,
                "quorum queues (durable)")
            .spec());
    rows.add(
        integer(
            RABBIT,
            "rabbit_quorum_delivery_limit",
            AmqpSettings.DEFAULT_QUORUM_DELIVERY_LIMIT,
            "x-delivery-limit if > 0"));
    rows.add(
        b(
                RABBIT,
                "rabbit_quroum_max_memory_length",
                OptionType.INTEGER,
                AmqpSettings.DEFAULT_QUORUM_MAX_MEMORY_LENGTH,
                "x-max-in-memory-length if > 0")
            .alias(RABBIT, "rabbit_quorum_max_memory_length", false)
            .spec());
    rows.add(
        b(
                RABBIT,
                "rabbit_quroum_max_memory_bytes",
                OptionType.INTEGER,
                AmqpSettings.DEFAULT_QUORUM_MAX_MEMORY_BYTES,
                "x-max-in-memory-bytes if > 0")
            .alias(RABBIT, "rabbit_quorum_max_memory_bytes", false)
            .spec());
    rows.add(
        integer(
            RABBIT,
            "rabbit_transient_queues_ttl",
            secs(AmqpSettings.DEFAULT_TRANSIENT_QUEUES_TTL),
            "x-expires of reply queues"));
    rows.add(
        integer(
            RABBIT,
            "rabbit_qos_prefetch_count",
            AmqpSettings.DEFAULT_QOS_PREFETCH_COUNT,
            "consumer prefetch; 0 = all"));
    rows.add(
        integer(
            RABBIT,
            "heartbeat_timeout_threshold",
            secs(AmqpSettings.DEFAULT_HEARTBEAT_TIMEOUT_THRESHOLD),
            "silence before a peer is dead"));
    rows.add(
        integer(
            RABBIT,
            "heartbeat_rate",
            AmqpSettings.DEFAULT_HEARTBEAT_RATE,
            "heartbeat checks per threshold"));
    rows.add(
        bool(
                RABBIT,
                "direct_mandatory_flag",
                AmqpSettings.DEFAULT_DIRECT_MANDATORY_FLAG,
                "mandatory flag on RPC replies")
            .spec());
    rows.add(
        bool(
                RABBIT,
                "enable_cancel_on_failover",
                AmqpSettings.DEFAULT_ENABLE_CANCEL_ON_FAILOVER,
                "x-cancel-on-ha-failover on consumers")
            .spec());
    // Deprecated [oslo_messaging_rabbit] options that oslo.messaging 14 no longer has.
    rows.add(legacy("rabbit_hosts", OptionType.LIST, List.of(), false));
    rows.add(legacy("rabbit_host", OptionType.STRING, AmqpHost.DEFAULT_HOST_NAME, false));
    rows.add(
        b(
                RABBIT,
                "rabbit_port",
                OptionType.INTEGER,
                (long) AmqpHost.DEFAULT_PORT,
                "legacy: default port")
            .range(UrlParts.MIN_PORT, UrlParts.MAX_PORT)
            .spec());
    rows.add(legacy("rabbit_userid", OptionType.STRING, AmqpHost.DEFAULT_USERNAME, false));
    rows.add(legacy("rabbit_password", OptionType.STRING, AmqpHost.DEFAULT_PASSWORD, true));
    rows.add(
        legacy("rabbit_virtual_host", OptionType.STRING, AmqpSettings.DEFAULT_VIRTUAL_HOST, false));
    rows.add(
        b(RABBIT, "rabbit_max_retries", OptionType.INTEGER, 0L, "legacy: 0 = forever")
            .range(0, null)
            .spec());
    // [ha4j_amqp]: what oslo passes per call or leaves to kombu.
    rows.add(
        b(
                HA4J_AMQP,
                "max_retries",
                OptionType.INTEGER,
                null,
                "connection retries; unset, 0 or -1 = forever")
            .range(-1, null)
            .spec());
    rows.add(
        b(
                HA4J_AMQP,
                "host_order",
                OptionType.STRING,
                text(AmqpSettings.DEFAULT_HOST_ORDER),
                "shuffle the hosts once or not")
            .choices("shuffle", "configured")
            .spec());
    rows.add(
        b(
                HA4J_AMQP,
                "connect_timeout",
                OptionType.FLOAT,
                fsecs(AmqpSettings.DEFAULT_CONNECT_TIMEOUT),
                "seconds per TCP connect")
            .spec());
    rows.add(
        b(
                HA4J_AMQP,
                "handshake_timeout",
                OptionType.FLOAT,
                fsecs(AmqpSettings.DEFAULT_HANDSHAKE_TIMEOUT),
                "seconds per AMQP handshake")
            .spec());
    return rows;
  }

  private static OptionSpec legacy(String name, OptionType type, Object def, boolean secret) {
    return b(RABBIT, name, type, def, "legacy: use transport_url").secret(secret).spec();
  }
}

package io.ha4j.config.internal;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.RetrySettings;
import io.ha4j.config.internal.OptionSpec.Alias;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every option ha4j reads, with oslo.messaging 14.0.3 / oslo.db defaults. The order here is the
 * order of {@code ha4j config} output. Defaults are taken from the settings classes' {@code
 * DEFAULT_*} constants (the one place where each is written), converted to the option's type.
 *
 * <p>Bounds: an option that feeds a settings builder has none here; the builder checks the value
 * and the resolver reports its message at the option's location. Only options whose value is not
 * handed to a builder as it is keep bounds: the retry counts whose {@code -1} or {@code 0} means
 * "forever" before conversion, and the legacy {@code rabbit_port}, a default port that is checked
 * even when {@code transport_url} makes it unused. Choices are the conversion from text to an enum,
 * so they live here too.
 */
public final class Options {

  public static final String DEFAULT = "DEFAULT";
  public static final String RABBIT = "oslo_messaging_rabbit";
  public static final String HA4J_AMQP = "ha4j_amqp";
  public static final String DATABASE = "database";
  public static final String GALERA = "galera";

  /** Sections whose unknown keys earn a warning (DEFAULT only for near misses). */
  public static final List<String> SECTIONS = List.of(DEFAULT, RABBIT, HA4J_AMQP, DATABASE, GALERA);

  private static final List<OptionSpec> ALL;
  private static final Map<String, OptionSpec> BY_NAME = new LinkedHashMap<>();
  private static final Map<String, OptionSpec> BY_ALIAS = new LinkedHashMap<>();

  static {
    List<OptionSpec> l = new ArrayList<>();
    // [DEFAULT], oslo.messaging
    l.add(
        str(
            DEFAULT,
            "transport_url",
            AmqpSettings.DEFAULT_TRANSPORT_URL,
            true,
            "where the RabbitMQ nodes are"));
    l.add(
        str(
            DEFAULT,
            "control_exchange",
            AmqpSettings.DEFAULT_CONTROL_EXCHANGE,
            false,
            "RPC and notification exchange"));
    l.add(
        integer(
            DEFAULT,
            "rpc_response_timeout",
            secs(AmqpSettings.DEFAULT_RPC_RESPONSE_TIMEOUT),
            "seconds to wait for an RPC reply"));
    l.add(
        integer(
            DEFAULT,
            "rpc_conn_pool_size",
            AmqpSettings.DEFAULT_RPC_CONN_POOL_SIZE,
            "size of the send-connection pool"));
    l.add(
        integer(
            DEFAULT,
            "conn_pool_min_size",
            AmqpSettings.DEFAULT_CONN_POOL_MIN_SIZE,
            "connections the pool keeps"));
    l.add(
        integer(
            DEFAULT,
            "conn_pool_ttl",
            secs(AmqpSettings.DEFAULT_CONN_POOL_TTL),
            "seconds an idle pooled connection lives"));
    // [oslo_messaging_rabbit]
    l.add(
        bool(
                RABBIT,
                "amqp_durable_queues",
                AmqpSettings.DEFAULT_DURABLE_QUEUES,
                "durable exchanges and topic queues")
            .alias(RABBIT, "rabbit_durable_queues")
            .spec());
    l.add(
        bool(
                RABBIT,
                "amqp_auto_delete",
                AmqpSettings.DEFAULT_AUTO_DELETE,
                "auto-delete exchanges and queues")
            .spec());
    l.add(
        bool(RABBIT, "ssl", AmqpSettings.DEFAULT_SSL, "connect with TLS")
            .alias(RABBIT, "rabbit_use_ssl")
            .spec());
    l.add(
        b(
                RABBIT,
                "ssl_version",
                OptionType.STRING,
                AmqpSettings.DEFAULT_SSL_VERSION,
                "TLS protocol version (empty: the JVM's)")
            .alias(RABBIT, "kombu_ssl_version")
            .spec());
    l.add(
        b(
                RABBIT,
                "ssl_key_file",
                OptionType.STRING,
                AmqpSettings.DEFAULT_SSL_KEY_FILE,
                "client private key (PEM)")
            .alias(RABBIT, "kombu_ssl_keyfile")
            .spec());
    l.add(
        b(
                RABBIT,
                "ssl_cert_file",
                OptionType.STRING,
                AmqpSettings.DEFAULT_SSL_CERT_FILE,
                "client certificate (PEM)")
            .alias(RABBIT, "kombu_ssl_certfile")
            .spec());
    l.add(
        b(
                RABBIT,
                "ssl_ca_file",
                OptionType.STRING,
                AmqpSettings.DEFAULT_SSL_CA_FILE,
                "CA certificates to trust (PEM)")
            .alias(RABBIT, "kombu_ssl_ca_certs")
            .spec());
    l.add(
        bool(
                RABBIT,
                "ssl_enforce_hostname_verification",
                AmqpSettings.DEFAULT_SSL_ENFORCE_HOSTNAME_VERIFICATION,
                "verify the server's host name")
            .spec());
    l.add(
        b(
                RABBIT,
                "kombu_reconnect_delay",
                OptionType.FLOAT,
                fsecs(AmqpSettings.DEFAULT_RECONNECT_DELAY),
                "pause before reconnecting")
            .spec());
    l.add(
        b(
                RABBIT,
                "kombu_missing_consumer_retry_timeout",
                OptionType.INTEGER,
                secs(AmqpSettings.DEFAULT_MISSING_CONSUMER_RETRY_TIMEOUT),
                "seconds to retry a reply whose queue is missing")
            .alias(RABBIT, "kombu_reconnect_timeout")
            .spec());
    l.add(
        b(
                RABBIT,
                "kombu_failover_strategy",
                OptionType.STRING,
                text(AmqpSettings.DEFAULT_FAILOVER_STRATEGY),
                "next host after a failure")
            .choices("round-robin", "shuffle")
            .spec());
    l.add(
        b(
                RABBIT,
                "rabbit_login_method",
                OptionType.STRING,
                AmqpSettings.DEFAULT_LOGIN_METHOD.name(),
                "SASL mechanism")
            .choices("PLAIN", "AMQPLAIN", "EXTERNAL")
            .spec());
    l.add(
        integer(
            RABBIT,
            "rabbit_retry_interval",
            secs(RetrySettings.DEFAULT_INTERVAL),
            "first sleep after a failed cycle"));
    l.add(
        integer(
            RABBIT,
            "rabbit_retry_backoff",
            secs(RetrySettings.DEFAULT_BACKOFF),
            "added to the sleep every cycle"));
    l.add(
        integer(
            RABBIT,
            "rabbit_interval_max",
            secs(RetrySettings.DEFAULT_INTERVAL_MAX),
            "cap of the sleep between cycles"));
    l.add(
        bool(
                RABBIT,
                "rabbit_ha_queues",
                AmqpSettings.DEFAULT_HA_QUEUES,
                "x-ha-policy: all (legacy mirroring)")
            .spec());
    l.add(
        bool(
                RABBIT,
                "rabbit_quorum_queue",
                AmqpSettings.DEFAULT_QUORUM_QUEUE,
                "quorum queues (durable)")
            .spec());
    l.add(
        integer(
            RABBIT,
            "rabbit_quorum_delivery_limit",
            AmqpSettings.DEFAULT_QUORUM_DELIVERY_LIMIT,
            "x-delivery-limit if > 0"));
    l.add(
        b(
                RABBIT,
                "rabbit_quroum_max_memory_length",
                OptionType.INTEGER,
                AmqpSettings.DEFAULT_QUORUM_MAX_MEMORY_LENGTH,
                "x-max-in-memory-length if > 0")
            .alias(RABBIT, "rabbit_quorum_max_memory_length", false)
            .spec());
    l.add(
        b(
                RABBIT,
                "rabbit_quroum_max_memory_bytes",
                OptionType.INTEGER,
                AmqpSettings.DEFAULT_QUORUM_MAX_MEMORY_BYTES,
                "x-max-in-memory-bytes if > 0")
            .alias(RABBIT, "rabbit_quorum_max_memory_bytes", false)
            .spec());
    l.add(
        integer(
            RABBIT,
            "rabbit_transient_queues_ttl",
            secs(AmqpSettings.DEFAULT_TRANSIENT_QUEUES_TTL),
            "x-expires of reply queues"));
    l.add(
        integer(
            RABBIT,
            "rabbit_qos_prefetch_count",
            AmqpSettings.DEFAULT_QOS_PREFETCH_COUNT,
            "consumer prefetch; 0 = all"));
    l.add(
        integer(
            RABBIT,
            "heartbeat_timeout_threshold",
            secs(AmqpSettings.DEFAULT_HEARTBEAT_TIMEOUT_THRESHOLD),
            "silence before a peer is dead"));
    l.add(
        integer(
            RABBIT,
            "heartbeat_rate",
            AmqpSettings.DEFAULT_HEARTBEAT_RATE,
            "heartbeat checks per threshold"));
    l.add(
        bool(
                RABBIT,
                "direct_mandatory_flag",
                AmqpSettings.DEFAULT_DIRECT_MANDATORY_FLAG,
                "mandatory flag on RPC replies")
            .spec());
    l.add(
        bool(
                RABBIT,
                "enable_cancel_on_failover",
                AmqpSettings.DEFAULT_ENABLE_CANCEL_ON_FAILOVER,
                "x-cancel-on-ha-failover on consumers")
            .spec());
    // Deprecated [oslo_messaging_rabbit] options that oslo.messaging 14 no longer has.
    l.add(legacy("rabbit_hosts", OptionType.LIST, List.of(), false));
    l.add(legacy("rabbit_host", OptionType.STRING, AmqpHost.DEFAULT_HOST_NAME, false));
    l.add(
        b(
                RABBIT,
                "rabbit_port",
                OptionType.INTEGER,
                (long) AmqpHost.DEFAULT_PORT,
                "legacy: default port")
            .range(UrlParts.MIN_PORT, UrlParts.MAX_PORT)
            .spec());
    l.add(legacy("rabbit_userid", OptionType.STRING, AmqpHost.DEFAULT_USERNAME, false));
    l.add(legacy("rabbit_password", OptionType.STRING, AmqpHost.DEFAULT_PASSWORD, true));
    l.add(
        legacy("rabbit_virtual_host", OptionType.STRING, AmqpSettings.DEFAULT_VIRTUAL_HOST, false));
    l.add(
        b(RABBIT, "rabbit_max_retries", OptionType.INTEGER, 0L, "legacy: 0 = forever")
            .range(0, null)
            .spec());
    // [ha4j_amqp]: what oslo passes per call or leaves to kombu.
    l.add(
        b(
                HA4J_AMQP,
                "max_retries",
                OptionType.INTEGER,
                null,
                "connection retries; unset, 0 or -1 = forever")
            .range(-1, null)
            .spec());
    l.add(
        b(
                HA4J_AMQP,
                "host_order",
                OptionType.STRING,
                text(AmqpSettings.DEFAULT_HOST_ORDER),
                "shuffle the hosts once or not")
            .choices("shuffle", "configured")
            .spec());
    l.add(
        b(
                HA4J_AMQP,
                "connect_timeout",
                OptionType.FLOAT,
                fsecs(AmqpSettings.DEFAULT_CONNECT_TIMEOUT),
                "seconds per TCP connect")
            .spec());
    l.add(
        b(
                HA4J_AMQP,
                "handshake_timeout",
                OptionType.FLOAT,
                fsecs(AmqpSettings.DEFAULT_HANDSHAKE_TIMEOUT),
                "seconds per AMQP handshake")
            .spec());
    // [database], oslo.db
    l.add(str(DATABASE, "connection", null, true, "mysql+pymysql://user:pass@host[,host]/db"));
    l.add(
        integer(
            DATABASE,
            "max_pool_size",
            GaleraSettings.DEFAULT_MAX_POOL_SIZE,
            "connections per node pool"));
    l.add(
        integer(
            DATABASE,
            "max_overflow",
            GaleraSettings.DEFAULT_MAX_OVERFLOW,
            "connections beyond max_pool_size"));
    l.add(
        b(DATABASE, "pool_timeout", OptionType.INTEGER, null, "seconds to wait for a connection")
            .spec());
    l.add(
        integer(
            DATABASE,
            "connection_recycle_time",
            secs(GaleraSettings.DEFAULT_CONNECTION_RECYCLE_TIME),
            "max connection age (s)"));
    l.add(
        b(
                DATABASE,
                "max_retries",
                OptionType.INTEGER,
                (long) GaleraSettings.DEFAULT_MAX_RETRIES,
                "start-up connect attempts; -1 forever")
            .range(-1, null)
            .spec());
    l.add(
        integer(
            DATABASE,
            "retry_interval",
            secs(GaleraSettings.DEFAULT_RETRY_INTERVAL),
            "seconds between start-up attempts"));
    l.add(
        str(
            DATABASE,
            "mysql_sql_mode",
            GaleraSettings.DEFAULT_SQL_MODE,
            false,
            "session sql_mode"));
    l.add(
        b(DATABASE, "mysql_wsrep_sync_wait", OptionType.INTEGER, null, "session wsrep_sync_wait")
            .spec());
    l.add(
        b(
                DATABASE,
                "db_max_retries",
                OptionType.INTEGER,
                (long) DbRetrySettings.DEFAULT_MAX_RETRIES,
                "unit-of-work retries; -1 forever")
            .range(-1, null)
            .spec());
    l.add(
        integer(
            DATABASE,
            "db_retry_interval",
            secs(DbRetrySettings.DEFAULT_INTERVAL),
            "first retry sleep (s)"));
    l.add(
        bool(
                DATABASE,
                "db_inc_retry_interval",
                DbRetrySettings.DEFAULT_INCREMENTAL,
                "double the sleep each retry")
            .spec());
    l.add(
        integer(
            DATABASE,
            "db_max_retry_interval",
            secs(DbRetrySettings.DEFAULT_MAX_INTERVAL),
            "cap of the retry sleep (s)"));
    l.add(str(DATABASE, "connection_parameters", "", false, "extra driver parameters a=b&c=d"));
    // [galera]
    l.add(b(GALERA, "nodes", OptionType.LIST, List.of(), "host:port[:priority], in order").spec());
    l.add(
        b(
                GALERA,
                "check_interval",
                OptionType.FLOAT,
                fsecs(GaleraSettings.DEFAULT_CHECK_INTERVAL),
                "seconds between health checks")
            .spec());
    l.add(
        b(
                GALERA,
                "check_timeout",
                OptionType.FLOAT,
                fsecs(GaleraSettings.DEFAULT_CHECK_TIMEOUT),
                "seconds a health check may take")
            .spec());
    l.add(
        integer(
            GALERA,
            "fall_count",
            GaleraSettings.DEFAULT_FALL_COUNT,
            "timeouts before a node is down"));
    l.add(
        integer(
            GALERA,
            "rise_count",
            GaleraSettings.DEFAULT_RISE_COUNT,
            "healthy checks before a node is up"));
    l.add(
        b(
                GALERA,
                "failback",
                OptionType.STRING,
                text(GaleraSettings.DEFAULT_FAILBACK.mode()),
                "back to a better node when healthy")
            .choices("immediate", "after_stable", "never")
            .spec());
    l.add(
        b(
                GALERA,
                "failback_stable_time",
                OptionType.FLOAT,
                fsecs(GaleraSettings.DEFAULT_FAILBACK_STABLE_TIME),
                "after_stable: seconds healthy")
            .spec());
    l.add(
        b(
                GALERA,
                "drain_timeout",
                OptionType.FLOAT,
                fsecs(GaleraSettings.DEFAULT_DRAIN_TIMEOUT),
                "seconds a planned switch waits")
            .spec());
    l.add(
        bool(
                GALERA,
                "available_when_donor",
                GaleraSettings.DEFAULT_AVAILABLE_WHEN_DONOR,
                "a donor may serve")
            .spec());
    l.add(
        bool(
                GALERA,
                "reader_routing",
                GaleraSettings.DEFAULT_READER_ROUTING,
                "spread reads over non-writers")
            .spec());
    ALL = Collections.unmodifiableList(l);
    for (OptionSpec s : ALL) {
      BY_NAME.put(s.qualifiedName(), s);
      for (Alias a : s.aliases()) {
        BY_ALIAS.put(a.section() + "." + a.name(), s);
      }
    }
    // oslo.messaging once read every rabbit option from [DEFAULT] too (deprecated_group).
    for (OptionSpec s : ALL) {
      if (s.section().equals(RABBIT)) {
        BY_ALIAS.putIfAbsent(DEFAULT + "." + s.name(), s);
        for (Alias a : s.aliases()) {
          BY_ALIAS.putIfAbsent(DEFAULT + "." + a.name(), s);
        }
      }
    }
  }

  private Options() {}

  /** Every known option. */
  public static List<OptionSpec> all() {
    return ALL;
  }

  /** The option of that name in that section, or empty. */
  public static Optional<OptionSpec> find(String section, String name) {
    return Optional.ofNullable(BY_NAME.get(section + "." + name));
  }

  /** The option an alias stands for, or empty. */
  public static Optional<OptionSpec> findAlias(String section, String name) {
    return Optional.ofNullable(BY_ALIAS.get(section + "." + name));
  }

  /** Whether an alias is deprecated (earns a warning). */
  public static boolean isDeprecatedAlias(String section, String name) {
    Optional<OptionSpec> spec = findAlias(section, name);
    if (spec.isEmpty()) {
      return false;
    }
    if (section.equals(DEFAULT) && spec.get().section().equals(RABBIT)) {
      return true;
    }
    return spec.get().aliases().stream()
        .anyMatch(a -> a.section().equals(section) && a.name().equals(name) && a.deprecated());
  }

  /** Every name that can be written in a section: option names and aliases. */
  public static List<String> namesIn(String section) {
    List<String> out = new ArrayList<>();
    for (OptionSpec s : ALL) {
      if (s.section().equals(section)) {
        out.add(s.name());
      }
    }
    for (String k : BY_ALIAS.keySet()) {
      if (k.startsWith(section + ".")) {
        out.add(k.substring(section.length() + 1));
      }
    }
    return out;
  }

  /** Options that oslo.messaging 14 removed; reading them earns a deprecation warning. */
  public static boolean isLegacy(OptionSpec s) {
    return s.section().equals(RABBIT)
        && List.of(
                "rabbit_hosts",
                "rabbit_host",
                "rabbit_port",
                "rabbit_userid",
                "rabbit_password",
                "rabbit_virtual_host",
                "rabbit_max_retries")
            .contains(s.name());
  }

  /** What replaces a legacy option, for the deprecation warning. */
  public static String replacementOf(OptionSpec s) {
    if (s.name().equals("rabbit_max_retries")) {
      return "[" + HA4J_AMQP + "] max_retries";
    }
    return "[DEFAULT] transport_url";
  }

  /** Whole seconds of a default, for an integer option (a fraction would be a bug here). */
  static long secs(Duration d) {
    if (d.getNano() != 0) {
      throw new IllegalArgumentException("not whole seconds: " + d);
    }
    return d.getSeconds();
  }

  /** Seconds of a default, for a float option. */
  static double fsecs(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  /** How an enum default is written in a file: lower case, {@code -} for {@code _}. */
  static String text(Enum<?> e) {
    String t = e.name().toLowerCase(Locale.ROOT);
    return e instanceof AmqpSettings.FailoverStrategy ? t.replace('_', '-') : t;
  }

  private static OptionSpec legacy(String name, OptionType type, Object def, boolean secret) {
    B b = b(RABBIT, name, type, def, "legacy: use transport_url");
    b.secret = secret;
    return b.spec();
  }

  private static OptionSpec str(
      String section, String name, String def, boolean secret, String help) {
    B b = b(section, name, OptionType.STRING, def, help);
    b.secret = secret;
    return b.spec();
  }

  /**
   * An integer option without bounds of its own: the settings builder that receives it checks the
   * value (one place per rule), and the resolver reports its message at the option's location.
   */
  private static OptionSpec integer(String section, String name, long def, String help) {
    return b(section, name, OptionType.INTEGER, def, help).spec();
  }

  private static B bool(String section, String name, boolean def, String help) {
    return b(section, name, OptionType.BOOLEAN, def, help);
  }

  private static B b(String section, String name, OptionType type, Object def, String help) {
    return new B(section, name, type, def, help);
  }

  private static final class B {
    final String section;
    final String name;
    final OptionType type;
    final Object def;
    final String help;
    boolean secret;
    Double min;
    Double max;
    List<String> choices = List.of();
    final List<Alias> aliases = new ArrayList<>();

    B(String section, String name, OptionType type, Object def, String help) {
      this.section = section;
      this.name = name;
      this.type = type;
      this.def = def;
      this.help = help;
    }

    B range(Number min, Number max) {
      this.min = min == null ? null : min.doubleValue();
      this.max = max == null ? null : max.doubleValue();
      return this;
    }

    B choices(String... c) {
      this.choices = List.of(c);
      return this;
    }

    B alias(String section, String name) {
      return alias(section, name, true);
    }

    B alias(String section, String name, boolean deprecated) {
      aliases.add(new Alias(section, name, deprecated));
      return this;
    }

    OptionSpec spec() {
      return new OptionSpec(
          section, name, type, def, secret, min, max, choices, List.copyOf(aliases), help);
    }
  }
}

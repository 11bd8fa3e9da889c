package io.ha4j.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything ha4j needs to connect to a RabbitMQ cluster and declare its topology, with the
 * defaults of oslo.messaging 14.0.3 ({@code [oslo_messaging_rabbit]}, {@code [DEFAULT]}). Immutable
 * and thread-safe; built by {@link #builder()} or loaded by {@link HaConfig}. {@link #toString()}
 * lists every setting, passwords masked.
 *
 * @since 0.1
 */
public final class AmqpSettings {

  /** The order in which hosts are first tried. */
  public enum HostOrder {
    /** Shuffle the host list once per factory (oslo does this; spreads clients over nodes). */
    SHUFFLE,
    /** Keep the configured order. */
    CONFIGURED
  }

  /** Which host comes next after a failed attempt ({@code kombu_failover_strategy}). */
  public enum FailoverStrategy {
    /** The next host of the list, wrapping around. */
    ROUND_ROBIN,
    /** A random host of the list each time (with replacement). */
    SHUFFLE
  }

  /** SASL mechanism ({@code rabbit_login_method}). */
  public enum LoginMethod {
    /** PLAIN. */
    PLAIN,
    /** AMQPLAIN (oslo's default). */
    AMQPLAIN,
    /** EXTERNAL (client certificate). */
    EXTERNAL
  }

  /** The default host: {@code guest:guest@localhost:5672}, as oslo's {@code rabbit://}. */
  public static final AmqpHost DEFAULT_HOST =
      AmqpHost.of(AmqpHost.DEFAULT_HOST_NAME, AmqpHost.DEFAULT_PORT);

  /**
   * oslo's {@code transport_url}: {@value}, which names no host and so means {@link #DEFAULT_HOST}
   * and {@link #DEFAULT_VIRTUAL_HOST}.
   */
  public static final String DEFAULT_TRANSPORT_URL = "rabbit://";

  /** Default virtual host: {@value}. */
  public static final String DEFAULT_VIRTUAL_HOST = "/";

  /** Default order in which hosts are first tried: {@link HostOrder#SHUFFLE}, as oslo. */
  public static final HostOrder DEFAULT_HOST_ORDER = HostOrder.SHUFFLE;

  /** {@code kombu_failover_strategy}: {@code round-robin}. */
  public static final FailoverStrategy DEFAULT_FAILOVER_STRATEGY = FailoverStrategy.ROUND_ROBIN;

  /** Default per-attempt TCP connect timeout: 5 s (kombu's). */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Smallest connect and handshake timeout: 1 ms (amqp-client counts whole milliseconds). */
  public static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

  /** Default AMQP handshake timeout: 10 s. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** {@code kombu_reconnect_delay}: 1 s. */
  public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofSeconds(1);

  /** Upper bound oslo puts on {@code kombu_reconnect_delay}: 4.5 s. */
  public static final Duration MAX_RECONNECT_DELAY = Duration.ofMillis(4500);

  /** {@code kombu_missing_consumer_retry_timeout}: 60 s. */
  public static final Duration DEFAULT_MISSING_CONSUMER_RETRY_TIMEOUT = Duration.ofSeconds(60);

  /** {@code heartbeat_timeout_threshold}: 60 s. */
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT_THRESHOLD = Duration.ofSeconds(60);

  /** {@code heartbeat_rate}: {@value}. */
  public static final int DEFAULT_HEARTBEAT_RATE = 2;

  /** {@code rabbit_transient_queues_ttl}: 1800 s. */
  public static final Duration DEFAULT_TRANSIENT_QUEUES_TTL = Duration.ofSeconds(1800);

  /** {@code amqp_durable_queues}: {@value}. */
  public static final boolean DEFAULT_DURABLE_QUEUES = false;

  /** {@code amqp_auto_delete}: {@value}. */
  public static final boolean DEFAULT_AUTO_DELETE = false;

  /** {@code rabbit_ha_queues}: {@value}. */
  public static final boolean DEFAULT_HA_QUEUES = false;

  /** {@code rabbit_quorum_queue}: {@value}. */
  public static final boolean DEFAULT_QUORUM_QUEUE = false;

  /** {@code rabbit_quorum_delivery_limit}: {@value} (no {@code x-delivery-limit}). */
  public static final int DEFAULT_QUORUM_DELIVERY_LIMIT = 0;

  /** {@code rabbit_quroum_max_memory_length}: {@value} (no {@code x-max-in-memory-length}). */
  public static final long DEFAULT_QUORUM_MAX_MEMORY_LENGTH = 0;

  /** {@code rabbit_quroum_max_memory_bytes}: {@value} (no {@code x-max-in-memory-bytes}). */
  public static final long DEFAULT_QUORUM_MAX_MEMORY_BYTES = 0;

  /** {@code rabbit_qos_prefetch_count}: {@value} (unlimited). */
  public static final int DEFAULT_QOS_PREFETCH_COUNT = 0;

  /** {@code rabbit_login_method}: {@code AMQPLAIN}. */
  public static final LoginMethod DEFAULT_LOGIN_METHOD = LoginMethod.AMQPLAIN;

  /** {@code ssl}: {@value}. */
  public static final boolean DEFAULT_SSL = false;

  /** {@code ssl_version}: empty (the JVM's default). */
  public static final String DEFAULT_SSL_VERSION = "";

  /** {@code ssl_ca_file}: empty (the JVM's trust store). */
  public static final String DEFAULT_SSL_CA_FILE = "";

  /** {@code ssl_cert_file}: empty (no client certificate). */
  public static final String DEFAULT_SSL_CERT_FILE = "";

  /** {@code ssl_key_file}: empty (no client key). */
  public static final String DEFAULT_SSL_KEY_FILE = "";

  /** {@code ssl_enforce_hostname_verification}: {@value}. */
  public static final boolean DEFAULT_SSL_ENFORCE_HOSTNAME_VERIFICATION = false;

  /** {@code enable_cancel_on_failover}: {@value}. */
  public static final boolean DEFAULT_ENABLE_CANCEL_ON_FAILOVER = false;

  /** {@code direct_mandatory_flag}: {@value}. */
  public static final boolean DEFAULT_DIRECT_MANDATORY_FLAG = true;

  /** {@code control_exchange}: {@value}. */
  public static final String DEFAULT_CONTROL_EXCHANGE = "openstack";

  /** {@code rpc_response_timeout}: 60 s. */
  public static final Duration DEFAULT_RPC_RESPONSE_TIMEOUT = Duration.ofSeconds(60);

  /** {@code rpc_conn_pool_size}: {@value}. */
  public static final int DEFAULT_RPC_CONN_POOL_SIZE = 30;

  /** {@code conn_pool_min_size}: {@value}. */
  public static final int DEFAULT_CONN_POOL_MIN_SIZE = 2;

  /** {@code conn_pool_ttl}: 1200 s. */
  public static final Duration DEFAULT_CONN_POOL_TTL = Duration.ofSeconds(1200);

  private final List<AmqpHost> hosts;
  private final String virtualHost;
  private final HostOrder hostOrder;
  private final FailoverStrategy failoverStrategy;
  private final RetrySettings retry;
  private final Duration connectTimeout;
  private final Duration handshakeTimeout;
  private final Duration reconnectDelay;
  private final Duration missingConsumerRetryTimeout;
  private final Duration heartbeatTimeoutThreshold;
  private final int heartbeatRate;
  private final boolean durableQueues;
  private final boolean autoDelete;
  private final boolean haQueues;
  private final boolean quorumQueue;
  private final int quorumDeliveryLimit;
  private final long quorumMaxMemoryLength;
  private final long quorumMaxMemoryBytes;
  private final Duration transientQueuesTtl;
  private final int qosPrefetchCount;
  private final LoginMethod loginMethod;
  private final boolean ssl;
  private final String sslVersion;
  private final String sslCaFile;
  private final String sslCertFile;
  private final String sslKeyFile;
  private final boolean sslEnforceHostnameVerification;
  private final boolean enableCancelOnFailover;
  private final boolean directMandatoryFlag;
  private final String controlExchange;
  private final Duration rpcResponseTimeout;
  private final int rpcConnPoolSize;
  private final int connPoolMinSize;
  private final Duration connPoolTtl;

  private AmqpSettings(Builder b) {
    hosts = List.copyOf(b.hosts);
    virtualHost = b.virtualHost;
    hostOrder = b.hostOrder;
    failoverStrategy = b.failoverStrategy;
    retry = b.retry;
    connectTimeout = b.connectTimeout;
    handshakeTimeout = b.handshakeTimeout;
    reconnectDelay = b.reconnectDelay;
    missingConsumerRetryTimeout = b.missingConsumerRetryTimeout;
    heartbeatTimeoutThreshold = b.heartbeatTimeoutThreshold;
    heartbeatRate = b.heartbeatRate;
    durableQueues = b.durableQueues;
    autoDelete = b.autoDelete;
    haQueues = b.haQueues;
    quorumQueue = b.quorumQueue;
    quorumDeliveryLimit = b.quorumDeliveryLimit;
    quorumMaxMemoryLength = b.quorumMaxMemoryLength;
    quorumMaxMemoryBytes = b.quorumMaxMemoryBytes;
    transientQueuesTtl = b.transientQueuesTtl;
    qosPrefetchCount = b.qosPrefetchCount;
    loginMethod = b.loginMethod;
    ssl = b.ssl;
    sslVersion = b.sslVersion;
    sslCaFile = b.sslCaFile;
    sslCertFile = b.sslCertFile;
    sslKeyFile = b.sslKeyFile;
    sslEnforceHostnameVerification = b.sslEnforceHostnameVerification;
    enableCancelOnFailover = b.enableCancelOnFailover;
    directMandatoryFlag = b.directMandatoryFlag;
    controlExchange = b.controlExchange;
    rpcResponseTimeout = b.rpcResponseTimeout;
    rpcConnPoolSize = b.rpcConnPoolSize;
    connPoolMinSize = b.connPoolMinSize;
    connPoolTtl = b.connPoolTtl;
  }

  /** A builder with oslo's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** oslo's defaults: {@code guest:guest@localhost:5672/}, retry forever. */
  public static AmqpSettings ofDefaults() {
    return builder().build();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The hosts, in configured order (never empty). */
  public List<AmqpHost> hosts() {
    return hosts;
  }

  /** The virtual host. */
  public String virtualHost() {
    return virtualHost;
  }

  /** Order in which hosts are first tried. */
  public HostOrder hostOrder() {
    return hostOrder;
  }

  /** Next host after a failure. */
  public FailoverStrategy failoverStrategy() {
    return failoverStrategy;
  }

  /** The connection retry schedule. */
  public RetrySettings retry() {
    return retry;
  }

  /** Timeout of one TCP connect. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Timeout of one AMQP handshake. */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** Pause before reconnecting after an established connection failed. */
  public Duration reconnectDelay() {
    return reconnectDelay;
  }

  /** How long an RPC server retries a reply whose reply queue is missing. */
  public Duration missingConsumerRetryTimeout() {
    return missingConsumerRetryTimeout;
  }

  /** Silence after which the peer is dead; zero disables heartbeats. */
  public Duration heartbeatTimeoutThreshold() {
    return heartbeatTimeoutThreshold;
  }

  /** Heartbeat checks per threshold period. */
  public int heartbeatRate() {
    return heartbeatRate;
  }

  /** Durable exchanges and topic/notification queues (forced by quorum queues). */
  public boolean durableQueues() {
    return durableQueues || quorumQueue;
  }

  /** Auto-delete exchanges and queues. */
  public boolean autoDelete() {
    return autoDelete;
  }

  /** Declare {@code x-ha-policy: all} (legacy mirrored queues). */
  public boolean haQueues() {
    return haQueues;
  }

  /** Declare quorum queues. */
  public boolean quorumQueue() {
    return quorumQueue;
  }

  /** {@code x-delivery-limit} when > 0. */
  public int quorumDeliveryLimit() {
    return quorumDeliveryLimit;
  }

  /** {@code x-max-in-memory-length} when > 0. */
  public long quorumMaxMemoryLength() {
    return quorumMaxMemoryLength;
  }

  /** {@code x-max-in-memory-bytes} when > 0. */
  public long quorumMaxMemoryBytes() {
    return quorumMaxMemoryBytes;
  }

  /** {@code x-expires} of reply and fanout queues. */
  public Duration transientQueuesTtl() {
    return transientQueuesTtl;
  }

  /** Consumer prefetch; 0 = unlimited. */
  public int qosPrefetchCount() {
    return qosPrefetchCount;
  }

  /** SASL mechanism. */
  public LoginMethod loginMethod() {
    return loginMethod;
  }

  /** Connect with TLS. */
  public boolean ssl() {
    return ssl;
  }

  /** TLS protocol version, empty for the JVM's default. */
  public String sslVersion() {
    return sslVersion;
  }

  /** CA certificates file, or empty. */
  public String sslCaFile() {
    return sslCaFile;
  }

  /** Client certificate file, or empty. */
  public String sslCertFile() {
    return sslCertFile;
  }

  /** Client key file, or empty. */
  public String sslKeyFile() {
    return sslKeyFile;
  }

  /** Verify the server's host name. */
  public boolean sslEnforceHostnameVerification() {
    return sslEnforceHostnameVerification;
  }

  /** Consumer argument {@code x-cancel-on-ha-failover}. */
  public boolean enableCancelOnFailover() {
    return enableCancelOnFailover;
  }

  /** Mandatory flag on RPC replies. */
  public boolean directMandatoryFlag() {
    return directMandatoryFlag;
  }

  /** RPC and notification exchange. */
  public String controlExchange() {
    return controlExchange;
  }

  /** RPC call timeout. */
  public Duration rpcResponseTimeout() {
    return rpcResponseTimeout;
  }

  /** Size of the send-connection pool. */
  public int rpcConnPoolSize() {
    return rpcConnPoolSize;
  }

  /** Connections the send pool keeps. */
  public int connPoolMinSize() {
    return connPoolMinSize;
  }

  /** Lifetime of an idle pooled connection. */
  public Duration connPoolTtl() {
    return connPoolTtl;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AmqpSettings s && toString().equals(s.toString()) && hosts.equals(s.hosts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(toString(), hosts);
  }

  @Override
  public String toString() {
    return "AmqpSettings[hosts="
        + hosts.stream().map(AmqpHost::toString).collect(Collectors.joining(",", "[", "]"))
        + ", virtualHost="
        + virtualHost
        + ", hostOrder="
        + hostOrder
        + ", failoverStrategy="
        + failoverStrategy
        + ", retry="
        + retry
        + ", connectTimeout="
        + connectTimeout
        + ", handshakeTimeout="
        + handshakeTimeout
        + ", reconnectDelay="
        + reconnectDelay
        + ", missingConsumerRetryTimeout="
        + missingConsumerRetryTimeout
        + ", heartbeatTimeoutThreshold="
        + heartbeatTimeoutThreshold
        + ", heartbeatRate="
        + heartbeatRate
        + ", durableQueues="
        + durableQueues
        + ", autoDelete="
        + autoDelete
        + ", haQueues="
        + haQueues
        + ", quorumQueue="
        + quorumQueue
        + ", quorumDeliveryLimit="
        + quorumDeliveryLimit
        + ", quorumMaxMemoryLength="
        + quorumMaxMemoryLength
        + ", quorumMaxMemoryBytes="
        + quorumMaxMemoryBytes
        + ", transientQueuesTtl="
        + transientQueuesTtl
        + ", qosPrefetchCount="
        + qosPrefetchCount
        + ", loginMethod="
        + loginMethod
        + ", ssl="
        + ssl
        + ", sslVersion="
        + sslVersion
        + ", sslCaFile="
        + sslCaFile
        + ", sslCertFile="
        + sslCertFile
        + ", sslKeyFile="
        + sslKeyFile
        + ", sslEnforceHostnameVerification="
        + sslEnforceHostnameVerification
        + ", enableCancelOnFailover="
        + enableCancelOnFailover
        + ", directMandatoryFlag="
        + directMandatoryFlag
        + ", controlExchange="
        + controlExchange
        + ", rpcResponseTimeout="
        + rpcResponseTimeout
        + ", rpcConnPoolSize="
        + rpcConnPoolSize
        + ", connPoolMinSize="
        + connPoolMinSize
        + ", connPoolTtl="
        + connPoolTtl
        + "]";
  }

  /**
   * Builds {@link AmqpSettings}. Each method checks its own argument ({@code NullPointerException}
   * for null, {@code IllegalArgumentException} naming the setting and the bad value); {@link
   * #build()} checks rules between settings ({@link InvalidSettingsException}, an {@code
   * IllegalStateException}). These are the only checks of these rules: {@link HaConfig} reports
   * their messages at the option's file and line. Not thread-safe; reusable.
   */
  public static final class Builder {
    private List<AmqpHost> hosts = List.of(DEFAULT_HOST);
    private String virtualHost = DEFAULT_VIRTUAL_HOST;
    private HostOrder hostOrder = DEFAULT_HOST_ORDER;
    private FailoverStrategy failoverStrategy = DEFAULT_FAILOVER_STRATEGY;
    private RetrySettings retry = RetrySettings.ofDefaults();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration reconnectDelay = DEFAULT_RECONNECT_DELAY;
    private Duration missingConsumerRetryTimeout = DEFAULT_MISSING_CONSUMER_RETRY_TIMEOUT;
    private Duration heartbeatTimeoutThreshold = DEFAULT_HEARTBEAT_TIMEOUT_THRESHOLD;
    private int heartbeatRate = DEFAULT_HEARTBEAT_RATE;
    private boolean durableQueues = DEFAULT_DURABLE_QUEUES;
    private boolean autoDelete = DEFAULT_AUTO_DELETE;
    private boolean haQueues = DEFAULT_HA_QUEUES;
    private boolean quorumQueue = DEFAULT_QUORUM_QUEUE;
    private int quorumDeliveryLimit = DEFAULT_QUORUM_DELIVERY_LIMIT;
    private long quorumMaxMemoryLength = DEFAULT_QUORUM_MAX_MEMORY_LENGTH;
    private long quorumMaxMemoryBytes = DEFAULT_QUORUM_MAX_MEMORY_BYTES;
    private Duration transientQueuesTtl = DEFAULT_TRANSIENT_QUEUES_TTL;
    private int qosPrefetchCount = DEFAULT_QOS_PREFETCH_COUNT;
    private LoginMethod loginMethod = DEFAULT_LOGIN_METHOD;
    private boolean ssl = DEFAULT_SSL;
    private String sslVersion = DEFAULT_SSL_VERSION;
    private String sslCaFile = DEFAULT_SSL_CA_FILE;
    private String sslCertFile = DEFAULT_SSL_CERT_FILE;
    private String sslKeyFile = DEFAULT_SSL_KEY_FILE;
    private boolean sslEnforceHostnameVerification = DEFAULT_SSL_ENFORCE_HOSTNAME_VERIFICATION;
    private boolean enableCancelOnFailover = DEFAULT_ENABLE_CANCEL_ON_FAILOVER;
    private boolean directMandatoryFlag = DEFAULT_DIRECT_MANDATORY_FLAG;
    private String controlExchange = DEFAULT_CONTROL_EXCHANGE;
    private Duration rpcResponseTimeout = DEFAULT_RPC_RESPONSE_TIMEOUT;
    private int rpcConnPoolSize = DEFAULT_RPC_CONN_POOL_SIZE;
    private int connPoolMinSize = DEFAULT_CONN_POOL_MIN_SIZE;
    private Duration connPoolTtl = DEFAULT_CONN_POOL_TTL;

    private Builder() {}

    private Builder(AmqpSettings s) {
      hosts = s.hosts;
      virtualHost = s.virtualHost;
      hostOrder = s.hostOrder;
      failoverStrategy = s.failoverStrategy;
      retry = s.retry;
      connectTimeout = s.connectTimeout;
      handshakeTimeout = s.handshakeTimeout;
      reconnectDelay = s.reconnectDelay;
      missingConsumerRetryTimeout = s.missingConsumerRetryTimeout;
      heartbeatTimeoutThreshold = s.heartbeatTimeoutThreshold;
      heartbeatRate = s.heartbeatRate;
      durableQueues = s.durableQueues;
      autoDelete = s.autoDelete;
      haQueues = s.haQueues;
      quorumQueue = s.quorumQueue;
      quorumDeliveryLimit = s.quorumDeliveryLimit;
      quorumMaxMemoryLength = s.quorumMaxMemoryLength;
      quorumMaxMemoryBytes = s.quorumMaxMemoryBytes;
      transientQueuesTtl = s.transientQueuesTtl;
      qosPrefetchCount = s.qosPrefetchCount;
      loginMethod = s.loginMethod;
      ssl = s.ssl;
      sslVersion = s.sslVersion;
      sslCaFile = s.sslCaFile;
      sslCertFile = s.sslCertFile;
      sslKeyFile = s.sslKeyFile;
      sslEnforceHostnameVerification = s.sslEnforceHostnameVerification;
      enableCancelOnFailover = s.enableCancelOnFailover;
      directMandatoryFlag = s.directMandatoryFlag;
      controlExchange = s.controlExchange;
      rpcResponseTimeout = s.rpcResponseTimeout;
      rpcConnPoolSize = s.rpcConnPoolSize;
      connPoolMinSize = s.connPoolMinSize;
      connPoolTtl = s.connPoolTtl;
    }

    /** The hosts, in order; at least one. */
    public Builder hosts(List<AmqpHost> hosts) {
      Objects.requireNonNull(hosts, "hosts");
      if (hosts.isEmpty()) {
        throw new IllegalArgumentException("hosts must not be empty");
      }
      hosts.forEach(h -> Objects.requireNonNull(h, "hosts element"));
      this.hosts = List.copyOf(hosts);
      return this;
    }

    /** The hosts, in order; at least one. */
    public Builder hosts(AmqpHost... hosts) {
      return hosts(List.of(hosts));
    }

    /** The virtual host, e.g. {@code /}. */
    public Builder virtualHost(String virtualHost) {
      Objects.requireNonNull(virtualHost, "virtualHost");
      if (virtualHost.isEmpty()) {
        throw new IllegalArgumentException("virtualHost must not be empty (use \"/\")");
      }
      this.virtualHost = virtualHost;
      return this;
    }

    /** Order in which hosts are first tried. */
    public Builder hostOrder(HostOrder hostOrder) {
      this.hostOrder = Objects.requireNonNull(hostOrder, "hostOrder");
      return this;
    }

    /** Next host after a failure. */
    public Builder failoverStrategy(FailoverStrategy failoverStrategy) {
      this.failoverStrategy = Objects.requireNonNull(failoverStrategy, "failoverStrategy");
      return this;
    }

    /** The connection retry schedule. */
    public Builder retry(RetrySettings retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Timeout of one TCP connect; at least 1 ms (the client counts whole milliseconds). */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = atLeast("connectTimeout", d, MIN_TIMEOUT);
      return this;
    }

    /** Timeout of one AMQP handshake; at least 1 ms (the client counts whole milliseconds). */
    public Builder handshakeTimeout(Duration d) {
      this.handshakeTimeout = atLeast("handshakeTimeout", d, MIN_TIMEOUT);
      return this;
    }

    /** Pause before reconnecting; 0 to 4.5 s as in oslo. */
    public Builder reconnectDelay(Duration d) {
      Objects.requireNonNull(d, "reconnectDelay");
      if (d.isNegative() || d.compareTo(MAX_RECONNECT_DELAY) > 0) {
        throw new IllegalArgumentException(
            "reconnectDelay out of range: expected a value from 0 to 4.5 s, was " + d);
      }
      this.reconnectDelay = d;
      return this;
    }

    /** How long an RPC server retries a reply whose reply queue is missing. */
    public Builder missingConsumerRetryTimeout(Duration d) {
      this.missingConsumerRetryTimeout =
          RetrySettings.nonNegative("missingConsumerRetryTimeout", d);
      return this;
    }

    /** Silence after which the peer is dead; zero disables heartbeats. */
    public Builder heartbeatTimeoutThreshold(Duration d) {
      this.heartbeatTimeoutThreshold = RetrySettings.nonNegative("heartbeatTimeoutThreshold", d);
      return this;
    }

    /** Heartbeat checks per threshold period; at least 1. */
    public Builder heartbeatRate(int rate) {
      this.heartbeatRate = atLeast("heartbeatRate", rate, 1);
      return this;
    }

    /** Durable exchanges and queues. */
    public Builder durableQueues(boolean v) {
      this.durableQueues = v;
      return this;
    }

    /** Auto-delete exchanges and queues. */
    public Builder autoDelete(boolean v) {
      this.autoDelete = v;
      return this;
    }

    /** Legacy mirrored queues ({@code x-ha-policy: all}); excludes quorum queues. */
    public Builder haQueues(boolean v) {
      this.haQueues = v;
      return this;
    }

    /** Quorum queues; excludes legacy mirrored queues. */
    public Builder quorumQueue(boolean v) {
      this.quorumQueue = v;
      return this;
    }

    /** {@code x-delivery-limit} when > 0. */
    public Builder quorumDeliveryLimit(int v) {
      this.quorumDeliveryLimit = atLeast("quorumDeliveryLimit", v, 0);
      return this;
    }

    /** {@code x-max-in-memory-length} when > 0. */
    public Builder quorumMaxMemoryLength(long v) {
      this.quorumMaxMemoryLength = atLeast("quorumMaxMemoryLength", v, 0);
      return this;
    }

    /** {@code x-max-in-memory-bytes} when > 0. */
    public Builder quorumMaxMemoryBytes(long v) {
      this.quorumMaxMemoryBytes = atLeast("quorumMaxMemoryBytes", v, 0);
      return this;
    }

    /** {@code x-expires} of reply and fanout queues; at least 1 s. */
    public Builder transientQueuesTtl(Duration d) {
      this.transientQueuesTtl = atLeast("transientQueuesTtl", d, Duration.ofSeconds(1));
      return this;
    }

    /** Consumer prefetch; 0 = unlimited. */
    public Builder qosPrefetchCount(int v) {
      this.qosPrefetchCount = atLeast("qosPrefetchCount", v, 0);
      return this;
    }

    /** SASL mechanism. */
    public Builder loginMethod(LoginMethod v) {
      this.loginMethod = Objects.requireNonNull(v, "loginMethod");
      return this;
    }

    /** Connect with TLS. */
    public Builder ssl(boolean v) {
      this.ssl = v;
      return this;
    }

    /** TLS protocol version, empty for the JVM's default. */
    public Builder sslVersion(String v) {
      this.sslVersion = Objects.requireNonNull(v, "sslVersion");
      return this;
    }

    /** CA certificates file, or empty. */
    public Builder sslCaFile(String v) {
      this.sslCaFile = Objects.requireNonNull(v, "sslCaFile");
      return this;
    }

    /** Client certificate file, or empty. */
    public Builder sslCertFile(String v) {
      this.sslCertFile = Objects.requireNonNull(v, "sslCertFile");
      return this;
    }

    /** Client key file, or empty. */
    public Builder sslKeyFile(String v) {
      this.sslKeyFile = Objects.requireNonNull(v, "sslKeyFile");
      return this;
    }

    /** Verify the server's host name. */
    public Builder sslEnforceHostnameVerification(boolean v) {
      this.sslEnforceHostnameVerification = v;
      return this;
    }

    /** Consumer argument {@code x-cancel-on-ha-failover}. */
    public Builder enableCancelOnFailover(boolean v) {
      this.enableCancelOnFailover = v;
      return this;
    }

    /** Mandatory flag on RPC replies. */
    public Builder directMandatoryFlag(boolean v) {
      this.directMandatoryFlag = v;
      return this;
    }

    /** RPC and notification exchange; not empty. */
    public Builder controlExchange(String v) {
      Objects.requireNonNull(v, "controlExchange");
      if (v.isBlank()) {
        throw new IllegalArgumentException("controlExchange must not be blank");
      }
      this.controlExchange = v;
      return this;
    }

    /** RPC call timeout; positive. */
    public Builder rpcResponseTimeout(Duration d) {
      this.rpcResponseTimeout = positive("rpcResponseTimeout", d);
      return this;
    }

    /** Size of the send-connection pool; at least 1. */
    public Builder rpcConnPoolSize(int v) {
      this.rpcConnPoolSize = atLeast("rpcConnPoolSize", v, 1);
      return this;
    }

    /** Connections the send pool keeps; at least 0. */
    public Builder connPoolMinSize(int v) {
      this.connPoolMinSize = atLeast("connPoolMinSize", v, 0);
      return this;
    }

    /** Lifetime of an idle pooled connection. */
    public Builder connPoolTtl(Duration d) {
      this.connPoolTtl = RetrySettings.nonNegative("connPoolTtl", d);
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws InvalidSettingsException (an {@code IllegalStateException}) listing every broken
     *     rule: quorum and legacy mirrored queues both on, the send pool's minimum above its size
     */
    public AmqpSettings build() {
      List<InvalidSettingsException.Violation> violations = new ArrayList<>();
      if (quorumQueue && haQueues) {
        violations.add(
            new InvalidSettingsException.Violation(
                List.of("quorumQueue", "haQueues"),
                "quorumQueue and haQueues exclude each other: quorum queues replace classic "
                    + "mirroring, so turn one of them off"));
      }
      if (connPoolMinSize > rpcConnPoolSize) {
        violations.add(
            new InvalidSettingsException.Violation(
                List.of("connPoolMinSize", "rpcConnPoolSize"),
                "connPoolMinSize ("
                    + connPoolMinSize
                    + ") must not exceed rpcConnPoolSize ("
                    + rpcConnPoolSize
                    + ")"));
      }
      if (!violations.isEmpty()) {
        throw new InvalidSettingsException(violations);
      }
      return new AmqpSettings(this);
    }

    static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " out of range: expected a value > 0, was " + d);
      }
      return d;
    }

    static Duration atLeast(String name, Duration d, Duration min) {
      Objects.requireNonNull(d, name);
      if (d.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            name + " out of range: expected a value >= " + min + ", was " + d);
      }
      return d;
    }

    static <N extends Number> N atLeast(String name, N v, long min) {
      if (v.longValue() < min) {
        throw new IllegalArgumentException(
            name + " out of range: expected a value >= " + min + ", was " + v);
      }
      return v;
    }
  }
}

package io.ha4j.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Everything ha4j needs to route a service's database traffic to one Galera node: the nodes with
 * their priorities, credentials, pool sizes and timeouts of oslo.db's {@code [database]}, and the
 * health-check and failback options of {@code [galera]}. Immutable and thread-safe. {@link
 * #toString()} lists every setting with the password masked.
 *
 * @since 0.1
 */
public final class GaleraSettings {

  /** oslo.db {@code max_pool_size}: {@value}. */
  public static final int DEFAULT_MAX_POOL_SIZE = 5;

  /** oslo.db {@code max_overflow}: {@value}. */
  public static final int DEFAULT_MAX_OVERFLOW = 50;

  /** oslo.db {@code connection_recycle_time}: 3600 s. */
  public static final Duration DEFAULT_CONNECTION_RECYCLE_TIME = Duration.ofSeconds(3600);

  /** oslo.db {@code max_retries} (start-up connect attempts): {@value}. */
  public static final int DEFAULT_MAX_RETRIES = 10;

  /** oslo.db {@code retry_interval}: 10 s. */
  public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(10);

  /** oslo.db {@code mysql_sql_mode}: {@value}. */
  public static final String DEFAULT_SQL_MODE = "TRADITIONAL";

  /** Time to wait for a connection when oslo.db's {@code pool_timeout} is unset: 30 s. */
  public static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(30);

  /** Smallest {@code check_interval} and {@code check_timeout}: 10 ms. */
  public static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(10);

  /** {@code [galera] check_interval}: 1 s. */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);

  /** {@code [galera] check_timeout}: 1 s. */
  public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(1);

  /** {@code [galera] fall_count}: {@value}. */
  public static final int DEFAULT_FALL_COUNT = 3;

  /** {@code [galera] rise_count}: {@value}. */
  public static final int DEFAULT_RISE_COUNT = 2;

  /** {@code [galera] failback_stable_time}: 30 s. */
  public static final Duration DEFAULT_FAILBACK_STABLE_TIME = Duration.ofSeconds(30);

  /** {@code [galera] drain_timeout}: 5 s. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

  /** {@code [galera] failback}: {@code immediate}. */
  public static final FailbackPolicy DEFAULT_FAILBACK = FailbackPolicy.IMMEDIATE;

  /** {@code [galera] available_when_donor}: {@value}. */
  public static final boolean DEFAULT_AVAILABLE_WHEN_DONOR = false;

  /** {@code [galera] reader_routing}: {@value}. */
  public static final boolean DEFAULT_READER_ROUTING = false;

  /** {@code [galera] commit_markers}: {@value}. */
  public static final boolean DEFAULT_COMMIT_MARKERS = true;

  /** {@code [galera] commit_marker_table}: {@value}. */
  public static final String DEFAULT_COMMIT_MARKER_TABLE = "ha4j_commit_markers";

  /** An unquoted SQL identifier, optionally schema-qualified, each part at most 64 characters. */
  private static final Pattern TABLE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}(\\.[A-Za-z_][A-Za-z0-9_$]{0,63})?");

  private final List<GaleraNode> nodes;
  private final String username;
  private final String password;
  private final String database;
  private final Map<String, String> connectionParameters;
  private final DatabaseTls tls;
  private final int maxPoolSize;
  private final int maxOverflow;
  private final Duration poolTimeout;
  private final Duration connectionRecycleTime;
  private final OptionalInt maxRetries;
  private final Duration retryInterval;
  private final String sqlMode;
  private final OptionalInt wsrepSyncWait;
  private final DbRetrySettings retry;
  private final Duration checkInterval;
  private final Duration checkTimeout;
  private final int fallCount;
  private final int riseCount;
  private final FailbackPolicy failback;
  private final Duration drainTimeout;
  private final boolean availableWhenDonor;
  private final boolean readerRouting;
  private final boolean commitMarkers;
  private final String commitMarkerTable;

  private GaleraSettings(Builder b) {
    nodes = List.copyOf(b.nodes);
    username = b.username;
    password = b.password;
    database = b.database;
    connectionParameters = Map.copyOf(b.connectionParameters);
    tls = b.tls;
    maxPoolSize = b.maxPoolSize;
    maxOverflow = b.maxOverflow;
    poolTimeout = b.poolTimeout;
    connectionRecycleTime = b.connectionRecycleTime;
    maxRetries = b.maxRetries;
    retryInterval = b.retryInterval;
    sqlMode = b.sqlMode;
    wsrepSyncWait = b.wsrepSyncWait;
    retry = b.retry;
    checkInterval = b.checkInterval;
    checkTimeout = b.checkTimeout;
    fallCount = b.fallCount;
    riseCount = b.riseCount;
    failback = b.failback;
    drainTimeout = b.drainTimeout;
    availableWhenDonor = b.availableWhenDonor;
    readerRouting = b.readerRouting;
    commitMarkers = b.commitMarkers;
    commitMarkerTable = b.commitMarkerTable;
  }

  /** A builder; nodes, user name and database must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The nodes in configured order (never empty). */
  public List<GaleraNode> nodes() {
    return nodes;
  }

  /** User name. */
  public String username() {
    return username;
  }

  /** Password; never printed by this class. */
  public String password() {
    return password;
  }

  /** Database (schema) name. */
  public String database() {
    return database;
  }

  /** Extra driver parameters. */
  public Map<String, String> connectionParameters() {
    return connectionParameters;
  }

  /**
   * TLS for every connection to the nodes ({@link DatabaseTls#disabled()} by default).
   *
   * @since 0.1.0
   */
  public DatabaseTls tls() {
    return tls;
  }

  /** Connections kept per node pool. */
  public int maxPoolSize() {
    return maxPoolSize;
  }

  /** Connections allowed beyond {@link #maxPoolSize()}. */
  public int maxOverflow() {
    return maxOverflow;
  }

  /** How long {@code getConnection()} waits. */
  public Duration poolTimeout() {
    return poolTimeout;
  }

  /** Maximum age of a pooled connection. */
  public Duration connectionRecycleTime() {
    return connectionRecycleTime;
  }

  /** Start-up connect attempts when no node is reachable; empty = forever. */
  public OptionalInt maxRetries() {
    return maxRetries;
  }

  /** Pause between start-up connect attempts. */
  public Duration retryInterval() {
    return retryInterval;
  }

  /** Session {@code sql_mode}. */
  public String sqlMode() {
    return sqlMode;
  }

  /** Session {@code wsrep_sync_wait}, or empty to leave the server's. */
  public OptionalInt wsrepSyncWait() {
    return wsrepSyncWait;
  }

  /** Unit-of-work retry. */
  public DbRetrySettings retry() {
    return retry;
  }

  /** Health check period. */
  public Duration checkInterval() {
    return checkInterval;
  }

  /** Health check timeout. */
  public Duration checkTimeout() {
    return checkTimeout;
  }

  /** Timeouts before a node is marked down. */
  public int fallCount() {
    return fallCount;
  }

  /** Healthy checks before a node is up again. */
  public int riseCount() {
    return riseCount;
  }

  /** Failback policy. */
  public FailbackPolicy failback() {
    return failback;
  }

  /** How long a planned writer switch waits for borrowed connections. */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /** Whether a donor node may serve. */
  public boolean availableWhenDonor() {
    return availableWhenDonor;
  }

  /** Whether reads are spread over non-writer nodes. */
  public boolean readerRouting() {
    return readerRouting;
  }

  /**
   * Whether a unit of work that is not idempotent writes a commit marker, so that the outcome of a
   * COMMIT whose answer was lost can be looked up.
   *
   * @since 0.3
   */
  public boolean commitMarkers() {
    return commitMarkers;
  }

  /**
   * The table of the commit markers (created on first use), optionally {@code schema.table}.
   *
   * @since 0.3
   */
  public String commitMarkerTable() {
    return commitMarkerTable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GaleraSettings s
        && toString().equals(s.toString())
        && password.equals(s.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(toString(), password);
  }

  @Override
  public String toString() {
    return "GaleraSettings[nodes="
        + nodes
        + ", username="
        + username
        + ", password=***"
        + ", database="
        + database
        + ", connectionParameters="
        + connectionParameters.keySet()
        + ", tls="
        + tls
        + ", maxPoolSize="
        + maxPoolSize
        + ", maxOverflow="
        + maxOverflow
        + ", poolTimeout="
        + poolTimeout
        + ", connectionRecycleTime="
        + connectionRecycleTime
        + ", maxRetries="
        + (maxRetries.isPresent() ? Integer.toString(maxRetries.getAsInt()) : "forever")
        + ", retryInterval="
        + retryInterval
        + ", sqlMode="
        + sqlMode
        + ", wsrepSyncWait="
        + (wsrepSyncWait.isPresent() ? Integer.toString(wsrepSyncWait.getAsInt()) : "server")
        + ", retry="
        + retry
        + ", checkInterval="
        + checkInterval
        + ", checkTimeout="
        + checkTimeout
        + ", fallCount="
        + fallCount
        + ", riseCount="
        + riseCount
        + ", failback="
        + failback
        + ", drainTimeout="
        + drainTimeout
        + ", availableWhenDonor="
        + availableWhenDonor
        + ", readerRouting="
        + readerRouting
        + ", commitMarkers="
        + commitMarkers
        + ", commitMarkerTable="
        + commitMarkerTable
        + "]";
  }

  /**
   * Builds {@link GaleraSettings}; argument checks as {@link AmqpSettings.Builder}. Not
   * thread-safe; reusable.
   */
  public static final class Builder {
    private List<GaleraNode> nodes = List.of();
    private String username = "";
    private String password = "";
    private String database = "";
    private Map<String, String> connectionParameters = Map.of();
    private DatabaseTls tls = DatabaseTls.disabled();
    private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
    private int maxOverflow = DEFAULT_MAX_OVERFLOW;
    private Duration poolTimeout = DEFAULT_POOL_TIMEOUT;
    private Duration connectionRecycleTime = DEFAULT_CONNECTION_RECYCLE_TIME;
    private OptionalInt maxRetries = OptionalInt.of(DEFAULT_MAX_RETRIES);
    private Duration retryInterval = DEFAULT_RETRY_INTERVAL;
    private String sqlMode = DEFAULT_SQL_MODE;
    private OptionalInt wsrepSyncWait = OptionalInt.empty();
    private DbRetrySettings retry = DbRetrySettings.ofDefaults();
    private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
    private Duration checkTimeout = DEFAULT_CHECK_TIMEOUT;
    private int fallCount = DEFAULT_FALL_COUNT;
    private int riseCount = DEFAULT_RISE_COUNT;
    private FailbackPolicy failback = DEFAULT_FAILBACK;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    private boolean availableWhenDonor = DEFAULT_AVAILABLE_WHEN_DONOR;
    private boolean readerRouting = DEFAULT_READER_ROUTING;
    private boolean commitMarkers = DEFAULT_COMMIT_MARKERS;
    private String commitMarkerTable = DEFAULT_COMMIT_MARKER_TABLE;

    private Builder() {}

    private Builder(GaleraSettings s) {
      nodes = s.nodes;
      username = s.username;
      password = s.password;
      database = s.database;
      connectionParameters = s.connectionParameters;
      tls = s.tls;
      maxPoolSize = s.maxPoolSize;
      maxOverflow = s.maxOverflow;
      poolTimeout = s.poolTimeout;
      connectionRecycleTime = s.connectionRecycleTime;
      maxRetries = s.maxRetries;
      retryInterval = s.retryInterval;
      sqlMode = s.sqlMode;
      wsrepSyncWait = s.wsrepSyncWait;
      retry = s.retry;
      checkInterval = s.checkInterval;
      checkTimeout = s.checkTimeout;
      fallCount = s.fallCount;
      riseCount = s.riseCount;
      failback = s.failback;
      drainTimeout = s.drainTimeout;
      availableWhenDonor = s.availableWhenDonor;
      readerRouting = s.readerRouting;
      commitMarkers = s.commitMarkers;
      commitMarkerTable = s.commitMarkerTable;
    }

    /** The nodes, in order; at least one. */
    public Builder nodes(List<GaleraNode> nodes) {
      Objects.requireNonNull(nodes, "nodes");
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("nodes must not be empty");
      }
      nodes.forEach(n -> Objects.requireNonNull(n, "nodes element"));
      this.nodes = List.copyOf(nodes);
      return this;
    }

    /** The nodes, in order; at least one. */
    public Builder nodes(GaleraNode... nodes) {
      return nodes(List.of(nodes));
    }

    /** User name. */
    public Builder username(String v) {
      this.username = Objects.requireNonNull(v, "username");
      return this;
    }

    /** Password. */
    public Builder password(String v) {
      this.password = Objects.requireNonNull(v, "password");
      return this;
    }

    /** Database (schema) name. */
    public Builder database(String v) {
      this.database = Objects.requireNonNull(v, "database");
      return this;
    }

    /** Extra driver parameters. */
    public Builder connectionParameters(Map<String, String> v) {
      Objects.requireNonNull(v, "connectionParameters");
      this.connectionParameters = Map.copyOf(new LinkedHashMap<>(v));
      return this;
    }

    /**
     * TLS for every connection to the nodes.
     *
     * @since 0.1.0
     */
    public Builder tls(DatabaseTls v) {
      this.tls = Objects.requireNonNull(v, "tls");
      return this;
    }

    /** Connections kept per node pool; at least 1. */
    public Builder maxPoolSize(int v) {
      this.maxPoolSize = AmqpSettings.Builder.atLeast("maxPoolSize", v, 1);
      return this;
    }

    /** Connections beyond {@code maxPoolSize}; at least 0. */
    public Builder maxOverflow(int v) {
      this.maxOverflow = AmqpSettings.Builder.atLeast("maxOverflow", v, 0);
      return this;
    }

    /** How long {@code getConnection()} waits; positive. */
    public Builder poolTimeout(Duration d) {
      this.poolTimeout = AmqpSettings.Builder.positive("poolTimeout", d);
      return this;
    }

    /** Maximum age of a pooled connection; positive. */
    public Builder connectionRecycleTime(Duration d) {
      this.connectionRecycleTime = AmqpSettings.Builder.positive("connectionRecycleTime", d);
      return this;
    }

    /** Start-up connect attempts; empty = forever. */
    public Builder maxRetries(OptionalInt v) {
      Objects.requireNonNull(v, "maxRetries");
      if (v.isPresent()) {
        AmqpSettings.Builder.atLeast("maxRetries", v.getAsInt(), 0);
      }
      this.maxRetries = v;
      return this;
    }

    /** Pause between start-up connect attempts. */
    public Builder retryInterval(Duration d) {
      this.retryInterval = RetrySettings.nonNegative("retryInterval", d);
      return this;
    }

    /** Session {@code sql_mode}. */
    public Builder sqlMode(String v) {
      this.sqlMode = Objects.requireNonNull(v, "sqlMode");
      return this;
    }

    /** Session {@code wsrep_sync_wait} (0..15), or empty. */
    public Builder wsrepSyncWait(OptionalInt v) {
      Objects.requireNonNull(v, "wsrepSyncWait");
      if (v.isPresent() && (v.getAsInt() < 0 || v.getAsInt() > 15)) {
        throw new IllegalArgumentException(
            "wsrepSyncWait out of range: expected a value from 0 to 15, was " + v.getAsInt());
      }
      this.wsrepSyncWait = v;
      return this;
    }

    /** Unit-of-work retry. */
    public Builder retry(DbRetrySettings v) {
      this.retry = Objects.requireNonNull(v, "retry");
      return this;
    }

    /** Health check period; at least {@link #MIN_CHECK_INTERVAL}. */
    public Builder checkInterval(Duration d) {
      this.checkInterval = AmqpSettings.Builder.atLeast("checkInterval", d, MIN_CHECK_INTERVAL);
      return this;
    }

    /** Health check timeout; at least {@link #MIN_CHECK_INTERVAL}. */
    public Builder checkTimeout(Duration d) {
      this.checkTimeout = AmqpSettings.Builder.atLeast("checkTimeout", d, MIN_CHECK_INTERVAL);
      return this;
    }

    /** Timeouts before a node is down; at least 1. */
    public Builder fallCount(int v) {
      this.fallCount = AmqpSettings.Builder.atLeast("fallCount", v, 1);
      return this;
    }

    /** Healthy checks before a node is up; at least 1. */
    public Builder riseCount(int v) {
      this.riseCount = AmqpSettings.Builder.atLeast("riseCount", v, 1);
      return this;
    }

    /** Failback policy. */
    public Builder failback(FailbackPolicy v) {
      this.failback = Objects.requireNonNull(v, "failback");
      return this;
    }

    /** How long a planned writer switch waits. */
    public Builder drainTimeout(Duration d) {
      this.drainTimeout = RetrySettings.nonNegative("drainTimeout", d);
      return this;
    }

    /** Whether a donor node may serve. */
    public Builder availableWhenDonor(boolean v) {
      this.availableWhenDonor = v;
      return this;
    }

    /** Whether reads are spread over non-writer nodes. */
    public Builder readerRouting(boolean v) {
      this.readerRouting = v;
      return this;
    }

    /**
     * Whether units of work that are not idempotent write commit markers.
     *
     * @since 0.3
     */
    public Builder commitMarkers(boolean v) {
      this.commitMarkers = v;
      return this;
    }

    /**
     * The commit marker table: an unquoted SQL identifier ({@code [A-Za-z_][A-Za-z0-9_$]*}, at most
     * 64 characters), optionally qualified by a schema name of the same form.
     *
     * @since 0.3
     */
    public Builder commitMarkerTable(String v) {
      Objects.requireNonNull(v, "commitMarkerTable");
      if (!TABLE_NAME.matcher(v).matches()) {
        throw new IllegalArgumentException(
            "commitMarkerTable must be a table name like ha4j_commit_markers or schema.table"
                + " (letters, digits, _ and $, not starting with a digit, at most 64 characters"
                + " per part), was '"
                + v.replaceAll("\\p{Cntrl}", "?")
                + "'");
      }
      this.commitMarkerTable = v;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws InvalidSettingsException (an {@code IllegalStateException}) listing every broken
     *     rule: no node or no user name set, no node that may become the writer (all priorities
     *     negative)
     */
    public GaleraSettings build() {
      List<InvalidSettingsException.Violation> violations = new ArrayList<>();
      if (nodes.isEmpty()) {
        violations.add(
            new InvalidSettingsException.Violation(List.of("nodes"), "no Galera node configured"));
      } else if (nodes.stream().allMatch(n -> n.priority() < 0)) {
        violations.add(
            new InvalidSettingsException.Violation(
                List.of("nodes"),
                "every node has a negative priority, so none may become the writer"));
      }
      if (username.isEmpty()) {
        violations.add(
            new InvalidSettingsException.Violation(
                List.of("username"), "no database user name configured"));
      }
      if (!violations.isEmpty()) {
        throw new InvalidSettingsException(violations);
      }
      return new GaleraSettings(this);
    }
  }
}

package io.ha4j.jdbc;

import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.internal.Environment;
import io.ha4j.jdbc.internal.GaleraCore;
import io.ha4j.jdbc.internal.NodeIo;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over a Galera cluster that lends connections to one writer node only: the
 * healthy node with the best priority (ties in configured order), so every instance with the same
 * configuration writes to the same node and Galera certification conflicts between them cannot
 * happen. A monitor checks every node's wsrep state each {@code check_interval} on its own
 * connection; a dead writer is replaced at once, a writer an operator takes out ({@code
 * wsrep_desync}, {@code wsrep_reject_queries}, {@code read_only}) or a failback is drained first.
 * {@link #call(SqlFunction)} re-runs a unit of work on 1213, 1047 and a connection lost before
 * COMMIT, with oslo.db's backoff.
 *
 * <p>Thread-safe. Close it to stop the monitor and the node pools.
 *
 * @since 0.1
 */
public final class GaleraDataSource implements DataSource, AutoCloseable {

  /**
   * Life cycle of a {@link GaleraDataSource}.
   *
   * @since 0.1
   */
  public enum State {
    /** {@link Builder#build()} is checking the nodes for the first time. */
    OPENING,
    /** There is a writer: {@link #getConnection()} lends from it at once. */
    OPEN,
    /**
     * No writer for now (no node is a healthy writer, or a planned switch drains the old one);
     * {@link #getConnection()} waits up to {@code pool_timeout} for one.
     */
    RECOVERING,
    /** {@link #close()} is running. */
    CLOSING,
    /** Closed by the application, or start-up gave up. */
    CLOSED
  }

  private final GaleraCore core;
  private final String name;
  private final GaleraSettings settings;

  private GaleraDataSource(GaleraCore core, String name, GaleraSettings settings) {
    this.core = core;
    this.name = name;
    this.settings = settings;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A connection to the current writer. While no node is a healthy writer (or a planned switch
   * drains the old one) it waits up to the pool timeout ({@code [database] pool_timeout}, 30 s by
   * default), then throws an {@link SQLException} naming every node with its last state; at once
   * when TLS verification failed on every node (no wait can fix that).
   */
  @Override
  public Connection getConnection() throws SQLException {
    return core.getConnection();
  }

  /** Not supported: the credentials come from the settings. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException(
        "GaleraDataSource uses the configured credentials; call getConnection()");
  }

  /**
   * A data source for reads: connections to a healthy node other than the writer, in turn, or to
   * the writer when there is none (or {@code [galera] reader_routing} is off). With {@code
   * mysql_wsrep_sync_wait} set, reads are causal.
   */
  public DataSource readers() {
    return new ReaderDataSource(core);
  }

  /** The current writer as {@code host:port}, if any. */
  public Optional<String> writer() {
    return core.writer();
  }

  /**
   * The life-cycle state: {@link State#OPEN} while there is a writer, {@link State#RECOVERING}
   * while there is none.
   *
   * @since 0.1
   */
  public State state() {
    return core.state();
  }

  /** Every node as the monitor last saw it, in configured order. */
  public List<NodeStatus> nodes() {
    return core.nodes();
  }

  /** Units of work re-run so far, by reason. */
  public Map<GaleraErrors.Kind, Long> retries() {
    return core.retries();
  }

  /**
   * COMMITs whose answer was lost and whose outcome was resolved with a commit marker, by outcome
   * ({@code true}: it had committed; {@code false}: it had not, and the work was run again).
   *
   * @since 0.3
   */
  public Map<Boolean, Long> commitResolutions() {
    return core.commitResolutions();
  }

  /**
   * Runs {@code work} in one transaction on the writer and commits; re-runs it from the start in a
   * fresh transaction after a 1213 (deadlock, certification failure), a 1047 (node not ready) or a
   * connection lost before COMMIT was sent (and a 1205 lock wait timeout when the builder asked for
   * it), sleeping as oslo.db's {@code wrap_db_retry}.
   *
   * <p>A connection lost during COMMIT: with commit markers on ({@code [galera] commit_markers},
   * the default) the work also inserts a marker row (a random id) into the commit marker table in
   * its transaction, and after the loss ha4j forces and reads the outcome on the current writer:
   * committed, this returns the work's result; not committed, the work is run again. So the work
   * commits at most once and the caller learns whether it did. {@link
   * CommitOutcomeUnknownException} is thrown only when the outcome could not be read before the
   * retries ran out or the data source closed, and always with markers off.
   *
   * @return what {@code work} returned in the run that committed
   * @throws SQLException the last failure when it cannot be retried or the retries are spent
   */
  public <T> T call(SqlFunction<T> work) throws SQLException {
    return core.call(work, false);
  }

  /** As {@link #call(SqlFunction)} without a result. */
  public void run(SqlWork work) throws SQLException {
    core.call(
        c -> {
          work.accept(c);
          return null;
        },
        false);
  }

  /**
   * As {@link #call(SqlFunction)}, but {@code work} is safe to run again after a COMMIT whose
   * outcome is unknown (it checks whether its effect is already there, or its effect is the same
   * when applied twice): a connection lost during COMMIT re-runs it too.
   */
  public <T> T callIdempotent(SqlFunction<T> work) throws SQLException {
    return core.call(work, true);
  }

  /**
   * Stops the monitor and closes every node pool; borrowed connections are closed too. Returns
   * promptly: a status query in flight is not waited for (it closes its own connection when it
   * ends), and the pools are closed at the same time. Idempotent.
   */
  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return "GaleraDataSource["
        + name
        + ", writer="
        + writer().orElse("none")
        + ", "
        + core.describeNodes()
        + "]";
  }

  /** Always null: logging goes through slf4j. */
  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  /** Ignored: logging goes through slf4j. */
  @Override
  public void setLogWriter(PrintWriter out) {
    // logging goes through slf4j
  }

  /** Ignored: the pool timeout of the settings applies. */
  @Override
  public void setLoginTimeout(int seconds) {
    // the pool timeout of the settings applies
  }

  /** The pool timeout of the settings, in seconds. */
  @Override
  public int getLoginTimeout() {
    return (int) settings.poolTimeout().toSeconds();
  }

  /** Not supported: logging goes through slf4j. */
  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("logging goes through slf4j");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper of " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  /** The reader side: the plumbing of a {@link DataSource} that lends reader connections. */
  private static final class ReaderDataSource implements DataSource {
    private final GaleraCore core;

    ReaderDataSource(GaleraCore core) {
      this.core = core;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return core.getReaderConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("uses the configured credentials");
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("logging goes through slf4j");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }

  /**
   * Builds a {@link GaleraDataSource}. Each method checks its argument ({@link
   * NullPointerException} for null, {@link IllegalArgumentException} naming the property and the
   * bad value). Not thread-safe; reusable.
   */
  public static final class Builder {
    private GaleraSettings settings;
    private String name = "galera";
    private final List<GaleraListener> listeners = new ArrayList<>();
    private boolean retryLockWaitTimeout;
    private Boolean commitMarkers; // null: as the settings say

    private Builder() {}

    /** The settings (required). */
    public Builder settings(GaleraSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** A name for threads, pools and logs (default "galera"): not blank, no control characters. */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            "name must be non-blank without control characters: '"
                + name.replaceAll("\\p{Cntrl}", "?")
                + "'");
      }
      this.name = name;
      return this;
    }

    /** Adds a listener. */
    public Builder listener(GaleraListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Whether units of work are re-run after a 1205 lock wait timeout (default false). */
    public Builder retryLockWaitTimeout(boolean retry) {
      this.retryLockWaitTimeout = retry;
      return this;
    }

    /**
     * Whether units of work run with {@link GaleraDataSource#call(SqlFunction)} and {@link
     * GaleraDataSource#run(SqlWork)} write a commit marker, so that a COMMIT whose answer is lost
     * is resolved instead of throwing {@link CommitOutcomeUnknownException}; overrides the
     * settings' {@code [galera] commit_markers} (default true).
     *
     * @since 0.3
     */
    public Builder commitMarkers(boolean on) {
      this.commitMarkers = on;
      return this;
    }

    /**
     * Checks every node once and starts the monitor. Tolerates nodes that are down; when none
     * answers it tries again every {@code retry_interval} up to {@code max_retries} times, as
     * oslo.db does at start-up.
     *
     * <p>Like the rest of ha4j's API outside the JDBC interfaces, it throws unchecked exceptions
     * only (see {@link io.ha4j.config.HaException}).
     *
     * @throws IllegalStateException when no settings were given
     * @throws GaleraConnectException when no node answered within that budget (a {@link
     *     io.ha4j.config.GiveUpException}), or at the first attempt when TLS verification failed on
     *     every node ({@link GaleraErrors.Kind#TLS}: a configuration error, not retried)
     * @throws IllegalArgumentException when the TLS client certificate or key ({@code ssl_cert},
     *     {@code ssl_key}) cannot be read, naming the file
     * @throws io.ha4j.config.OperationInterruptedException when the thread is interrupted meanwhile
     *     (the interrupt flag is set again)
     */
    public GaleraDataSource build() {
      if (settings == null) {
        throw new IllegalStateException("settings are required");
      }
      GaleraSettings s =
          commitMarkers == null
              ? settings
              : settings.toBuilder().commitMarkers(commitMarkers).build();
      GaleraCore core =
          GaleraCore.open(
              s,
              name,
              List.copyOf(listeners),
              retryLockWaitTimeout,
              Environment.system(),
              NodeIo.jdbc(settings, name));
      return new GaleraDataSource(core, name, s);
    }
  }
}

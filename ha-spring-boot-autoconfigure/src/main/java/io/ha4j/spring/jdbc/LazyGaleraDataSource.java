package io.ha4j.spring.jdbc;

import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.jdbc.GaleraListener;
import io.ha4j.jdbc.NodeStatus;
import io.ha4j.jdbc.SqlFunction;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;

/**
 * The application's {@link DataSource}: a {@link GaleraDataSource} started on first use (as Boot's
 * own pools connect on first use), so that creating the context does not wait for the database; the
 * first {@code getConnection()} waits for oslo.db's start-up budget ({@code [database]
 * max_retries}, {@code retry_interval}). Every connection is lent from the current Galera writer.
 * {@link #unwrap(Class)} gives the {@link GaleraDataSource}. Thread-safe.
 *
 * @since 0.1
 */
public final class LazyGaleraDataSource implements DataSource, DisposableBean {

  private final GaleraSettings settings;
  private final String name;
  private final boolean retryLockWaitTimeout;
  private final Supplier<List<GaleraListener>> listeners;
  private final Object lock = new Object();
  private volatile GaleraDataSource galera;
  private volatile boolean closed;

  /**
   * A data source that builds its {@link GaleraDataSource} on first use.
   *
   * @param settings the Galera settings
   * @param name name for threads, pools and logs
   * @param retryLockWaitTimeout whether units of work are also re-run after a 1205
   * @param listeners the listeners to register when the data source is started
   */
  public LazyGaleraDataSource(
      GaleraSettings settings,
      String name,
      boolean retryLockWaitTimeout,
      Supplier<List<GaleraListener>> listeners) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.name = Objects.requireNonNull(name, "name");
    this.retryLockWaitTimeout = retryLockWaitTimeout;
    this.listeners = Objects.requireNonNull(listeners, "listeners");
  }

  /** The settings. */
  public GaleraSettings getSettings() {
    return settings;
  }

  /** Whether the Galera data source has been started (by a first use). */
  public boolean isStarted() {
    return galera != null;
  }

  /**
   * The Galera data source, started now if it was not.
   *
   * @return the started data source
   * @throws SQLException when no node answered within the start-up budget
   */
  public GaleraDataSource galera() throws SQLException {
    GaleraDataSource g = galera;
    if (g != null) {
      return g;
    }
    synchronized (lock) {
      if (closed) {
        throw new SQLException("data source " + name + " is closed");
      }
      if (galera == null) {
        GaleraDataSource.Builder b =
            GaleraDataSource.builder()
                .settings(settings)
                .name(name)
                .retryLockWaitTimeout(retryLockWaitTimeout);
        listeners.get().forEach(b::listener);
        galera = b.build();
      }
      return galera;
    }
  }

  /** The current writer as {@code host:port}; empty when none, or before the first use. */
  public Optional<String> writer() {
    GaleraDataSource g = galera;
    return g == null ? Optional.empty() : g.writer();
  }

  /** Every node as the monitor last saw it; empty before the first use. */
  public List<NodeStatus> nodes() {
    GaleraDataSource g = galera;
    return g == null ? List.of() : g.nodes();
  }

  /**
   * Runs a unit of work with oslo.db's retry: see {@link GaleraDataSource#call(SqlFunction)}.
   *
   * @param work the unit of work
   * @param <T> its result
   * @return what the committed run returned
   * @throws SQLException the last failure when it cannot be retried or the retries are spent
   */
  public <T> T call(SqlFunction<T> work) throws SQLException {
    return galera().call(work);
  }

  /**
   * As {@link #call(SqlFunction)} for work that is safe to run again after a COMMIT whose outcome
   * is unknown: see {@link GaleraDataSource#callIdempotent(SqlFunction)}.
   *
   * @param work the unit of work
   * @param <T> its result
   * @return what the committed run returned
   * @throws SQLException the last failure when it cannot be retried or the retries are spent
   */
  public <T> T callIdempotent(SqlFunction<T> work) throws SQLException {
    return galera().callIdempotent(work);
  }

  /** A connection to the current writer; starts the data source on first use. */
  @Override
  public Connection getConnection() throws SQLException {
    return galera().getConnection();
  }

  /** Not supported: the credentials come from the settings. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the credentials come from the ha4j settings");
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
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    if (iface.isAssignableFrom(GaleraDataSource.class)) {
      return iface.cast(galera());
    }
    throw new SQLException("not a wrapper of " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this) || iface.isAssignableFrom(GaleraDataSource.class);
  }

  /** Stops the monitor and closes the node pools. */
  @Override
  public void destroy() {
    synchronized (lock) {
      closed = true;
      if (galera != null) {
        galera.close();
      }
    }
  }

  @Override
  public String toString() {
    return "LazyGaleraDataSource["
        + name
        + ", nodes="
        + settings.nodes()
        + (isStarted() ? ", writer=" + writer().orElse("none") : ", not started")
        + "]";
  }
}

package io.ha4j.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes commit markers older than {@link CommitMarkers#MAX_AGE} on the writer, every {@link
 * #INTERVAL}, in batches of {@link CommitMarkers#PURGE_BATCH} rows, on a daemon thread of its own
 * so that no caller ever waits for it (and a slow writer delays no health check). Does nothing
 * until the data source created or found the table. Thread-safe.
 */
final class MarkerPurger {

  private static final Logger LOG = LoggerFactory.getLogger(MarkerPurger.class);

  /** Between two purges. */
  static final Duration INTERVAL = Duration.ofMinutes(5);

  /** Batches per purge: at most this many times {@link CommitMarkers#PURGE_BATCH} rows. */
  static final int BATCHES = 20;

  private final String name;
  private final CommitMarkers markers;
  private final UnitOfWork.Source source;
  private final ScheduledExecutorService executor;

  MarkerPurger(String name, CommitMarkers markers, UnitOfWork.Source source) {
    this.name = name;
    this.markers = markers;
    this.source = source;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ha4j-galera-markers-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    long period = INTERVAL.toNanos();
    try {
      executor.scheduleWithFixedDelay(this::purgeQuietly, period, period, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException ignored) {
      // closed meanwhile
    }
  }

  private void purgeQuietly() {
    try {
      int n = purgeNow();
      if (n > 0) {
        LOG.debug("Galera data source '{}': removed {} old commit marker(s)", name, n);
      }
    } catch (SQLException | RuntimeException e) {
      LOG.debug(
          "Galera data source '{}': removing old commit markers from {} failed (tried again in {}"
              + " s): {}",
          name,
          markers.table(),
          INTERVAL.toSeconds(),
          e.toString());
    }
  }

  /** One purge now, on the calling thread; 0 while the table is not known to exist. */
  int purgeNow() throws SQLException {
    if (!markers.tableReady()) {
      return 0;
    }
    try (Connection c = source.getConnection()) {
      return markers.purge(c, BATCHES, System.currentTimeMillis());
    }
  }

  /** Stops purging; a purge in flight is interrupted and ends with its connection. */
  void close() {
    executor.shutdownNow();
  }
}

package io.ha4j.jdbc.internal;

import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the data source reaches a node: a pool that lends application connections and a prober that
 * runs the status query on its own connection. The real one is JDBC ({@link #jdbc}); unit tests use
 * fakes.
 */
public interface NodeIo {

  /** The JDBC implementation: one HikariCP pool and one monitor connection per node. */
  static NodeIo jdbc(GaleraSettings settings, String name) {
    return new JdbcNodeIo(settings, name);
  }

  /** A new pool for {@code node}; it must not fail when the node is down. */
  /** Releases what the node I/O holds beyond its pools and probers (nothing by default). */
  default void close() {}

  Pool pool(GaleraNode node);

  /** A new prober for {@code node}. */
  Prober prober(GaleraNode node);

  /** The application connections to one node. */
  interface Pool {

    /** A connection, or an {@link SQLException} when none can be had in a short time. */
    Connection getConnection() throws SQLException;

    /** Closes idle connections now and borrowed ones when they come back. */
    void softEvict();

    /**
     * Closes {@code c}, a connection of this pool that is still borrowed and known to be dead,
     * instead of taking it back; call before closing it.
     */
    default void evict(Connection c) {}

    /**
     * Closes the network sockets of every connection of this pool at once, borrowed or idle, so
     * that a thread blocked on one fails now with a connection error instead of after the socket
     * timeout; for a node that is abandoned. Does nothing where the pool cannot reach its sockets.
     *
     * @return how many sockets were closed
     */
    default int cutSockets() {
      return 0;
    }

    /** Closes every connection. */
    void close();
  }

  /** Runs the status query; called by one thread at a time. */
  interface Prober {

    /** One answer or why there was none; never throws. */
    Probe probe();

    /** Closes the prober's connection, if any. */
    void close();
  }
}

package io.ha4j.jdbc.internal;

import io.ha4j.jdbc.GaleraErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Wraps a pooled connection so that every {@link SQLException} it or its statements throw is also
 * shown to {@code onError} (which asks the monitor to re-check the node at once) before it reaches
 * the application unchanged; remembers whether such an error said the node failed, and reports the
 * writes that succeed. The wrappers are plain delegating classes ({@link LentConnection} and its
 * statements), which keeps a borrow within a few percent of HikariCP's own (see the "Hot paths"
 * benchmarks in ha-benchmarks).
 */
final class Proxies {

  private Proxies() {}

  /**
   * {@code raw}, reporting its errors; {@code node} is what {@code toString()} names; {@code
   * onClose} runs when the application closes it, before {@code raw} is closed, and is told whether
   * an error on it said its node failed; {@code onWrite} runs after each {@code commit()} and each
   * update, batch or non-query {@code execute} in auto-commit mode that succeeded.
   */
  static Connection connection(
      Connection raw,
      String node,
      Consumer<SQLException> onError,
      Consumer<Boolean> onClose,
      Runnable onWrite) {
    return new LentConnection(raw, new Lease(raw, node, onError, onClose, onWrite));
  }

  /** The node a connection from {@link #connection} goes to, or null for another connection. */
  static String nodeOf(Connection c) {
    return c instanceof LentConnection l ? l.lease.node : null;
  }

  /** What a connection and its statements share. */
  static final class Lease {
    final Connection raw;
    final String node;
    final Consumer<SQLException> onError;
    final Consumer<Boolean> onClose;
    final Runnable onWrite;
    volatile boolean broken;

    Lease(
        Connection raw,
        String node,
        Consumer<SQLException> onError,
        Consumer<Boolean> onClose,
        Runnable onWrite) {
      this.raw = raw;
      this.node = node;
      this.onError = onError;
      this.onClose = onClose;
      this.onWrite = onWrite;
    }

    /** Shows {@code e} to the monitor (marking the lease broken if it says the node failed). */
    SQLException failed(SQLException e) {
      if (GaleraErrors.suspectsNode(e)) {
        broken = true;
      }
      onError.accept(e);
      return e;
    }

    /** A statement wrote: reported now in auto-commit mode, otherwise at {@code commit()}. */
    void wrote() throws SQLException {
      if (raw.getAutoCommit()) {
        onWrite.run();
      }
    }
  }
}

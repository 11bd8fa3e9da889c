package io.ha4j.jdbc;

import java.sql.SQLException;

/**
 * The connection was lost while COMMIT was on its way and the outcome is not known: the transaction
 * may or may not have been committed. With commit markers on ({@code [galera] commit_markers}, the
 * default) ha4j resolves the outcome itself and this is thrown only when it could not (the retries
 * ran out, the data source closed); with them off, a unit of work that is not idempotent throws it
 * whenever the connection is lost during COMMIT.
 *
 * @since 0.1
 */
public final class CommitOutcomeUnknownException extends SQLException {

  private static final long serialVersionUID = 1L;

  /** Wraps the loss seen during COMMIT on {@code node}. */
  public CommitOutcomeUnknownException(String node, SQLException cause) {
    super(
        "the connection to "
            + node
            + " was lost during COMMIT; the transaction may or may not be committed (mark the"
            + " work idempotent to have it re-run): "
            + cause.getMessage(),
        cause.getSQLState(),
        cause.getErrorCode(),
        cause);
  }

  /**
   * The outcome could not be resolved with the unit of work's commit marker: {@code why} says what
   * stopped it (never data or parameters).
   *
   * @since 0.3
   */
  public CommitOutcomeUnknownException(String node, SQLException cause, String why) {
    super(
        "the connection to "
            + node
            + " was lost during COMMIT and its outcome could not be resolved: "
            + why
            + ": "
            + cause.getMessage(),
        cause.getSQLState(),
        cause.getErrorCode(),
        cause);
  }
}

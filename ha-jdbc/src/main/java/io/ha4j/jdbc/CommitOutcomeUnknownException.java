package io.ha4j.jdbc;

import java.sql.SQLException;

/**
 * The connection was lost while COMMIT was on its way: the transaction may or may not have been
 * committed, so the unit of work is not re-run unless it was marked idempotent.
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
}

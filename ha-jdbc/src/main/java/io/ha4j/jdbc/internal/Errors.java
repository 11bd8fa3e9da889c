package io.ha4j.jdbc.internal;

import java.sql.SQLException;

/** Error texts for logs, events and exceptions. */
final class Errors {

  private Errors() {}

  /** Vendor code and the first line of the message, never parameters or passwords. */
  static String describe(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    if (nl > 0) {
      m = m.substring(0, nl);
    }
    return (e.getErrorCode() != 0 ? e.getErrorCode() + " " : "") + m;
  }

  /** Whether {@code e} or one of its causes is a {@code type}. */
  static boolean find(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}

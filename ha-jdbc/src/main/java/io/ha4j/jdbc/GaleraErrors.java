package io.ha4j.jdbc;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * Classifies database errors by MariaDB/MySQL vendor code (never by SQLSTATE: drivers disagree), as
 * a Galera client needs them. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class GaleraErrors {

  /** What an error means for the unit of work and for the node. */
  public enum Kind {
    /** 1213: deadlock or certification failure; re-run the whole unit of work. */
    DEADLOCK,
    /** 1047: node not ready, non-Primary or rejecting queries; mark it down, retry elsewhere. */
    NODE_NOT_READY,
    /** 1205: lock wait timeout; retried only when configured. */
    LOCK_WAIT_TIMEOUT,
    /** 1927, 2002, 2003, 2006, 2013, 4031, socket errors: the connection is gone. */
    CONNECTION_LOST,
    /** 1180, 1153 and other commit errors: re-running cannot help. */
    NOT_RETRYABLE,
    /** Anything else (constraint violations, syntax errors …): the caller's. */
    OTHER
  }

  private GaleraErrors() {}

  /** The kind of {@code e}, looking through causes and chained SQL exceptions. */
  public static Kind classify(Throwable e) {
    Kind fromCode = null;
    boolean lost = false;
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof SQLException s && s.getErrorCode() != 0) {
        Kind k = byCode(s.getErrorCode());
        if (k != null && fromCode == null) {
          fromCode = k;
        }
      }
      if (t instanceof SQLNonTransientConnectionException
          || t instanceof SQLTransientConnectionException
          || t instanceof SocketException
          || t instanceof SocketTimeoutException
          || t instanceof EOFException
          || (t instanceof SQLTimeoutException s && s.getErrorCode() == 0)
          || (t instanceof IOException && !(t instanceof java.io.FileNotFoundException))) {
        lost = true;
      }
    }
    if (fromCode != null) {
      return fromCode;
    }
    return lost ? Kind.CONNECTION_LOST : Kind.OTHER;
  }

  /** The kind of a vendor error code, or null if it has no Galera meaning. */
  static Kind byCode(int code) {
    return switch (code) {
      case 1213 -> Kind.DEADLOCK;
      case 1047 -> Kind.NODE_NOT_READY;
      case 1205 -> Kind.LOCK_WAIT_TIMEOUT;
      case 1927, 2002, 2003, 2006, 2013, 4031 -> Kind.CONNECTION_LOST;
      case 1180, 1153 -> Kind.NOT_RETRYABLE;
      default -> null;
    };
  }

  /** Whether the node that raised {@code e} should be re-checked at once. */
  public static boolean suspectsNode(Throwable e) {
    Kind k = classify(e);
    return k == Kind.NODE_NOT_READY || k == Kind.CONNECTION_LOST;
  }

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException s && s.getNextException() != null && s.getNextException() != t) {
      return s.getNextException();
    }
    Throwable c = t.getCause();
    return c == t ? null : c;
  }
}

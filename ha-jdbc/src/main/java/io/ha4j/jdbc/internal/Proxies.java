package io.ha4j.jdbc.internal;

import io.ha4j.jdbc.GaleraErrors;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * Wraps a pooled connection so that every {@link SQLException} it or its statements throw is also
 * shown to {@code onError} (which asks the monitor to re-check the node at once) before it reaches
 * the application unchanged; remembers whether such an error said the node failed, and reports the
 * writes that succeed.
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
    Lease lease = new Lease(raw, node, onError, onClose, onWrite);
    return (Connection)
        Proxy.newProxyInstance(
            Proxies.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new Handler(raw, lease, true));
  }

  /** The node a connection from {@link #connection} goes to, or null for another connection. */
  static String nodeOf(Connection c) {
    if (Proxy.isProxyClass(c.getClass()) && Proxy.getInvocationHandler(c) instanceof Handler h) {
      return h.lease.node;
    }
    return null;
  }

  private static boolean isOurs(Object o) {
    return Proxy.isProxyClass(o.getClass()) && Proxy.getInvocationHandler(o) instanceof Handler;
  }

  /** What a connection and its statements share. */
  private static final class Lease {
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
  }

  private static final class Handler implements InvocationHandler {
    final Object target;
    final Lease lease;
    final boolean isConnection;

    Handler(Object target, Lease lease, boolean isConnection) {
      this.target = target;
      this.lease = lease;
      this.isConnection = isConnection;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      String name = m.getName();
      switch (name) {
        case "toString":
          if (args == null) {
            return "ha4j connection to " + lease.node + " (" + target + ")";
          }
          break;
        case "equals":
          if (args != null && args.length == 1) {
            return proxy == args[0];
          }
          break;
        case "hashCode":
          if (args == null) {
            return System.identityHashCode(proxy);
          }
          break;
        case "close":
          if (args == null && isConnection) {
            lease.onClose.accept(lease.broken);
          }
          break;
        default:
      }
      Object result;
      try {
        result = m.invoke(target, args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof SQLException s) {
          if (GaleraErrors.suspectsNode(s)) {
            lease.broken = true;
          }
          lease.onError.accept(s);
        }
        throw cause;
      }
      if (isWrite(name, result)) {
        lease.onWrite.run();
      }
      if (result instanceof Statement s && !isOurs(s)) {
        Class<?> type =
            s instanceof CallableStatement
                ? CallableStatement.class
                : s instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        return Proxy.newProxyInstance(
            Proxies.class.getClassLoader(), new Class<?>[] {type}, new Handler(s, lease, false));
      }
      return result;
    }

    private boolean isWrite(String method, Object result) throws SQLException {
      if (isConnection) {
        return method.equals("commit");
      }
      boolean write =
          switch (method) {
            case "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch" -> true;
            case "execute" -> Boolean.FALSE.equals(result);
            default -> false;
          };
      return write && lease.raw.getAutoCommit();
    }
  }
}

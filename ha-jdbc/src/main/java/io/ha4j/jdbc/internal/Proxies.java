package io.ha4j.jdbc.internal;

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
 * the application unchanged.
 */
final class Proxies {

  private Proxies() {}

  /**
   * {@code raw}, reporting its errors; {@code node} is what {@code toString()} names; {@code
   * onClose} runs when the application closes it.
   */
  static Connection connection(
      Connection raw, String node, Consumer<SQLException> onError, Runnable onClose) {
    return (Connection)
        Proxy.newProxyInstance(
            Proxies.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new Handler(raw, node, onError, onClose));
  }

  /** The node a connection from {@link #connection} goes to, or null for another connection. */
  static String nodeOf(Connection c) {
    if (Proxy.isProxyClass(c.getClass()) && Proxy.getInvocationHandler(c) instanceof Handler h) {
      return h.node;
    }
    return null;
  }

  private static final class Handler implements InvocationHandler {
    final Object target;
    final String node;
    final Consumer<SQLException> onError;
    final Runnable onClose;

    Handler(Object target, String node, Consumer<SQLException> onError, Runnable onClose) {
      this.target = target;
      this.node = node;
      this.onError = onError;
      this.onClose = onClose;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      switch (m.getName()) {
        case "toString":
          if (args == null) {
            return "ha4j connection to " + node + " (" + target + ")";
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
          if (args == null) {
            onClose.run();
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
          onError.accept(s);
        }
        throw cause;
      }
      if (result instanceof Statement s && !(result instanceof Proxy)) {
        Class<?> type =
            s instanceof CallableStatement
                ? CallableStatement.class
                : s instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        return Proxy.newProxyInstance(
            Proxies.class.getClassLoader(),
            new Class<?>[] {type},
            new Handler(s, node, onError, () -> {}));
      }
      return result;
    }
  }
}

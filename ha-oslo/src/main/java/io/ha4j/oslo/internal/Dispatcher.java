package io.ha4j.oslo.internal;

import io.ha4j.oslo.Endpoint;
import io.ha4j.oslo.Param;
import io.ha4j.oslo.RequestContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds and invokes the endpoint method of an RPC request with oslo's rules: an endpoint matches
 * when its namespace equals the request's and its version is compatible; no match is {@code
 * UnsupportedVersion}; a match without the method is {@code NoSuchMethod}. Immutable.
 */
public final class Dispatcher {

  /** The outcome of a request: a result or a serialized failure. */
  public record Outcome(Object result, String failure) {}

  private record Bound(Object endpoint, String namespace, String version, Map<String, Method> m) {}

  private final List<Bound> endpoints = new ArrayList<>();

  /**
   * A dispatcher over endpoints in order.
   *
   * @throws IllegalArgumentException for an endpoint with two public methods of the same name, or a
   *     parameter without a name
   */
  public Dispatcher(List<?> endpoints) {
    for (Object e : endpoints) {
      Objects.requireNonNull(e, "endpoint");
      Endpoint a = e.getClass().getAnnotation(Endpoint.class);
      String ns = a == null || a.namespace().isEmpty() ? null : a.namespace();
      String version = a == null ? "1.0" : a.version();
      Wire.versionCompatible(version, version); // checks the format
      Map<String, Method> methods = new HashMap<>();
      for (Method m : e.getClass().getMethods()) {
        if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())) {
          continue;
        }
        if (methods.put(m.getName(), m) != null) {
          throw new IllegalArgumentException(
              e.getClass().getName() + " has two public methods named " + m.getName());
        }
        for (Parameter p : m.getParameters()) {
          if (p.getType() != RequestContext.class && name(p) == null) {
            throw new IllegalArgumentException(
                "parameter names of "
                    + e.getClass().getName()
                    + "."
                    + m.getName()
                    + " are not known: compile with -parameters or annotate with @Param");
          }
        }
        m.setAccessible(true);
      }
      this.endpoints.add(new Bound(e, ns, version, Map.copyOf(methods)));
    }
  }

  private static String name(Parameter p) {
    Param a = p.getAnnotation(Param.class);
    if (a != null) {
      return a.value();
    }
    return p.isNamePresent() ? p.getName() : null;
  }

  /** Dispatches one request; never throws. */
  public Outcome dispatch(
      RequestContext ctx, String method, Map<String, Object> args, String ns, String version) {
    String v = version == null ? "1.0" : version;
    boolean compatible = false;
    for (Bound b : endpoints) {
      boolean match;
      try {
        match = Objects.equals(b.namespace, ns) && Wire.versionCompatible(b.version, v);
      } catch (IllegalArgumentException e) {
        match = false;
      }
      if (!match) {
        continue;
      }
      Method m = method == null ? null : b.m.get(method);
      if (m != null) {
        return invoke(b.endpoint, m, ctx, args == null ? Map.of() : args);
      }
      compatible = true;
    }
    return new Outcome(
        null, compatible ? Wire.noSuchMethod(method) : Wire.unsupportedVersion(v, method));
  }

  private static Outcome invoke(
      Object endpoint, Method m, RequestContext ctx, Map<String, Object> args) {
    Object[] values;
    try {
      values = bind(m, ctx, args);
    } catch (RuntimeException e) {
      return new Outcome(null, Wire.failureOf(e));
    }
    try {
      Object r = m.invoke(endpoint, values);
      return new Outcome(m.getReturnType() == void.class ? null : r, null);
    } catch (InvocationTargetException e) {
      return new Outcome(null, Wire.failureOf(e.getCause()));
    } catch (IllegalAccessException | RuntimeException e) {
      return new Outcome(null, Wire.failureOf(e));
    }
  }

  static Object[] bind(Method m, RequestContext ctx, Map<String, Object> args) {
    Parameter[] ps = m.getParameters();
    Object[] values = new Object[ps.length];
    Set<String> used = new HashSet<>();
    for (int i = 0; i < ps.length; i++) {
      Parameter p = ps[i];
      if (p.getType() == RequestContext.class) {
        values[i] = ctx;
        continue;
      }
      String n = name(p);
      used.add(n);
      if (!args.containsKey(n)) {
        if (p.getType().isPrimitive()) {
          throw new IllegalArgumentException(
              m.getName() + "() missing required keyword argument: '" + n + "'");
        }
        continue;
      }
      values[i] = convert(args.get(n), p.getType(), m.getName(), n);
    }
    for (String k : args.keySet()) {
      if (!used.contains(k)) {
        throw new IllegalArgumentException(
            m.getName() + "() got an unexpected keyword argument '" + k + "'");
      }
    }
    return values;
  }

  private static Object convert(Object v, Class<?> type, String method, String name) {
    if (v == null) {
      if (type.isPrimitive()) {
        throw new IllegalArgumentException(
            method + "(): keyword argument '" + name + "' must not be null");
      }
      return null;
    }
    if (v instanceof Number n) {
      if (type == int.class || type == Integer.class) {
        return exact(n, method, name).intValueExact();
      }
      if (type == long.class || type == Long.class) {
        return exact(n, method, name).longValueExact();
      }
      if (type == short.class || type == Short.class) {
        return exact(n, method, name).shortValueExact();
      }
      if (type == double.class || type == Double.class) {
        return n.doubleValue();
      }
      if (type == float.class || type == Float.class) {
        return n.floatValue();
      }
      if (type == BigInteger.class) {
        return exact(n, method, name).toBigIntegerExact();
      }
      if (type == BigDecimal.class) {
        return new BigDecimal(n.toString());
      }
    }
    if (type.isPrimitive() && type == boolean.class && v instanceof Boolean) {
      return v;
    }
    if (type.isInstance(v)) {
      return v;
    }
    throw new IllegalArgumentException(
        method
            + "(): keyword argument '"
            + name
            + "' is a "
            + v.getClass().getSimpleName()
            + ", not a "
            + type.getSimpleName());
  }

  private static BigDecimal exact(Number n, String method, String name) {
    BigDecimal d = new BigDecimal(n.toString());
    try {
      d.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          method + "(): keyword argument '" + name + "' is not an integer: " + n, e);
    }
    return d;
  }
}

package io.ha4j.cli.internal;

import io.ha4j.oslo.Param;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The endpoint of {@code ha4j rpc serve} (default namespace, version 1.0): {@code echo(value)},
 * {@code add(a, b)}, {@code fail(message)} and {@code whoami()}. Each request is reported to a
 * consumer as {@code {"event":"request","method":…, <arguments>}} before it runs. Thread-safe.
 */
public final class RpcTestEndpoint {

  private final String server;
  private final Consumer<Map<String, Object>> requests;

  RpcTestEndpoint(String server, Consumer<Map<String, Object>> requests) {
    this.server = server;
    this.requests = requests;
  }

  /**
   * The value given.
   *
   * @param value any JSON value
   * @return {@code value}
   */
  public Object echo(@Param("value") Object value) {
    report("echo", "value", value);
    return value;
  }

  /**
   * The sum of two numbers (an integer when both are integers), or the concatenation of two
   * strings, as Python's {@code a + b}.
   *
   * @param a a number or a string
   * @param b a number or a string
   * @return {@code a + b}
   * @throws IllegalArgumentException when the operands cannot be added
   */
  public Object add(@Param("a") Object a, @Param("b") Object b) {
    report("add", "a", a, "b", b);
    if (a instanceof String x && b instanceof String y) {
      return x + y;
    }
    if (integral(a) && integral(b)) {
      BigInteger sum = new BigInteger(a.toString()).add(new BigInteger(b.toString()));
      return sum.bitLength() < 64 ? (Object) sum.longValue() : sum;
    }
    if (a instanceof Number x && b instanceof Number y && !(a instanceof Boolean)) {
      return new BigDecimal(x.toString()).add(new BigDecimal(y.toString())).doubleValue();
    }
    throw new IllegalArgumentException(
        "unsupported operand type(s) for +: " + typeName(a) + " and " + typeName(b));
  }

  /**
   * Fails with {@code message}: the caller receives a remote failure whose {@code exc_type} is
   * {@code TestFailure}.
   *
   * @param message the message of the failure
   * @return never
   * @throws TestFailure always
   */
  public Object fail(@Param("message") String message) {
    report("fail", "message", message);
    throw new TestFailure(message);
  }

  /**
   * The server name given to {@code ha4j rpc serve}.
   *
   * @return the server name
   */
  public String whoami() {
    report("whoami");
    return server;
  }

  private void report(String method, Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "request");
    m.put("method", method);
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    requests.accept(m);
  }

  private static boolean integral(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof BigInteger;
  }

  private static String typeName(Object v) {
    return v == null ? "NoneType" : v.getClass().getSimpleName();
  }

  /** The failure {@link #fail(String)} raises. */
  public static final class TestFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TestFailure(String message) {
      super(message);
    }
  }
}

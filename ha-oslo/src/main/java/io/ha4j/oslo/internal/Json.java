package io.ha4j.oslo.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.jr.ob.JSON;

/** JSON as oslo's jsonutils reads and writes it: maps keep their order, floats are doubles. */
public final class Json {

  // oslo reads "result": null and "failure": null; jackson-jr leaves null entries out by default
  private static final JSON JSON =
      tools.jackson.jr.ob.JSON.std.with(tools.jackson.jr.ob.JSON.Feature.WRITE_NULL_PROPERTIES);

  private Json() {}

  /** Writes a value (maps, lists, strings, numbers, booleans, null, records and beans). */
  public static String write(Object value) {
    return JSON.asString(value);
  }

  /** Reads any JSON value. */
  public static Object read(String json) {
    return JSON.anyFrom(json);
  }

  /** Reads any JSON value from UTF-8 bytes. */
  public static Object read(byte[] json) {
    return read(new String(json, StandardCharsets.UTF_8));
  }

  /**
   * Reads a JSON object.
   *
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readMap(String json) {
    Object v;
    try {
      v = read(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return (Map<String, Object>) v;
  }
}

package io.ha4j.testkit;

import io.ha4j.testkit.internal.Json;
import java.util.Map;

/**
 * A small JSON reader and writer for tests, so that a test can check a command's JSON output (or
 * {@code scripts/cluster}'s) without a JSON library on its class path. Objects are {@code
 * Map<String,Object>} in document order, arrays {@code List<Object>}, integers {@code Long}, other
 * numbers {@code Double}.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class TestJson {

  private TestJson() {}

  /**
   * Parses one JSON value.
   *
   * @throws IllegalArgumentException for malformed JSON or trailing text, with the offset
   */
  public static Object parse(String json) {
    return Json.parse(json);
  }

  /**
   * Parses one JSON object.
   *
   * @throws IllegalArgumentException for malformed JSON or a value that is not an object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String json) {
    Object v = Json.parse(json);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException(
          "expected a JSON object, got " + (v == null ? "null" : v.getClass().getSimpleName()));
    }
    return (Map<String, Object>) v;
  }

  /**
   * Renders maps, iterables, strings, numbers, booleans and null as one line of JSON; any other
   * value is written as its {@code toString()}.
   */
  public static String write(Object value) {
    return Json.write(value);
  }
}

package io.ha4j.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.jr.ob.JSON;

/**
 * The command's JSON output, written with jackson-jr: one line, map entries in insertion order,
 * null values kept. Values are maps, iterables, strings, numbers, booleans and null; anything else
 * (a {@code Duration}, an enum) is written as its {@code toString()}, never as a bean.
 */
final class JsonOut {

  private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

  private JsonOut() {}

  static String write(Object value) {
    return WRITER.asString(plain(value));
  }

  private static Object plain(Object v) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, x) -> copy.put(String.valueOf(k), plain(x)));
      return copy;
    }
    if (v instanceof Iterable<?> it) {
      List<Object> copy = new ArrayList<>();
      it.forEach(x -> copy.add(plain(x)));
      return copy;
    }
    return v.toString();
  }
}

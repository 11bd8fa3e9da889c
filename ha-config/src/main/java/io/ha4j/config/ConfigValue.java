package io.ha4j.config;

import java.util.List;

/**
 * The effective value of one option and where it came from. Immutable.
 *
 * @param section the section, e.g. {@code oslo_messaging_rabbit}
 * @param name the option name
 * @param value the converted value: {@code String}, {@code Long}, {@code Double}, {@code Boolean},
 *     {@code List<String>}, or null for oslo's {@code <None>}
 * @param source {@code <file>:<line>}, {@code default}, {@code env:<NAME>}, {@code
 *     property:<NAME>}, {@code url} (a {@code transport_url} query parameter) or {@code builder}
 * @param secret whether the value is a password or a URL carrying one
 * @since 0.1
 */
public record ConfigValue(
    String section, String name, Object value, String source, boolean secret) {

  /** Copies a list value. */
  public ConfigValue {
    if (value instanceof List<?> l) {
      value = List.copyOf(l);
    }
  }

  /** The value safe to show: passwords as {@code ***}, URLs with their passwords masked. */
  public Object displayValue() {
    if (!secret || value == null) {
      return value;
    }
    String s = value.toString();
    return s.contains("://") ? TransportUrl.mask(s) : "***";
  }

  @Override
  public String toString() {
    return "[" + section + "] " + name + " = " + displayValue() + " (" + source + ")";
  }
}

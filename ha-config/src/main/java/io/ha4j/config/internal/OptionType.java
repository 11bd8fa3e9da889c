package io.ha4j.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Option value types, converted as oslo.config converts them. */
public enum OptionType {
  /** Any text. */
  STRING("a string"),
  /** A whole number ({@code int()} in Python: optional sign, digits, surrounding blanks). */
  INTEGER("an integer"),
  /** A decimal number. */
  FLOAT("a number"),
  /** oslo.config booleans: 1/0, true/false, t/f, yes/no, y/n, on/off, any case. */
  BOOLEAN("a boolean (true/false, yes/no, on/off, 1/0)"),
  /** Comma-separated items, blanks around items dropped, empty items dropped. */
  LIST("a comma-separated list");

  private final String expected;

  OptionType(String expected) {
    this.expected = expected;
  }

  /** What a valid value looks like, for messages. */
  public String expected() {
    return expected;
  }

  /**
   * Converts the raw text.
   *
   * @throws IllegalArgumentException with what was expected
   */
  public Object convert(String raw) {
    String s = raw.strip();
    switch (this) {
      case STRING:
        return raw;
      case INTEGER:
        try {
          return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected " + expected);
        }
      case FLOAT:
        try {
          if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new NumberFormatException(s);
          }
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected " + expected);
        }
      case BOOLEAN:
        switch (s.toLowerCase(Locale.ROOT)) {
          case "1", "t", "true", "on", "y", "yes":
            return Boolean.TRUE;
          case "0", "f", "false", "off", "n", "no":
            return Boolean.FALSE;
          default:
            throw new IllegalArgumentException("expected " + expected);
        }
      case LIST:
        List<String> items = new ArrayList<>();
        for (String item : s.split(",")) {
          if (!item.isBlank()) {
            items.add(item.strip());
          }
        }
        return List.copyOf(items);
      default:
        throw new AssertionError(this);
    }
  }

  /** Renders a converted value the way oslo-config-generator prints defaults. */
  public static String osloText(Object value) {
    if (value == null) {
      return "<None>";
    }
    if (value instanceof List<?> l) {
      return String.join(",", l.stream().map(String::valueOf).toList());
    }
    if (value instanceof Boolean b) {
      return b ? "true" : "false";
    }
    return String.valueOf(value);
  }
}

package io.ha4j.config.internal;

import java.util.List;
import java.util.Locale;

/**
 * One known option: where it lives, its type, its default (the converted value, {@code null} for
 * oslo's {@code <None>}), its bounds and its deprecated aliases.
 *
 * @param section the section it belongs to
 * @param name the option name
 * @param type how its text is converted
 * @param defaultValue the default, equal to oslo's
 * @param secret whether the value is a password (or a URL that carries one)
 * @param min the smallest number allowed, or null
 * @param max the largest number allowed, or null
 * @param choices the allowed values (compared case-insensitively), or empty
 * @param aliases other names that set this option
 * @param help one line on what it does
 */
public record OptionSpec(
    String section,
    String name,
    OptionType type,
    Object defaultValue,
    boolean secret,
    Double min,
    Double max,
    List<String> choices,
    List<Alias> aliases,
    String help) {

  /**
   * Another name for an option.
   *
   * @param section where the alias may appear
   * @param name the alias
   * @param deprecated whether using it earns a warning naming the replacement
   */
  public record Alias(String section, String name, boolean deprecated) {}

  /** The key {@code section.name}. */
  public String qualifiedName() {
    return section + "." + name;
  }

  /**
   * Checks bounds and choices of a converted value.
   *
   * @return null when valid, else what is expected
   */
  public String check(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if ((min != null && d < min) || (max != null && d > max)) {
        return "out of range: expected "
            + (min != null && max != null
                ? "a value from " + num(min) + " to " + num(max)
                : min != null ? "a value >= " + num(min) : "a value <= " + num(max));
      }
    }
    if (!choices.isEmpty() && value instanceof String s) {
      if (choices.stream().noneMatch(c -> c.equalsIgnoreCase(s.strip()))) {
        return "expected one of " + String.join(", ", choices);
      }
    }
    return null;
  }

  /** Normalises a valid choice to its canonical spelling. */
  public Object canonical(Object value) {
    if (!choices.isEmpty() && value instanceof String s) {
      for (String c : choices) {
        if (c.equalsIgnoreCase(s.strip())) {
          return c;
        }
      }
    }
    if (type == OptionType.STRING && value instanceof String s && choices.isEmpty()) {
      return s;
    }
    return value;
  }

  private static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public String toString() {
    return "[" + section + "] " + name + " (" + type.name().toLowerCase(Locale.ROOT) + ")";
  }
}

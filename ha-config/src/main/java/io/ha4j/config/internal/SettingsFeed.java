package io.ha4j.config.internal;

import io.ha4j.config.InvalidSettingsException;
import io.ha4j.config.internal.Resolver.Value;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Hands option values to one settings builder and reports what the builder refuses at the file and
 * line of the option that fed it. The settings builders hold every rule on a value and between
 * values (one place per rule); this is what turns their exceptions into {@link
 * io.ha4j.config.ConfigProblem}s a user can find in the file. One feed serves one builder, since it
 * remembers which option fed which setting.
 */
final class SettingsFeed {

  private final EffectiveValues values;
  private final ProblemList problems;

  /** Which option fed which builder setting, for {@link #reportInvalid}. */
  private final Map<String, Value> fed = new LinkedHashMap<>();

  SettingsFeed(EffectiveValues values, ProblemList problems) {
    this.values = values;
    this.problems = problems;
  }

  /**
   * Passes one option to a settings builder; an argument the builder refuses becomes an error at
   * the option's location, and building goes on to find more.
   *
   * @param setting the builder setting, as {@link InvalidSettingsException.Violation} names it
   */
  void apply(String setting, String section, String name, Consumer<Value> setter) {
    Value v = values.get(section, name);
    fed.put(setting, v);
    try {
      setter.accept(v);
    } catch (IllegalArgumentException e) {
      invalid(v, e.getMessage());
    }
  }

  /** Records that a setting passed to the builder some other way came from an option. */
  void fedBy(String setting, Value v) {
    fed.put(setting, v);
  }

  /** Reports a value as refused, at its location. */
  void invalid(Value v, String message) {
    problems.error(v.location(), v.section(), v.key(), v.text(), message);
  }

  /**
   * Reports each rule a builder's {@code build()} found broken at the option that fed its first
   * setting, naming the options that fed the others and where they were set.
   *
   * @param fallback where to report a rule whose first setting no option fed
   */
  void reportInvalid(InvalidSettingsException e, Value fallback) {
    for (InvalidSettingsException.Violation violation : e.violations()) {
      Value first = fed.getOrDefault(violation.settings().get(0), fallback);
      StringBuilder m = new StringBuilder();
      for (String other : violation.settings().subList(1, violation.settings().size())) {
        Value o = fed.get(other);
        if (o != null) {
          m.append(m.length() == 0 ? "conflicts with " : ", ")
              .append(o.key())
              .append(" = ")
              .append(o.text())
              .append(" (")
              .append(o.location())
              .append(')');
        }
      }
      invalid(first, (m.length() == 0 ? "" : m + ": ") + violation.message());
    }
  }

  /** A string option's value, empty when unset. */
  static String str(Value v) {
    return v.value() == null ? "" : (String) v.value();
  }

  static boolean bool(Value v) {
    return (Boolean) v.value();
  }

  /** An integer option's value as an {@code int}; one that does not fit is out of range. */
  static int integer(Value v) {
    long n = (Long) v.value();
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "out of range: expected a value from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  /** An integer (whole seconds) or float option's value as a duration. */
  static Duration duration(Value v) {
    if (v.value() instanceof Double d) {
      return Duration.ofNanos(Math.round(d * 1e9));
    }
    return Duration.ofSeconds((Long) v.value());
  }
}

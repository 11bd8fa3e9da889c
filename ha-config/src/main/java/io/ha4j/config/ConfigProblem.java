package io.ha4j.config;

import java.util.Objects;

/**
 * One problem found in the configuration: where (a {@code file:line}, {@code env:NAME}, {@code
 * property:NAME}, {@code url} or a path), which section and key, the offending value (masked when
 * it is a secret) and what was expected. Immutable.
 *
 * @param severity error (the configuration is refused) or warning (it is used, but look at it)
 * @param location where the value came from; never null
 * @param section the section, or empty when the problem is not about one option
 * @param key the option name, or empty
 * @param value the offending value as written (masked when secret), or empty
 * @param message what is wrong and what is expected
 * @since 0.1
 */
public record ConfigProblem(
    Severity severity, String location, String section, String key, String value, String message) {

  /** How bad a problem is. */
  public enum Severity {
    /** The configuration cannot be used. */
    ERROR,
    /** The configuration is used, but something in it is deprecated, unknown or ignored. */
    WARNING
  }

  /** Checks that no component is null. */
  public ConfigProblem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(message, "message");
  }

  /** Whether this problem makes the configuration unusable. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /**
   * One line: {@code error: app.conf:12: [oslo_messaging_rabbit] rabbit_retry_interval = 'abc':
   * expected an integer}.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(severity == Severity.ERROR ? "error: " : "warning: ").append(location).append(": ");
    if (!section.isEmpty()) {
      b.append('[').append(section).append("] ");
    }
    if (!key.isEmpty()) {
      b.append(key);
      if (!value.isEmpty()) {
        b.append(" = '").append(value).append('\'');
      }
      b.append(": ");
    }
    return b.append(message).toString();
  }
}

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

  /**
   * A builder; severity, location and message must be set, section, key and value default to empty.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this problem. */
  public Builder toBuilder() {
    return new Builder(this);
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

  /**
   * Builds a {@link ConfigProblem}. Each method rejects null ({@code NullPointerException}); {@link
   * #build()} needs severity, location and message ({@code IllegalStateException}). The value given
   * must already be masked when it is a secret. Not thread-safe; reusable.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Severity severity;
    private String location;
    private String section = "";
    private String key = "";
    private String value = "";
    private String message;

    private Builder() {}

    private Builder(ConfigProblem p) {
      severity = p.severity;
      location = p.location;
      section = p.section;
      key = p.key;
      value = p.value;
      message = p.message;
    }

    /** Error or warning. */
    public Builder severity(Severity v) {
      this.severity = Objects.requireNonNull(v, "severity");
      return this;
    }

    /** Where the value came from: {@code file:line}, {@code env:NAME}, … */
    public Builder location(String v) {
      this.location = Objects.requireNonNull(v, "location");
      return this;
    }

    /** The section, or empty. */
    public Builder section(String v) {
      this.section = Objects.requireNonNull(v, "section");
      return this;
    }

    /** The option name, or empty. */
    public Builder key(String v) {
      this.key = Objects.requireNonNull(v, "key");
      return this;
    }

    /** The offending value as written, masked when secret, or empty. */
    public Builder value(String v) {
      this.value = Objects.requireNonNull(v, "value");
      return this;
    }

    /** What is wrong and what is expected. */
    public Builder message(String v) {
      this.message = Objects.requireNonNull(v, "message");
      return this;
    }

    /**
     * Builds the problem.
     *
     * @throws IllegalStateException when severity, location or message is not set
     */
    public ConfigProblem build() {
      if (severity == null || location == null || message == null) {
        throw new IllegalStateException(
            "severity, location and message must be set (severity="
                + severity
                + ", location="
                + location
                + ", message set="
                + (message != null)
                + ")");
      }
      return new ConfigProblem(severity, location, section, key, value, message);
    }
  }
}

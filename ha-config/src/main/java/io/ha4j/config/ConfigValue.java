package io.ha4j.config;

import java.util.List;
import java.util.Objects;

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

  /** Checks that section, name and source are not null; copies a list value. */
  public ConfigValue {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    if (value instanceof List<?> l) {
      value = List.copyOf(l);
    }
  }

  /** A builder; section, name and source must be set; the value defaults to null (unset). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this value. */
  public Builder toBuilder() {
    return new Builder(this);
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

  /**
   * Builds a {@link ConfigValue}. Each method rejects a null argument ({@code
   * NullPointerException}) except {@link #value(Object)}; {@link #build()} needs section, name and
   * source ({@code IllegalStateException}). Not thread-safe; reusable.
   *
   * @since 0.1
   */
  public static final class Builder {
    private String section;
    private String name;
    private Object value;
    private String source;
    private boolean secret;

    private Builder() {}

    private Builder(ConfigValue v) {
      section = v.section;
      name = v.name;
      value = v.value;
      source = v.source;
      secret = v.secret;
    }

    /** The section, e.g. {@code oslo_messaging_rabbit}. */
    public Builder section(String v) {
      this.section = Objects.requireNonNull(v, "section");
      return this;
    }

    /** The option name. */
    public Builder name(String v) {
      this.name = Objects.requireNonNull(v, "name");
      return this;
    }

    /** The converted value, or null for oslo's {@code <None>}. */
    public Builder value(Object v) {
      this.value = v;
      return this;
    }

    /** Where the value came from: {@code file:line}, {@code default}, … */
    public Builder source(String v) {
      this.source = Objects.requireNonNull(v, "source");
      return this;
    }

    /** Whether the value is a password or a URL carrying one. */
    public Builder secret(boolean v) {
      this.secret = v;
      return this;
    }

    /**
     * Builds the value.
     *
     * @throws IllegalStateException when section, name or source is not set
     */
    public ConfigValue build() {
      if (section == null || name == null || source == null) {
        throw new IllegalStateException(
            "section, name and source must be set (section="
                + section
                + ", name="
                + name
                + ", source="
                + source
                + ")");
      }
      return new ConfigValue(section, name, value, source, secret);
    }

    /** Shows a secret value only as {@code ***}. */
    @Override
    public String toString() {
      return "ConfigValue.Builder[" + section + "." + name + " = " + (secret ? "***" : value) + "]";
    }
  }
}

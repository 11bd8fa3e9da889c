package io.ha4j.oslo;

import java.util.Locale;

/**
 * Notification priorities of oslo.messaging. The wire value is upper case ({@code INFO}); routing
 * keys and listener endpoint methods use lower case ({@code notifications.info}, {@code info}).
 *
 * @since 0.1
 */
public enum Priority {
  /** {@code AUDIT}. */
  AUDIT,
  /** {@code DEBUG}. */
  DEBUG,
  /** {@code INFO}. */
  INFO,
  /** {@code WARN}; oslo's {@code warning()} sends this one too. */
  WARN,
  /** {@code ERROR}. */
  ERROR,
  /** {@code CRITICAL}. */
  CRITICAL,
  /** {@code SAMPLE}. */
  SAMPLE;

  /** The wire value, e.g. {@code INFO}. */
  public String wireName() {
    return name();
  }

  /** The lower-case name used in routing keys and endpoint methods, e.g. {@code info}. */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The priority of a wire value in any case; {@code warning} is {@link #WARN}.
   *
   * @throws IllegalArgumentException for an unknown priority
   */
  public static Priority parse(String value) {
    String v = value.toUpperCase(Locale.ROOT);
    if (v.equals("WARNING")) {
      return WARN;
    }
    try {
      return valueOf(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown notification priority '" + value + "'", e);
    }
  }
}

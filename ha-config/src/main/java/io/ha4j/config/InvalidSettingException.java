package io.ha4j.config;

import java.util.List;
import java.util.Objects;

/**
 * One setting has a value that passed parsing but cannot be used when the resource is built: a TLS
 * file that is missing, unreadable or holds the wrong thing, a key that does not match its
 * certificate, an unsupported protocol version. A {@link ConfigException} (bad input, not a broker
 * or network failure), with the option and the offending value (a file name, never a secret) and
 * the cause.
 *
 * @since 0.1
 */
public class InvalidSettingException extends ConfigException {

  private static final long serialVersionUID = 1L;

  private final String section;
  private final String option;
  private final String value;

  /**
   * An exception for {@code [section] option = value}.
   *
   * @param section the section of the option, e.g. {@code oslo_messaging_rabbit}
   * @param option the option name, e.g. {@code ssl_ca_file}
   * @param value the offending value as written (a file name); never a secret
   * @param message what is wrong and what is expected
   * @param cause the underlying error, or null
   */
  public InvalidSettingException(
      String section, String option, String value, String message, Throwable cause) {
    super(
        List.of(
            new ConfigProblem(
                ConfigProblem.Severity.ERROR,
                "settings",
                Objects.requireNonNull(section, "section"),
                Objects.requireNonNull(option, "option"),
                Objects.requireNonNull(value, "value"),
                Objects.requireNonNull(message, "message"))));
    this.section = section;
    this.option = option;
    this.value = value;
    if (cause != null) {
      initCause(cause);
    }
  }

  /** The section of the option. */
  public String section() {
    return section;
  }

  /** The option name. */
  public String option() {
    return option;
  }

  /** The offending value as written. */
  public String value() {
    return value;
  }
}

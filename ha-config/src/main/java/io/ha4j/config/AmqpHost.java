package io.ha4j.config;

import io.ha4j.config.internal.UrlParts;
import java.util.Objects;

/**
 * One RabbitMQ node to connect to, with the credentials for it. Immutable; {@link #toString()}
 * never shows the password.
 *
 * @param host host name or address (IPv6 without brackets)
 * @param port AMQP port
 * @param username user name
 * @param password password
 * @since 0.1
 */
public record AmqpHost(String host, int port, String username, String password) {

  /** The AMQP port oslo assumes when a host has none: {@value}. */
  public static final int DEFAULT_PORT = 5672;

  /** The host oslo connects to when none is configured ({@code rabbit_host}): {@value}. */
  public static final String DEFAULT_HOST_NAME = "localhost";

  /** oslo's user name when none is configured ({@code rabbit_userid}): {@value}. */
  public static final String DEFAULT_USERNAME = "guest";

  /** oslo's password when none is configured ({@code rabbit_password}): {@value}. */
  public static final String DEFAULT_PASSWORD = "guest";

  /** Checks the components. */
  public AmqpHost {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
  }

  /** A host with oslo's default credentials {@code guest}/{@code guest}. */
  public static AmqpHost of(String host, int port) {
    return new AmqpHost(host, port, DEFAULT_USERNAME, DEFAULT_PASSWORD);
  }

  /** {@code host:port}, IPv6 in brackets. */
  public String hostAndPort() {
    return UrlParts.render(host, port);
  }

  /** {@code user:***@host:port}. */
  @Override
  public String toString() {
    return username + ":***@" + hostAndPort();
  }
}

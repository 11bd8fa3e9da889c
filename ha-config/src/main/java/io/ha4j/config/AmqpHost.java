package io.ha4j.config;

import io.ha4j.config.internal.UrlParts;
import java.util.Objects;

/**
 * One RabbitMQ node to connect to, with the credentials for it. Immutable; built by {@link
 * #builder()}, {@link #of(String, int)} or the canonical constructor, which check the same rules.
 * {@link #toString()} never shows the password.
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

  /** Checks the components as the builder methods do. */
  public AmqpHost {
    checkHost(host);
    checkPort(port);
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** A host with oslo's default credentials {@code guest}/{@code guest}. */
  public static AmqpHost of(String host, int port) {
    return new AmqpHost(host, port, DEFAULT_USERNAME, DEFAULT_PASSWORD);
  }

  /**
   * A builder holding {@link #DEFAULT_HOST_NAME}, {@link #DEFAULT_PORT} and oslo's default
   * credentials.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this host. */
  public Builder toBuilder() {
    return new Builder(this);
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

  private static String checkHost(String host) {
    return UrlParts.requireHost(host);
  }

  private static int checkPort(int port) {
    return UrlParts.requirePort(port);
  }

  /**
   * Builds an {@link AmqpHost}. Each method checks its own argument ({@code NullPointerException}
   * for null, {@code IllegalArgumentException} naming the setting and the bad value). Not
   * thread-safe; reusable.
   *
   * @since 0.1
   */
  public static final class Builder {
    private String host = DEFAULT_HOST_NAME;
    private int port = DEFAULT_PORT;
    private String username = DEFAULT_USERNAME;
    private String password = DEFAULT_PASSWORD;

    private Builder() {}

    private Builder(AmqpHost h) {
      host = h.host;
      port = h.port;
      username = h.username;
      password = h.password;
    }

    /** Host name or address (IPv6 without brackets); not blank. */
    public Builder host(String v) {
      this.host = checkHost(v);
      return this;
    }

    /** AMQP port, 1..65535. */
    public Builder port(int v) {
      this.port = checkPort(v);
      return this;
    }

    /** User name. */
    public Builder username(String v) {
      this.username = Objects.requireNonNull(v, "username");
      return this;
    }

    /** Password; never shown by {@link AmqpHost#toString()}. */
    public Builder password(String v) {
      this.password = Objects.requireNonNull(v, "password");
      return this;
    }

    /** Builds the host. */
    public AmqpHost build() {
      return new AmqpHost(host, port, username, password);
    }

    /** Shows no password. */
    @Override
    public String toString() {
      return "AmqpHost.Builder[" + username + ":***@" + UrlParts.render(host, port) + "]";
    }
  }
}

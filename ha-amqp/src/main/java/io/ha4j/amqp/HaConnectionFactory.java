package io.ha4j.amqp;

import io.ha4j.amqp.internal.Environment;
import io.ha4j.amqp.internal.Events;
import io.ha4j.amqp.internal.Prober;
import io.ha4j.amqp.internal.RabbitConnector;
import io.ha4j.amqp.internal.RecoveringConnection;
import io.ha4j.amqp.internal.Sleeper;
import io.ha4j.amqp.internal.Tls;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.InvalidSettingException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Creates {@link HaConnection}s to a RabbitMQ cluster from {@link AmqpSettings}: the host list is
 * shuffled once per factory (or kept in the configured order), each connection walks it on
 * oslo.messaging's retry schedule, and recovers on its own after losing its node. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * HaConnectionFactory factory = HaConnectionFactory.builder().settings(config.amqp()).build();
 * try (HaConnection c = factory.newConnection()) { ... }
 * }</pre>
 *
 * @since 0.1
 */
public final class HaConnectionFactory {

  private final AmqpSettings settings;
  private final List<AmqpHost> hosts;
  private final List<AmqpListener> listeners;
  private final String connectionName;
  private final SSLContext sslContext;
  private final AtomicInteger unnamed = new AtomicInteger();

  private HaConnectionFactory(Builder b) {
    this.sslContext = b.settings.ssl() ? Tls.context(b.settings) : null;
    this.settings = b.settings;
    List<AmqpHost> h = new ArrayList<>(b.settings.hosts());
    if (b.settings.hostOrder() == AmqpSettings.HostOrder.SHUFFLE) {
      Collections.shuffle(h, new SecureRandom());
    }
    this.hosts = List.copyOf(h);
    this.listeners = List.copyOf(b.listeners);
    this.connectionName = b.connectionName;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The settings. */
  public AmqpSettings settings() {
    return settings;
  }

  /** The hosts in the order connections try them. */
  public List<AmqpHost> hosts() {
    return hosts;
  }

  /**
   * Connects to the first host that accepts, on the retry schedule. Blocks until connected. The
   * connection is named after the factory's {@linkplain Builder#connectionName(String) connection
   * name} and a number counting from 1 per factory ({@code ha4j-1}, {@code ha4j-2} …), so that log
   * lines, events and the broker's management UI tell the connections of one factory apart.
   *
   * @throws AmqpConnectException when the retry budget is spent, or every host of a full cycle
   *     refused the credentials or the virtual host
   */
  public HaConnection newConnection() {
    return newConnection(connectionName + "-" + unnamed.incrementAndGet());
  }

  /**
   * As {@link #newConnection()}, with a name of its own: the name in every log line and {@link
   * AmqpEvent#connection()} of this connection, in its thread names and, as {@code
   * connection_name}, in the broker's management UI. Names need not be unique, but only unique
   * names tell connections apart.
   *
   * @param name e.g. {@code orders-publisher}; not blank, no control characters
   * @throws NullPointerException for null
   * @throws IllegalArgumentException for a blank name or one with control characters
   * @throws AmqpConnectException when the retry budget is spent, or every host of a full cycle
   *     refused the credentials or the virtual host
   * @since 0.1.0
   */
  public HaConnection newConnection(String name) {
    checkName(name);
    Random random = new Random();
    Environment env =
        new Environment(
            new RabbitConnector(settings, hosts, name, sslContext),
            Sleeper.SYSTEM,
            System::nanoTime,
            random::nextInt);
    return RecoveringConnection.open(settings, hosts, env, new Events(name, listeners), name);
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "connectionName");
    if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "connection name must be non-blank without control characters: '"
              + name.replaceAll("\\p{Cntrl}", "?")
              + "'");
    }
    return name;
  }

  /**
   * Connects once to one host, without retrying, with this factory's settings (virtual host, TLS,
   * SASL mechanism, heartbeat, connect and handshake time-outs) and the host's own credentials;
   * reads what the broker reports and closes the connection. For health checks such as {@code ha4j
   * check}. Thread-safe; blocks at most about the connect plus the handshake time-out.
   *
   * @param host any RabbitMQ host, usually one of {@link AmqpSettings#hosts()}
   * @return the outcome; a failed attempt is a result, not an exception
   * @throws NullPointerException for null
   * @since 0.1
   */
  public HostProbe probe(AmqpHost host) {
    Objects.requireNonNull(host, "host");
    RabbitConnector connector =
        new RabbitConnector(settings, List.of(host), connectionName, sslContext);
    String user =
        settings.loginMethod() == AmqpSettings.LoginMethod.EXTERNAL ? "" : host.username();
    return Prober.probe(connector, host.hostAndPort(), user, System::nanoTime);
  }

  /**
   * {@link #probe(AmqpHost)} for every configured host, one after the other, in the configured
   * order (not the shuffled connection order).
   *
   * @since 0.1
   */
  public List<HostProbe> probeAll() {
    return settings.hosts().stream().map(this::probe).toList();
  }

  @Override
  public String toString() {
    return "HaConnectionFactory[" + connectionName + ", hosts=" + hosts + "]";
  }

  /**
   * Builds an {@link HaConnectionFactory}; reusable.
   *
   * @since 0.1
   */
  public static final class Builder {
    private AmqpSettings settings = AmqpSettings.ofDefaults();
    private final List<AmqpListener> listeners = new ArrayList<>();
    private String connectionName = "ha4j";

    private Builder() {}

    /** The settings; default {@link AmqpSettings#ofDefaults()}. */
    public Builder settings(AmqpSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** Adds a listener for the events of every connection. */
    public Builder listener(AmqpListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The base of the names of connections opened without a name of their own (default "ha4j"):
     * {@link HaConnectionFactory#newConnection()} names them {@code name-1}, {@code name-2} …;
     * {@link HaConnectionFactory#probe} uses it as is.
     *
     * @throws IllegalArgumentException for a blank name or one with control characters
     */
    public Builder connectionName(String name) {
      this.connectionName = checkName(name);
      return this;
    }

    /**
     * The factory.
     *
     * @throws IllegalStateException for settings this version cannot honour
     * @throws InvalidSettingException for {@code ssl_*} options that cannot work (unreadable or
     *     mismatched files, an unknown {@code ssl_version}), naming the option and the file
     */
    public HaConnectionFactory build() {
      if (settings.quorumQueue() && settings.haQueues()) {
        throw new IllegalStateException(
            "rabbit_quorum_queue and rabbit_ha_queues exclude each other; choose one");
      }
      return new HaConnectionFactory(this);
    }
  }
}

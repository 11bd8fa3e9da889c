package io.ha4j.oslo;

import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.oslo.internal.Client;
import io.ha4j.oslo.internal.Listener;
import io.ha4j.oslo.internal.NotifierImpl;
import io.ha4j.oslo.internal.Server;
import io.ha4j.oslo.internal.TransportCore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entry point of ha-oslo, as oslo.messaging's transport: one recovering connection for sending
 * (shared by its clients and notifiers, with one reply queue for all their calls), and a connection
 * of its own for every server and listener.
 *
 * <pre>{@code
 * try (OsloTransport transport = OsloTransport.create(factory, OsloSettings.from(config))) {
 *   Object sum = transport.rpcClient(Target.topic("calc")).call(Map.of(), "add", Map.of("a", 40, "b", 2));
 *   RpcServer server = transport.rpcServer(Target.topic("calc").withServer("host1"), new Calculator());
 *   server.start();
 * }
 * }</pre>
 *
 * Thread-safe.
 *
 * @since 0.1
 */
public final class OsloTransport implements AutoCloseable {

  private final TransportCore core;
  private final List<AutoCloseable> owned = new ArrayList<>();

  private OsloTransport(TransportCore core) {
    this.core = core;
  }

  /**
   * Opens a transport: connects its sending connection (blocks until connected, on the retry
   * schedule of the factory's settings).
   *
   * @param factory makes the connections; its settings should be {@code settings.amqp()}
   * @param settings the oslo settings
   */
  public static OsloTransport create(HaConnectionFactory factory, OsloSettings settings) {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(settings, "settings");
    return new OsloTransport(new TransportCore(factory, settings));
  }

  /** The settings. */
  public OsloSettings settings() {
    return core.settings();
  }

  /** A client for a target, with the {@code rpc_response_timeout}. */
  public RpcClient rpcClient(Target target) {
    return new Client(core, target);
  }

  /**
   * An RPC server (not started) for a target with a server name, dispatching to endpoints in order.
   *
   * @throws IllegalArgumentException when the target has no server, or an endpoint cannot be used
   *     (two public methods with one name, parameter names unknown)
   */
  public RpcServer rpcServer(Target target, Object... endpoints) {
    Server s = new Server(core, target, List.of(endpoints));
    register(s);
    return s;
  }

  /** A notifier with a {@code publisher_id}. */
  public Notifier notifier(String publisherId) {
    return new NotifierImpl(core, publisherId, Clock.systemUTC());
  }

  /** A builder of a notification listener. */
  public NotificationListenerBuilder notificationListener() {
    return new NotificationListenerBuilder();
  }

  private synchronized void register(AutoCloseable c) {
    owned.add(c);
  }

  /** Stops the servers and listeners built here that still run, then closes the connection. */
  @Override
  public void close() {
    List<AutoCloseable> all;
    synchronized (this) {
      all = new ArrayList<>(owned);
      owned.clear();
    }
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        // closing the rest matters more
      }
    }
    core.close();
  }

  @Override
  public String toString() {
    return "OsloTransport[" + core.settings() + "]";
  }

  /**
   * Builds a {@link NotificationListener} of this transport; not thread-safe.
   *
   * @since 0.1
   */
  public final class NotificationListenerBuilder {
    private final List<Target> targets = new ArrayList<>();
    private final List<NotificationEndpoint> endpoints = new ArrayList<>();
    private String pool;

    private NotificationListenerBuilder() {}

    /** Adds a target: its topic (e.g. {@code notifications}) and optional exchange. */
    public NotificationListenerBuilder target(Target target) {
      targets.add(Objects.requireNonNull(target, "target"));
      return this;
    }

    /** Adds an endpoint. */
    public NotificationListenerBuilder endpoint(NotificationEndpoint endpoint) {
      endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
      return this;
    }

    /**
     * A pool name: listeners of one pool share one queue named after it (each notification goes to
     * one of them); without a pool every listener reads {@code <topic>.<priority>}.
     */
    public NotificationListenerBuilder pool(String pool) {
      Objects.requireNonNull(pool, "pool");
      if (pool.isEmpty()) {
        throw new IllegalArgumentException("pool must not be empty");
      }
      this.pool = pool;
      return this;
    }

    /**
     * The listener, not started.
     *
     * @throws IllegalArgumentException without targets or endpoints, or when no endpoint overrides
     *     a priority method
     */
    public NotificationListener build() {
      Listener l = new Listener(core, targets, endpoints, pool);
      register(l);
      return l;
    }
  }
}

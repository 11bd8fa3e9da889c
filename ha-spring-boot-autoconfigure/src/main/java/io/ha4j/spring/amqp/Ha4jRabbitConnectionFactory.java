package io.ha4j.spring.amqp;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AddressResolver;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.CredentialsProvider;
import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.AmqpListener;
import io.ha4j.amqp.ConnectSchedule;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Spring AMQP's {@link ConnectionFactory} with ha4j's connect loop in front of a {@link
 * CachingConnectionFactory}: each connection attempt goes to one host of the (once shuffled) host
 * list with that host's credentials, and failed attempts are followed by kombu's schedule ({@link
 * ConnectSchedule}: no pause inside a cycle over the hosts, {@code rabbit_retry_interval} growing
 * by {@code rabbit_retry_backoff} up to {@code rabbit_interval_max} after each full cycle), until
 * {@code rabbit_max_retries} is spent: then {@link AmqpConnectException}. After an established
 * connection is lost, it waits {@code kombu_reconnect_delay} once and starts with the next host,
 * reconnecting in the background so that listeners, health and the next publish find it ready.
 * {@code RabbitTemplate}s, {@code RabbitAdmin} and listener containers use it as any connection
 * factory; everything else (channel cache, publisher confirms, returns) is the delegate's.
 *
 * <p>Thread-safe: connection attempts are serialized; an open connection is returned without
 * locking.
 *
 * @since 0.1
 */
public final class Ha4jRabbitConnectionFactory
    implements ConnectionFactory,
        DisposableBean,
        ApplicationContextAware,
        ApplicationListener<ContextClosedEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(Ha4jRabbitConnectionFactory.class);

  /** What the factory is doing, for health reports. */
  public enum State {
    /** No connection was asked for yet. */
    IDLE,
    /** Connecting for the first time. */
    OPENING,
    /** Connected to a node. */
    OPEN,
    /** The connection was lost; reconnecting on the schedule. */
    RECOVERING,
    /** The attempt budget was spent; the next use starts a new schedule. */
    GAVE_UP,
    /** Destroyed with the application context. */
    CLOSED
  }

  /** Pauses between attempts; replaced in tests. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final CachingConnectionFactory delegate;
  private final AmqpSettings settings;
  private final List<AmqpHost> hosts;
  private final Supplier<List<AmqpListener>> listeners;
  private final Sleeper sleeper;
  private final ReentrantLock connectLock = new ReentrantLock();
  private final Object sleepLock = new Object();
  private final Map<String, String> lastErrors = Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile AmqpHost target;
  private volatile State state = State.IDLE;
  private volatile String currentHost;
  private volatile boolean connected;
  private volatile boolean closed;
  private volatile String lostHost;
  private volatile long lostAt;
  private volatile boolean reconnectPending;
  private volatile int nextStart;
  private volatile String lastGiveUp = "";

  /**
   * A factory connecting {@code delegate} through ha4j. Sets the delegate's address resolver and
   * the credentials provider of its amqp-client factory; configure everything else on it first.
   *
   * @param delegate a caching connection factory, not used elsewhere
   * @param settings hosts, schedule and delays
   * @param hosts the hosts in the order to try them (shuffled once, or as configured)
   * @param listeners the listeners to tell about attempts, failovers and give-ups
   */
  public Ha4jRabbitConnectionFactory(
      CachingConnectionFactory delegate,
      AmqpSettings settings,
      List<AmqpHost> hosts,
      Supplier<List<AmqpListener>> listeners) {
    this(delegate, settings, hosts, listeners, null);
  }

  Ha4jRabbitConnectionFactory(
      CachingConnectionFactory delegate,
      AmqpSettings settings,
      List<AmqpHost> hosts,
      Supplier<List<AmqpListener>> listeners,
      Sleeper sleeper) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.hosts = List.copyOf(hosts);
    if (this.hosts.isEmpty()) {
      throw new IllegalArgumentException("no RabbitMQ host configured");
    }
    this.listeners = Objects.requireNonNull(listeners, "listeners");
    this.sleeper = sleeper == null ? this::sleepInterruptibly : sleeper;
    this.target = this.hosts.get(0);
    delegate.setAddressResolver(new TargetResolver());
    delegate.getRabbitConnectionFactory().setCredentialsProvider(new TargetCredentials());
    delegate.addConnectionListener(new Tracker());
  }

  private void sleepInterruptibly(Duration d) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    synchronized (sleepLock) {
      long left;
      while (!closed && (left = end - System.nanoTime()) > 0) {
        sleepLock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** The caching connection factory connections come from (channel cache, confirms). */
  public CachingConnectionFactory getTargetConnectionFactory() {
    return delegate;
  }

  /** The hosts in the order they are tried. */
  public List<AmqpHost> getHosts() {
    return hosts;
  }

  /** What the factory is doing now. */
  public State getState() {
    return state;
  }

  /** {@code host:port} of the node connected to, empty while not connected. */
  public Optional<String> getCurrentHost() {
    return connected ? Optional.ofNullable(currentHost) : Optional.empty();
  }

  /** The last error seen at each host that failed an attempt, {@code host:port} to message. */
  public Map<String, String> getLastErrors() {
    synchronized (lastErrors) {
      return Map.copyOf(lastErrors);
    }
  }

  /** The message of the last give-up, or empty. */
  public String getLastGiveUp() {
    return lastGiveUp;
  }

  @Override
  public Connection createConnection() throws AmqpException {
    if (connected) {
      try {
        return delegate.createConnection();
      } catch (AmqpException e) {
        if (closed) {
          throw e;
        }
        // lost under our feet: the shutdown listener has reset the state, connect below
      }
    }
    connectLock.lock();
    try {
      if (connected) {
        return delegate.createConnection();
      }
      return connect();
    } finally {
      connectLock.unlock();
    }
  }

  private Connection connect() {
    if (closed) {
      throw new AmqpConnectException(new IllegalStateException("connection factory is closed"));
    }
    String from = lostHost;
    state = from == null ? State.OPENING : State.RECOVERING;
    if (reconnectPending) {
      reconnectPending = false;
      pause(settings.reconnectDelay());
    }
    int base = nextStart;
    ConnectSchedule schedule =
        ConnectSchedule.of(settings.retry(), hosts.size(), settings.failoverStrategy());
    long start = System.nanoTime();
    while (true) {
      int index = (base + schedule.host()) % hosts.size();
      AmqpHost h = hosts.get(index);
      target = h;
      int attempt = schedule.attempt();
      emit(() -> new AmqpEvent.Attempt(h.hostAndPort(), attempt));
      try {
        Connection c = delegate.createConnection();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        nextStart = index;
        currentHost = h.hostAndPort();
        connected = true;
        state = State.OPEN;
        lastGiveUp = "";
        emit(() -> new AmqpEvent.Connected(h.hostAndPort(), attempt, took));
        if (from != null) {
          Duration down = Duration.ofNanos(System.nanoTime() - lostAt);
          lostHost = null;
          LOG.info(
              "RabbitMQ connection recovered from {} on {} in {} ms", from, h, down.toMillis());
          emit(() -> new AmqpEvent.Recovered(from, h.hostAndPort(), down, 0));
        } else {
          LOG.info("RabbitMQ connection open to {} after {} attempt(s)", h, attempt);
        }
        return c;
      } catch (AmqpException e) {
        if (closed) {
          throw e;
        }
        String error = describe(e);
        lastErrors.put(h.hostAndPort(), error);
        Optional<Duration> sleep = schedule.failed();
        if (sleep.isEmpty()) {
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          String msg =
              "could not connect to any RabbitMQ host after "
                  + attempt
                  + " attempt(s) in "
                  + took.toMillis()
                  + " ms; last error per host: "
                  + getLastErrors();
          lastGiveUp = msg;
          state = State.GAVE_UP;
          // thrown to the caller, who reports it; the background reconnect logs its own
          emit(() -> new AmqpEvent.GaveUp(attempt, took, msg));
          throw new AmqpConnectException(msg, e);
        }
        Duration d = sleep.get();
        LOG.debug("RabbitMQ attempt {} to {} failed ({}), next in {}", attempt, h, error, d);
        emit(() -> new AmqpEvent.AttemptFailed(h.hostAndPort(), attempt, error, d));
        pause(d);
      }
    }
  }

  private void pause(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      sleeper.sleep(d);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new AmqpConnectException(new IllegalStateException("interrupted while reconnecting"));
    }
    if (closed) {
      throw new AmqpConnectException(new IllegalStateException("connection factory is closed"));
    }
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private void emit(Supplier<AmqpEvent> event) {
    List<AmqpListener> ls = listeners.get();
    if (ls.isEmpty()) {
      return;
    }
    AmqpEvent e = event.get();
    for (AmqpListener l : ls) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ex) {
        LOG.warn("AMQP listener {} failed on '{}': {}", l, e, ex.toString());
      }
    }
  }

  private void lost(String reason) {
    String h = currentHost;
    if (!connected || closed) {
      return;
    }
    connected = false;
    lostHost = h;
    lostAt = System.nanoTime();
    reconnectPending = true;
    state = State.RECOVERING;
    for (int i = 0; i < hosts.size(); i++) {
      if (hosts.get(i).hostAndPort().equals(h)) {
        nextStart = (i + 1) % hosts.size();
      }
    }
    LOG.warn("RabbitMQ connection to {} lost: {}", h, reason);
    emit(() -> new AmqpEvent.ConnectionLost(h, reason));
    Thread t =
        new Thread(
            () -> {
              try {
                createConnection();
              } catch (RuntimeException e) {
                if (!closed) {
                  // nobody else to tell: no caller waits on a background reconnect
                  LOG.error("RabbitMQ reconnect after losing {} gave up: {}", h, e.getMessage());
                }
              }
            },
            "ha4j-spring-rabbit-reconnect");
    t.setDaemon(true);
    t.start();
  }

  /** Hands amqp-client the one host of the current attempt. */
  private final class TargetResolver implements AddressResolver {
    @Override
    public List<Address> getAddresses() {
      AmqpHost h = target;
      return List.of(new Address(h.host(), h.port()));
    }

    @Override
    public String toString() {
      return "ha4j hosts " + hosts;
    }
  }

  /** The credentials of the host of the current attempt (transport_url may give one per host). */
  private final class TargetCredentials implements CredentialsProvider {
    @Override
    public String getUsername() {
      return target.username();
    }

    @Override
    public String getPassword() {
      return target.password();
    }

    @Override
    public String toString() {
      return "ha4j credentials of the host being connected to";
    }
  }

  /** Follows the delegate's connection: open, closed by us, or lost. */
  private final class Tracker implements ConnectionListener {
    @Override
    public void onCreate(Connection connection) {
      // recorded by connect(), which knows the host and the attempt
    }

    @Override
    public void onShutDown(ShutdownSignalException signal) {
      if (!signal.isInitiatedByApplication()) {
        lost(signal.getMessage() == null ? "shutdown" : signal.getMessage());
      }
    }
  }

  @Override
  public String getHost() {
    AmqpHost h = target;
    return h.host();
  }

  @Override
  public int getPort() {
    return target.port();
  }

  @Override
  public String getVirtualHost() {
    return delegate.getVirtualHost();
  }

  @Override
  public String getUsername() {
    return target.username();
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    delegate.addConnectionListener(listener);
  }

  @Override
  public boolean removeConnectionListener(ConnectionListener listener) {
    return delegate.removeConnectionListener(listener);
  }

  @Override
  public void clearConnectionListeners() {
    delegate.clearConnectionListeners();
    delegate.addConnectionListener(new Tracker());
  }

  @Override
  public ConnectionFactory getPublisherConnectionFactory() {
    return delegate.getPublisherConnectionFactory();
  }

  @Override
  public boolean isSimplePublisherConfirms() {
    return delegate.isSimplePublisherConfirms();
  }

  @Override
  public boolean isPublisherConfirms() {
    return delegate.isPublisherConfirms();
  }

  @Override
  public boolean isPublisherReturns() {
    return delegate.isPublisherReturns();
  }

  @Override
  public void resetConnection() {
    connected = false;
    delegate.resetConnection();
  }

  @Override
  public void setApplicationContext(ApplicationContext applicationContext) {
    delegate.setApplicationContext(applicationContext);
  }

  @Override
  public void onApplicationEvent(ContextClosedEvent event) {
    delegate.onApplicationEvent(event);
  }

  @Override
  public void destroy() {
    closed = true;
    state = State.CLOSED;
    connected = false;
    synchronized (sleepLock) {
      sleepLock.notifyAll();
    }
    delegate.destroy();
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    hosts.forEach(h -> names.add(h.hostAndPort()));
    return "Ha4jRabbitConnectionFactory[" + names + ", " + state + "]";
  }
}

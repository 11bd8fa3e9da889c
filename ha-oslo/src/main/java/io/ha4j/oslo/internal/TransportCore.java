package io.ha4j.oslo.internal;

import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.config.HaException;
import io.ha4j.oslo.OsloSettings;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What the clients and notifiers of one transport share: one connection for sending (with the reply
 * queue of all calls), one confirmed publisher, a timer and the exchanges declared so far. Servers
 * and listeners open connections of their own (oslo's listen connections), so that stopping one
 * forgets its declarations. Thread-safe.
 */
public final class TransportCore implements AutoCloseable {

  private final Supplier<HaConnection> connections;
  private final OsloSettings settings;
  private final HaConnection connection;
  private final HaPublisher publisher;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Threads.named("ha4j-oslo-timer"));
  private final ExecutorService io = Executors.newCachedThreadPool(Threads.named("ha4j-oslo-io"));
  private final Set<String> declared = ConcurrentHashMap.newKeySet();
  private volatile ReplyWaiter waiter;
  private volatile boolean closed;

  /** Opens the sending connection (blocks until connected, on the retry schedule). */
  public TransportCore(HaConnectionFactory factory, OsloSettings settings) {
    this(factory::newConnection, settings);
  }

  /** A transport over connections from a supplier (each call opens a new one). */
  TransportCore(Supplier<HaConnection> connections, OsloSettings settings) {
    this.connections = connections;
    this.settings = settings;
    this.connection = connections.get();
    this.publisher = connection.publisher();
  }

  /** The settings. */
  public OsloSettings settings() {
    return settings;
  }

  /** A new connection of its own for a server or listener. */
  HaConnection newConnection() {
    return connections.get();
  }

  HaConnection connection() {
    return connection;
  }

  HaPublisher publisher() {
    return publisher;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  ExecutorService io() {
    return io;
  }

  /** The exchange of a target: its own or {@code control_exchange}. */
  String exchange(String targetExchange) {
    return targetExchange != null ? targetExchange : settings.amqp().controlExchange();
  }

  /** Declares an exchange once per transport (recorded, so re-declared after failover). */
  void declareOnce(ExchangeSpec exchange) {
    if (declared.add("exchange " + exchange.name())) {
      try {
        connection.declare(exchange);
      } catch (RuntimeException e) {
        declared.remove("exchange " + exchange.name());
        throw e;
      }
    }
  }

  /** Runs a declaration once per transport under a key. */
  void declareOnce(String key, Runnable declaration) {
    if (declared.add(key)) {
      try {
        declaration.run();
      } catch (RuntimeException e) {
        declared.remove(key);
        throw e;
      }
    }
  }

  /** The reply queue of this transport, declared and consumed on first use. */
  ReplyWaiter replyWaiter() {
    ReplyWaiter w = waiter;
    if (w == null) {
      synchronized (this) {
        checkOpen();
        w = waiter;
        if (w == null) {
          w = new ReplyWaiter(connection, settings.amqp(), timer);
          waiter = w;
        }
      }
    }
    return w;
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the transport is closed");
    }
  }

  /**
   * Waits for a publish to be confirmed.
   *
   * @throws HaException as the publisher failed it, or when interrupted (flag restored)
   */
  static void await(CompletableFuture<?> f, Duration timeout, String what) {
    try {
      if (timeout == null) {
        f.get();
      } else {
        f.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HaException("interrupted while waiting for " + what, e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause(), what);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new HaException(what + " not confirmed within " + timeout.toMillis() + " ms", e);
    }
  }

  static RuntimeException unwrap(Throwable cause, String what) {
    if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RuntimeException r) {
      return r;
    }
    return new HaException(what + " failed: " + cause, cause);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    ReplyWaiter w = waiter;
    if (w != null) {
      w.close();
    }
    publisher.close();
    connection.close();
    timer.shutdownNow();
    io.shutdownNow();
  }
}

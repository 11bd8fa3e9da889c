package io.ha4j.amqp.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * What a {@link RecoveringConnection} needs from the outside world; fakes in unit tests.
 *
 * @param connector opens one connection to one host of the list
 * @param sleeper the retry pauses, the reconnect delay and the nack pause
 * @param nanoTime the clock of events and give-up messages
 * @param random chooses a host for {@code kombu_failover_strategy = shuffle}
 * @param executors creates the single-threaded executor recovery runs on, given its thread name
 * @param ticker runs the publishers' confirm watch periodically
 */
public record Environment(
    Connector connector,
    Sleeper sleeper,
    LongSupplier nanoTime,
    IntUnaryOperator random,
    Function<String, ExecutorService> executors,
    Ticker ticker) {

  /**
   * An environment whose recovery runs on a daemon thread of its own and whose confirm watch runs
   * on the shared {@link Ticker#SYSTEM}.
   */
  public Environment(
      Connector connector, Sleeper sleeper, LongSupplier nanoTime, IntUnaryOperator random) {
    this(connector, sleeper, nanoTime, random, Environment::daemonThread, Ticker.SYSTEM);
  }

  private static ExecutorService daemonThread(String name) {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}

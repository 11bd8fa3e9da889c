package io.ha4j.amqp.internal;

import com.rabbitmq.client.Connection;
import io.ha4j.amqp.AmqpConnectException;
import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.ConnectFailure;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.OperationInterruptedException;
import io.ha4j.config.ResourceClosedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kombu's {@code ensure_connection} loop over the host list, on the {@link RetrySchedule}: one
 * attempt per host, a sleep only after a full failed cycle, give-up when the budget is spent or
 * every host of a full cycle refused for good. Checks the owner's close flag before every attempt
 * and after every sleep, so that {@code close()} stops it.
 */
final class ConnectLoop {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveringConnection.class);

  /** A connection to the host at {@code index} of the host list. */
  record Connected(Connection connection, int index) {}

  private final AmqpSettings settings;
  private final List<AmqpHost> hosts;
  private final Environment env;
  private final Events events;
  private final String resource;
  private final BooleanSupplier closing;

  ConnectLoop(
      AmqpSettings settings,
      List<AmqpHost> hosts,
      Environment env,
      Events events,
      String resource,
      BooleanSupplier closing) {
    this.settings = settings;
    this.hosts = hosts;
    this.env = env;
    this.events = events;
    this.resource = resource;
    this.closing = closing;
  }

  /**
   * Connects, starting with the host at {@code firstHost}.
   *
   * @param t0 {@code nanoTime} the elapsed time in events and the give-up message counts from
   * @throws AmqpConnectException when giving up
   * @throws ResourceClosedException when the owner was closed meanwhile
   * @throws OperationInterruptedException when interrupted (the interrupt flag is set again)
   */
  Connected run(int firstHost, long t0) {
    RetrySchedule s =
        new RetrySchedule(
            settings.retry(), hosts.size(), settings.failoverStrategy(), firstHost, env.random());
    Map<String, String> lastErrors = new LinkedHashMap<>();
    hosts.forEach(h -> lastErrors.put(h.hostAndPort(), "not tried"));
    int permanentStreak = 0;
    while (true) {
      int index = s.host();
      int attempt = s.attempt();
      String host = hosts.get(index).hostAndPort();
      if (closing.getAsBoolean()) {
        throw closed(attempt - 1);
      }
      events.emit(() -> new AmqpEvent.Attempt(host, attempt));
      try {
        Connection c = env.connector().connect(index);
        Duration took = Duration.ofNanos(env.nanoTime().getAsLong() - t0);
        LOG.info("{} connected to {} (attempt {})", resource, host, attempt);
        events.emit(() -> new AmqpEvent.Connected(host, attempt, took));
        return new Connected(c, index);
      } catch (InterruptedException e) {
        throw interrupted(host, attempt, e);
      } catch (Exception e) {
        ConnectFailure f = ConnectFailure.classify(e);
        lastErrors.put(host, f.description());
        permanentStreak = f.permanent() ? permanentStreak + 1 : 0;
        Duration elapsed = Duration.ofNanos(env.nanoTime().getAsLong() - t0);
        if (permanentStreak >= hosts.size()) {
          throw giveUp(
              "every host of a full cycle refused " + resource + " for good",
              attempt,
              elapsed,
              lastErrors,
              true,
              e);
        }
        Optional<Duration> sleep = s.failed();
        if (sleep.isEmpty()) {
          throw giveUp("gave up connecting " + resource, attempt, elapsed, lastErrors, false, e);
        }
        LOG.debug("{}: attempt {} to {} failed: {}", resource, attempt, host, f.description());
        events.emit(() -> new AmqpEvent.AttemptFailed(host, attempt, f.description(), sleep.get()));
        try {
          if (!sleep.get().isZero()) { // kombu sleeps only after a full cycle
            env.sleeper().sleep(sleep.get());
          }
        } catch (InterruptedException ie) {
          throw interrupted(host, attempt, ie);
        }
      }
    }
  }

  private ResourceClosedException closed(int attempts) {
    return new ResourceClosedException(
        resource,
        resource
            + " was closed while connecting to "
            + hostList()
            + " (after "
            + attempts
            + " attempt(s))");
  }

  private OperationInterruptedException interrupted(
      String host, int attempt, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new OperationInterruptedException(
        resource,
        "interrupted while connecting "
            + resource
            + " to "
            + host
            + " (attempt "
            + attempt
            + " over "
            + hostList()
            + ")",
        e);
  }

  private String hostList() {
    return hosts.stream().map(AmqpHost::hostAndPort).toList().toString();
  }

  private AmqpConnectException giveUp(
      String summary,
      int attempts,
      Duration elapsed,
      Map<String, String> lastErrors,
      boolean permanent,
      Throwable cause) {
    AmqpConnectException e =
        new AmqpConnectException(
            resource, summary, attempts, elapsed, lastErrors, permanent, cause);
    events.emit(() -> new AmqpEvent.GaveUp(attempts, elapsed, e.getMessage()));
    return e;
  }
}

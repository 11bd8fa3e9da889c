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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /** Hosts already reported at WARN by this connection: one WARN per host, then DEBUG. */
  private final Set<String> warned = new HashSet<>();

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
   * @param starting whether this is the first connect of the connection (every failure is then a
   *     WARN, once per host) rather than a recovery (the loss was reported; only failures retrying
   *     cannot fix are a WARN)
   * @throws AmqpConnectException when giving up
   * @throws ResourceClosedException when the owner was closed meanwhile
   * @throws OperationInterruptedException when interrupted (the interrupt flag is set again)
   */
  Connected run(int firstHost, long t0, boolean starting) {
    RetrySchedule s =
        new RetrySchedule(
            settings.retry(), hosts.size(), settings.failoverStrategy(), firstHost, env.random());
    Map<String, String> lastErrors = new LinkedHashMap<>();
    hosts.forEach(h -> lastErrors.put(h.hostAndPort(), "not tried"));
    int permanentStreak = 0;
    boolean cycleReported = starting;
    while (true) {
      int index = s.host();
      int attempt = s.attempt();
      String host = hosts.get(index).hostAndPort();
      if (closing.getAsBoolean()) {
        throw closed(attempt - 1);
      }
      events.emit(n -> new AmqpEvent.Attempt(n, host, attempt));
      try {
        Connection c = env.connector().connect(index);
        Duration took = Duration.ofNanos(env.nanoTime().getAsLong() - t0);
        if (starting) {
          LOG.info("{} connected to {} (attempt {})", resource, host, attempt);
        } else {
          LOG.debug("{} connected to {} (attempt {})", resource, host, attempt);
        }
        events.emit(n -> new AmqpEvent.Connected(n, host, attempt, took));
        return new Connected(c, index);
      } catch (InterruptedException e) {
        throw interrupted(host, attempt, e);
      } catch (Exception e) {
        AmqpHost h = hosts.get(index);
        ConnectFailure f =
            ConnectFailure.classify(
                e,
                settings.loginMethod() == AmqpSettings.LoginMethod.EXTERNAL ? "" : h.username(),
                host);
        lastErrors.put(host, f.description());
        permanentStreak = f.permanent() ? permanentStreak + 1 : 0;
        Duration elapsed = Duration.ofNanos(env.nanoTime().getAsLong() - t0);
        if (permanentStreak >= hosts.size()) {
          throw giveUp(
              resource + ": every host of a full cycle refused " + users() + " for good",
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
        report(host, attempt, f, starting);
        events.emit(
            n -> new AmqpEvent.AttemptFailed(n, host, attempt, f.description(), sleep.get()));
        if (!cycleReported && !sleep.get().isZero()) {
          cycleReported = true;
          LOG.warn(
              "{}: no host accepted in a full cycle after the connection was lost (last: {}: {});"
                  + " still trying, {}",
              resource,
              host,
              f.description(),
              plan());
        }
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

  /**
   * One WARN per host for what an operator must look at (any failure at start-up, a refusal that
   * retrying cannot fix during recovery), with what ha4j does next; DEBUG for every other attempt.
   */
  private void report(String host, int attempt, ConnectFailure f, boolean starting) {
    if ((starting || f.permanent()) && warned.add(host)) {
      LOG.warn(
          "{}: {} failed: {}{}; {}. {}, or run 'ha4j check'; further attempts are logged at DEBUG",
          resource,
          host,
          f.description(),
          hint(f),
          f.permanent()
              ? "retrying cannot fix this: ha4j gives up when every host of a cycle refuses"
              : plan(),
          check(f));
    } else {
      LOG.debug("{}: attempt {} to {} failed: {}", resource, attempt, host, f.description());
    }
  }

  private static String hint(ConnectFailure f) {
    return switch (f.kind()) {
      case CONNECTION_REFUSED -> " (nothing listens on that port)";
      case UNKNOWN_HOST -> " (the name does not resolve)";
      case TIMEOUT -> " (no answer within the connect time-out)";
      default -> "";
    };
  }

  /** What the operator should look at. */
  private static String check(ConnectFailure f) {
    return switch (f.kind()) {
      case AUTHENTICATION_FAILED -> "Check the user name and password in transport_url";
      case ACCESS_REFUSED -> "Check the virtual host in transport_url and the user's permissions";
      case TLS -> "Check the ssl_* options";
      default -> "Check the host and its port in transport_url";
    };
  }

  /** What the schedule does next, in oslo's option names. */
  private String plan() {
    var r = settings.retry();
    return "the other hosts are tried, then every host again after "
        + r.effectiveInterval().toMillis()
        + " ms, "
        + r.backoff().toMillis()
        + " ms longer after every failed cycle up to "
        + r.intervalMax().toMillis()
        + " ms, "
        + (r.maxRetries().isPresent()
            ? "giving up after " + r.maxRetries().getAsInt() + " retries (rabbit_max_retries)"
            : "forever (rabbit_max_retries = 0)");
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

  /** {@code user 'a'} or {@code users 'a', 'b'}: who was refused, never a password. */
  private String users() {
    if (settings.loginMethod() == AmqpSettings.LoginMethod.EXTERNAL) {
      return "the client certificate";
    }
    List<String> names = hosts.stream().map(h -> "'" + h.username() + "'").distinct().toList();
    return (names.size() == 1 ? "user " : "users ") + String.join(", ", names);
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
    events.emit(n -> new AmqpEvent.GaveUp(n, attempts, elapsed, e.getMessage()));
    return e;
  }
}

package io.ha4j.spring.actuate;

import io.ha4j.amqp.HaConnection;
import io.ha4j.config.AmqpHost;
import io.ha4j.spring.amqp.Ha4jRabbitConnectionFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of Spring AMQP's connection through ha4j, without connecting: UP with the broker it is
 * connected to ({@code host}); OUT_OF_SERVICE while it reconnects after losing a node (ha4j is
 * working on it, on the retry schedule); DOWN after a give-up (the attempt budget is spent);
 * UNKNOWN before anything asked for a connection. Details: {@code host}, {@code state}, {@code
 * hosts}, and the last error per host; never credentials. ha4j's own {@link HaConnection}s that the
 * application has opened (beans, created on first injection) are listed under {@code connections}
 * with their state and host, and one that is closed (given up) makes the status DOWN. Thread-safe.
 *
 * @since 0.1
 */
public final class Ha4jAmqpHealthIndicator implements HealthIndicator {

  private final Ha4jRabbitConnectionFactory factory;
  private final Supplier<Map<String, HaConnection>> connections;

  /**
   * An indicator for this factory.
   *
   * @param factory Spring AMQP's connection factory through ha4j
   */
  public Ha4jAmqpHealthIndicator(Ha4jRabbitConnectionFactory factory) {
    this(factory, Map::of);
  }

  /**
   * An indicator for this factory and ha4j's own connections.
   *
   * @param factory Spring AMQP's connection factory through ha4j
   * @param connections the open {@link HaConnection}s by name, asked at each check
   */
  public Ha4jAmqpHealthIndicator(
      Ha4jRabbitConnectionFactory factory, Supplier<Map<String, HaConnection>> connections) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.connections = Objects.requireNonNull(connections, "connections");
  }

  @Override
  public Health health() {
    Ha4jRabbitConnectionFactory.State state = factory.getState();
    Health.Builder b =
        switch (state) {
          case OPEN -> Health.up();
          case RECOVERING, OPENING -> Health.status(Status.OUT_OF_SERVICE);
          case GAVE_UP, CLOSED -> Health.down();
          case IDLE -> Health.unknown();
        };
    factory.getCurrentHost().ifPresent(h -> b.withDetail("host", h));
    b.withDetail("state", state.name());
    List<String> hosts = new ArrayList<>();
    for (AmqpHost h : factory.getHosts()) {
      hosts.add(h.hostAndPort());
    }
    b.withDetail("hosts", hosts);
    if (!factory.getLastErrors().isEmpty()) {
      b.withDetail("lastErrors", factory.getLastErrors());
    }
    if (state == Ha4jRabbitConnectionFactory.State.GAVE_UP) {
      b.withDetail("error", factory.getLastGiveUp());
    }
    Map<String, HaConnection> own = connections.get();
    if (!own.isEmpty()) {
      Map<String, Object> details = new LinkedHashMap<>();
      boolean down = false;
      for (Map.Entry<String, HaConnection> e : own.entrySet()) {
        HaConnection c = e.getValue();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", c.state().name());
        c.currentHost().ifPresent(h -> d.put("host", h));
        details.put(e.getKey(), d);
        down |= c.state() == io.ha4j.amqp.State.CLOSED;
      }
      b.withDetail("connections", details);
      if (down) {
        b.status(Status.DOWN);
      }
    }
    return b.build();
  }
}

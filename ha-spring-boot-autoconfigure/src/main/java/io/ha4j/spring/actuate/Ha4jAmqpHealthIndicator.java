package io.ha4j.spring.actuate;

import io.ha4j.config.AmqpHost;
import io.ha4j.spring.amqp.Ha4jRabbitConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of Spring AMQP's connection through ha4j, without connecting: UP with the broker it is
 * connected to ({@code host}); OUT_OF_SERVICE while it reconnects after losing a node (ha4j is
 * working on it, on the retry schedule); DOWN after a give-up (the attempt budget is spent);
 * UNKNOWN before anything asked for a connection. Details: {@code host}, {@code state}, {@code
 * hosts}, and the last error per host; never credentials. Thread-safe.
 *
 * @since 0.1
 */
public final class Ha4jAmqpHealthIndicator implements HealthIndicator {

  private final Ha4jRabbitConnectionFactory factory;

  /**
   * An indicator for this factory.
   *
   * @param factory Spring AMQP's connection factory through ha4j
   */
  public Ha4jAmqpHealthIndicator(Ha4jRabbitConnectionFactory factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
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
    return b.build();
  }
}

package io.ha4j.spring.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.amqp.AmqpEvent;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.RetrySettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** Attempts against loopback ports nobody listens on: refused at once, no broker needed. */
class Ha4jRabbitConnectionFactoryTest {

  private final List<AmqpEvent> events = new CopyOnWriteArrayList<>();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private Ha4jRabbitConnectionFactory factory;

  @AfterEach
  void close() {
    if (factory != null) {
      factory.destroy();
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Ha4jRabbitConnectionFactory factory(AmqpSettings settings) {
    CachingConnectionFactory caching = new CachingConnectionFactory();
    RabbitClientSettings.apply(settings, caching.getRabbitConnectionFactory(), "test");
    factory =
        new Ha4jRabbitConnectionFactory(
            caching, settings, settings.hosts(), () -> List.of(events::add), sleeps::add);
    return factory;
  }

  @Test
  void walksTheHostsOnKombusScheduleAndGivesUpAfterMaxRetries() throws IOException {
    AmqpHost a = new AmqpHost("127.0.0.1", closedPort(), "app", "VerySecret9");
    AmqpHost b = new AmqpHost("127.0.0.1", closedPort(), "app", "VerySecret9");
    AmqpSettings s =
        AmqpSettings.builder()
            .hosts(a, b)
            .hostOrder(AmqpSettings.HostOrder.CONFIGURED)
            .retry(RetrySettings.ofDefaults().withMaxRetries(4))
            .build();
    Ha4jRabbitConnectionFactory f = factory(s);

    assertThatThrownBy(f::createConnection)
        .isInstanceOf(AmqpConnectException.class)
        .hasMessageContaining("5 attempt(s)")
        .hasMessageNotContaining("VerySecret9");

    // A, B (cycle: sleep 1 s), A, B (cycle: sleep 3 s), A: give up after 4 retries
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(3));
    assertThat(
            events.stream()
                .filter(e -> e instanceof AmqpEvent.Attempt)
                .map(e -> ((AmqpEvent.Attempt) e).host()))
        .containsExactly(
            a.hostAndPort(), b.hostAndPort(), a.hostAndPort(), b.hostAndPort(), a.hostAndPort());
    assertThat(events).last().isInstanceOf(AmqpEvent.GaveUp.class);
    assertThat(f.getState()).isEqualTo(Ha4jRabbitConnectionFactory.State.GAVE_UP);
    assertThat(f.getLastErrors()).containsOnlyKeys(a.hostAndPort(), b.hostAndPort());
    assertThat(f.getCurrentHost()).isEmpty();
  }

  @Test
  void aNewUseAfterAGiveUpStartsANewSchedule() throws IOException {
    AmqpHost a = new AmqpHost("127.0.0.1", closedPort(), "app", "pw");
    AmqpSettings s =
        AmqpSettings.builder().hosts(a).retry(RetrySettings.ofDefaults().withMaxRetries(1)).build();
    Ha4jRabbitConnectionFactory f = factory(s);
    assertThatThrownBy(f::createConnection).isInstanceOf(AmqpConnectException.class);
    assertThatThrownBy(f::createConnection).isInstanceOf(AmqpConnectException.class);
    // a single host: every failure is a full cycle; each schedule sleeps 1 s once, then gives up
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(events.stream().filter(e -> e instanceof AmqpEvent.GaveUp)).hasSize(2);
  }

  @Test
  void theHostOfTheCurrentAttemptSuppliesAddressAndCredentials() throws IOException {
    AmqpHost a = new AmqpHost("127.0.0.1", closedPort(), "alice", "pa");
    AmqpHost b = new AmqpHost("127.0.0.1", closedPort(), "bob", "pb");
    AmqpSettings s =
        AmqpSettings.builder()
            .hosts(a, b)
            .hostOrder(AmqpSettings.HostOrder.CONFIGURED)
            .retry(RetrySettings.ofDefaults().withMaxRetries(1))
            .build();
    Ha4jRabbitConnectionFactory f = factory(s);
    assertThatThrownBy(f::createConnection).isInstanceOf(AmqpConnectException.class);
    // the last attempt was on b
    assertThat(f.getPort()).isEqualTo(b.port());
    assertThat(f.getUsername()).isEqualTo("bob");
    assertThat(f.getTargetConnectionFactory().getRabbitConnectionFactory().getPassword())
        .isEqualTo("pb");
  }

  @Test
  void closingStopsTheScheduleAndReportsClosed() throws IOException {
    AmqpHost a = new AmqpHost("127.0.0.1", closedPort(), "app", "pw");
    Ha4jRabbitConnectionFactory f = factory(AmqpSettings.builder().hosts(a).build());
    f.destroy();
    assertThatThrownBy(f::createConnection).isInstanceOf(AmqpConnectException.class);
    assertThat(f.getState()).isEqualTo(Ha4jRabbitConnectionFactory.State.CLOSED);
    assertThat(events).isEmpty();
  }

  @Test
  void heartbeatIsRequestedSoThatASilentPeerIsDeadWithinTheThreshold() {
    assertThat(RabbitClientSettings.requestedHeartbeat(Duration.ofSeconds(60))).isEqualTo(26);
    assertThat(RabbitClientSettings.requestedHeartbeat(Duration.ofSeconds(1))).isEqualTo(1);
    assertThat(RabbitClientSettings.requestedHeartbeat(Duration.ZERO)).isZero();
  }
}

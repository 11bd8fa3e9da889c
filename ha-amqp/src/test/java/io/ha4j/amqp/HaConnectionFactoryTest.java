package io.ha4j.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.RetrySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Connection names of {@link HaConnectionFactory}, against a local port where nothing listens (the
 * attempt is refused at once; no broker needed).
 */
class HaConnectionFactoryTest {

  private final List<AmqpEvent> events = new CopyOnWriteArrayList<>();

  private HaConnectionFactory factory() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    AmqpSettings settings =
        AmqpSettings.builder()
            .hosts(List.of(AmqpHost.of("127.0.0.1", port)))
            .retry(
                RetrySettings.builder()
                    .interval(Duration.ofMillis(1))
                    .backoff(Duration.ZERO)
                    .maxRetries(OptionalInt.of(1))
                    .build())
            .build();
    return HaConnectionFactory.builder()
        .settings(settings)
        .connectionName("jobs")
        .listener(events::add)
        .build();
  }

  private static String nameOf(Runnable connect) {
    return catchThrowableOfType(AmqpConnectException.class, connect::run).resource();
  }

  @Test
  void connectionsWithoutANameAreNumberedPerFactory() throws IOException {
    HaConnectionFactory f = factory();

    assertThat(nameOf(f::newConnection)).isEqualTo("AMQP connection 'jobs-1'");
    assertThat(nameOf(f::newConnection)).isEqualTo("AMQP connection 'jobs-2'");
    assertThat(events)
        .extracting(AmqpEvent::connection)
        .containsOnly("jobs-1", "jobs-2")
        .contains("jobs-1", "jobs-2");
  }

  @Test
  void aConnectionCanBeNamedOnItsOwn() throws IOException {
    HaConnectionFactory f = factory();

    assertThat(nameOf(() -> f.newConnection("orders-publisher")))
        .isEqualTo("AMQP connection 'orders-publisher'");
    assertThat(events).isNotEmpty().allMatch(e -> e.connection().equals("orders-publisher"));
    assertThat(events.get(events.size() - 1)).isInstanceOf(AmqpEvent.GaveUp.class);
  }

  @Test
  void aBlankOrControlCharacterNameIsRefused() throws IOException {
    HaConnectionFactory f = factory();

    assertThatThrownBy(() -> f.newConnection(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connection name");
    assertThatThrownBy(() -> f.newConnection("a\nb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a?b'");
    assertThatThrownBy(() -> f.newConnection(null)).isInstanceOf(NullPointerException.class);
    assertThat(events).isEmpty();
  }
}

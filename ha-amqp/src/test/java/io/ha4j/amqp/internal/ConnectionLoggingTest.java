package io.ha4j.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.ha4j.amqp.AmqpConnectException;
import io.ha4j.amqp.AmqpEvent;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.RetrySettings;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What a {@link RecoveringConnection} tells operators and listeners: every event and line names the
 * connection; a failover is one INFO line without a stack trace; a host that fails at start-up is
 * one WARN with what to check, then DEBUG.
 */
class ConnectionLoggingTest {

  private final FakeAmqp fake = new FakeAmqp(3);
  private final List<AmqpEvent> events = new CopyOnWriteArrayList<>();

  private RecoveringConnection open(AmqpSettings settings, String name) {
    return RecoveringConnection.open(
        settings, fake.hosts, fake.env(), new Events(name, List.of(events::add)), name);
  }

  private AmqpSettings settings() {
    return AmqpSettings.builder().hosts(fake.hosts).build();
  }

  @Test
  void everyEventNamesItsConnection() {
    RecoveringConnection conn = open(settings(), "orders-publisher");
    conn.consume("q", d -> d.ack());

    fake.connection(1).kill();

    assertThat(events)
        .extracting(AmqpEvent::getClass)
        .contains(
            AmqpEvent.Attempt.class,
            AmqpEvent.Connected.class,
            AmqpEvent.ConnectionLost.class,
            AmqpEvent.Recovered.class,
            AmqpEvent.ConsumerAttached.class);
    assertThat(events).allSatisfy(e -> assertThat(e.connection()).isEqualTo("orders-publisher"));
    assertThat(events)
        .extracting(Object::toString)
        .allSatisfy(s -> assertThat(s).startsWith("orders-publisher: "));
  }

  @Test
  void eventsBuiltWithoutAConnectionNameKeepTheirOldReading() {
    AmqpEvent.ConnectionLost e = new AmqpEvent.ConnectionLost("a:1", "reset");

    assertThat(e.connection()).isEmpty();
    assertThat(e.host()).isEqualTo("a:1");
    assertThat(e).hasToString("lost the connection to a:1: reset");
  }

  @Test
  void aHandledFailoverIsOneInfoLineWithoutAStackTrace() {
    RecoveringConnection conn = open(settings(), "orders");
    conn.publisher();

    List<String> lines;
    try (LogCapture log = new LogCapture()) {
      fake.connection(1).kill();
      lines = log.lines();
      assertThat(log.stackTraceLines()).isEmpty();
    }

    assertThat(conn.currentHost()).contains("127.0.0.1:5002");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .contains(" INFO ")
        .contains("AMQP connection 'orders' lost 127.0.0.1:5001")
        .contains("recovered on 127.0.0.1:5002");
  }

  @Test
  void aHostThatFailsAtStartUpIsOneWarnWithWhatToCheckThenDebug() {
    fake.refusing.add(0);
    AmqpSettings s =
        AmqpSettings.builder()
            .hosts(fake.hosts.subList(0, 1))
            .retry(RetrySettings.ofDefaults().withMaxRetries(5))
            .build();

    try (LogCapture log = new LogCapture()) {
      assertThatThrownBy(
              () ->
                  RecoveringConnection.open(
                      s,
                      fake.hosts.subList(0, 1),
                      fake.env(),
                      new Events("jobs", List.of()),
                      "jobs"))
          .isInstanceOf(AmqpConnectException.class);

      assertThat(fake.lines("refused")).hasSize(6);
      assertThat(log.at("WARN")).hasSize(1);
      assertThat(log.at("WARN").get(0))
          .contains("AMQP connection 'jobs': 127.0.0.1:5001 failed: connection refused")
          .contains("nothing listens on that port")
          .contains("transport_url")
          .contains("ha4j check")
          .contains("giving up after 5 retries");
      assertThat(log.at("INFO")).isEmpty();
      assertThat(log.stackTraceLines()).isEmpty();
    }
  }

  @Test
  void aHostThatRefusesDuringRecoveryIsDebugButAFullFailedCycleIsOneWarn() {
    RecoveringConnection conn = open(settings(), "orders");
    fake.refusing.add(1);
    fake.refusing.add(2);
    fake.refusing.add(0);
    fake.onSleep =
        d -> {
          if (fake.lines("sleep").size() == 3) {
            fake.refusing.clear();
          }
        };

    try (LogCapture log = new LogCapture()) {
      fake.connection(1).kill();

      assertThat(conn.currentHost()).isPresent();
      assertThat(log.at("WARN")).hasSize(1);
      assertThat(log.at("WARN").get(0))
          .contains("AMQP connection 'orders': no host accepted in a full cycle")
          .contains("still trying");
      assertThat(log.at("INFO")).hasSize(1);
      assertThat(log.stackTraceLines()).isEmpty();
    }
  }

  @Test
  void refusedCredentialsAreOneWarnPerHostNamingTheUserAndWhatToCheck() {
    fake.refusingCredentials.addAll(List.of(0, 1, 2));
    List<io.ha4j.config.AmqpHost> hosts =
        fake.hosts.stream()
            .map(h -> new io.ha4j.config.AmqpHost(h.host(), h.port(), "nova", "S3cr3t-pw"))
            .toList();
    AmqpSettings s = AmqpSettings.builder().hosts(hosts).build();

    try (LogCapture log = new LogCapture()) {
      AmqpConnectException e =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              AmqpConnectException.class,
              () ->
                  RecoveringConnection.open(
                      s, hosts, fake.env(), new Events("jobs", List.of()), "jobs"));

      assertThat(e.isPermanent()).isTrue();
      assertThat(e.getMessage())
          .contains("every host of a full cycle refused user 'nova' for good")
          .doesNotContain("S3cr3t-pw");
      // the third refusal ends the cycle: it is in the exception, not logged as well
      assertThat(log.at("WARN")).hasSize(2);
      assertThat(log.at("WARN").get(0))
          .contains("user 'nova' was refused by host 127.0.0.1:5001")
          .contains("retrying cannot fix this")
          .contains("Check the user name and password in transport_url");
      assertThat(String.join("\n", log.lines())).doesNotContain("S3cr3t-pw");
    }
  }

  @Test
  void connectorInstallsTheQuietExceptionHandlerAndNamesTheConnection() {
    RabbitConnector c = new RabbitConnector(settings(), fake.hosts, "orders-2", null);

    ConnectionFactory f = c.factory(0);

    assertThat(f.getExceptionHandler()).isInstanceOf(QuietExceptionHandler.class);
    assertThat(f.getClientProperties()).containsEntry("connection_name", "orders-2");
    assertThat(f.isAutomaticRecoveryEnabled()).isFalse();
  }

  @Test
  void quietHandlerKeepsConnectionLossesOutOfWarnButReportsConsumerBugs() {
    QuietExceptionHandler h = new QuietExceptionHandler("AMQP connection 'orders'");
    ShutdownSignalException lost =
        new ShutdownSignalException(
            true, false, new AMQP.Connection.Close.Builder().replyCode(320).build(), null);

    try (LogCapture log = new LogCapture()) {
      h.handleUnexpectedConnectionDriverException(null, new SocketException("Connection reset"));
      h.handleUnexpectedConnectionDriverException(null, new IOException(lost));
      assertThat(log.lines()).isEmpty();

      List<String> closed = new CopyOnWriteArrayList<>();
      Channel ch =
          (Channel)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {Channel.class},
                  (proxy, m, args) -> {
                    closed.add(m.getName());
                    return null;
                  });
      h.handleConsumerException(
          ch, new IllegalStateException("bug in handler"), null, "tag-1", "handleDelivery");
      assertThat(closed).contains("close");
      assertThat(log.at("WARN")).hasSize(1);
      assertThat(log.at("WARN").get(0)).contains("AMQP connection 'orders'");
    }
  }
}

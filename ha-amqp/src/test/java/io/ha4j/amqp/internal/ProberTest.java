package io.ha4j.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AuthenticationFailureException;
import io.ha4j.amqp.ConnectFailure;
import io.ha4j.amqp.HostProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Prober}: one attempt, what the broker reports, failures by kind. */
class ProberTest {

  private final FakeAmqp fake = new FakeAmqp(1);
  private long nanos;

  private HostProbe probe(Connector connector) {
    return Prober.probe(
        connector,
        "127.0.0.1:5001",
        () -> {
          nanos += 5_000_000;
          return nanos;
        });
  }

  @Test
  void anAcceptingHostReportsVersionAndClusterAndTheConnectionIsClosed() {
    HostProbe p = probe(fake.env().connector());

    assertThat(p.ok()).isTrue();
    assertThat(p.reachable()).isTrue();
    assertThat(p.serverVersion()).contains("3.10.8");
    assertThat(p.clusterName()).contains("rabbit@fake");
    assertThat(p.failure()).isEmpty();
    assertThat(p.duration()).isEqualTo(Duration.ofMillis(5));
    assertThat(fake.connection(1).open).isFalse();
    assertThat(p).hasToString("127.0.0.1:5001 ok in 5 ms, RabbitMQ 3.10.8, cluster rabbit@fake");
  }

  @Test
  void aRefusingHostIsNeitherOkNorReachableAndSaysConnectionRefused() {
    fake.refusing.add(0);

    HostProbe p = probe(fake.env().connector());

    assertThat(p.ok()).isFalse();
    assertThat(p.reachable()).isFalse();
    assertThat(p.failure())
        .contains(new ConnectFailure(ConnectFailure.Kind.CONNECTION_REFUSED, "connection refused"));
    assertThat(p.serverVersion()).isEmpty();
    assertThat(p.toString()).contains("127.0.0.1:5001 failed", "connection refused");
  }

  @Test
  void aHostRefusingTheCredentialsIsReachableButNotOkAndThePasswordIsNotShown() {
    HostProbe p =
        probe(
            index -> {
              throw new AuthenticationFailureException("ACCESS_REFUSED - Login was refused");
            });

    assertThat(p.ok()).isFalse();
    assertThat(p.reachable()).isTrue();
    assertThat(p.failure().orElseThrow().kind())
        .isEqualTo(ConnectFailure.Kind.AUTHENTICATION_FAILED);
    assertThat(p.failure().orElseThrow().permanent()).isTrue();
    assertThat(p.toString()).doesNotContain("guest");
  }
}

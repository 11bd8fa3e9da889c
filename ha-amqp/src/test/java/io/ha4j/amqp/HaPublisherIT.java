package io.ha4j.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Return;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.RetrySettings;
import io.ha4j.testkit.LocalClusters;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.RabbitCluster.RabbitNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Publisher behaviour against the broker: resource alarms, mandatory returns, giving up. */
@ExtendWith(LocalClusters.class)
class HaPublisherIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static AmqpSettings.Builder settings(RabbitCluster rabbit) {
    return HaConnectionFactoryIT.settings(rabbit.nodes());
  }

  private static HaConnection connect(AmqpSettings s, Recorder r) {
    return HaConnectionFactory.builder()
        .settings(s)
        .listener(r)
        .connectionName("it-pub")
        .build()
        .newConnection();
  }

  private static RabbitNode connectedNode(RabbitCluster rabbit, HaConnection c) {
    String host = c.currentHost().orElseThrow();
    return rabbit.nodes().stream()
        .filter(n -> (n.address() + ":" + n.port()).equals(host))
        .findFirst()
        .orElseThrow();
  }

  private static byte[] body(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static PublisherOptions options(boolean mandatory, Duration blockedTimeout) {
    return new PublisherOptions(100, mandatory, blockedTimeout, Duration.ofSeconds(5), 5);
  }

  @Test
  void publishersWaitWhileTheBrokerBlocksThemAndGiveUpAfterTheirBound(RabbitCluster rabbit)
      throws Exception {
    AmqpSettings s = settings(rabbit).build();
    Recorder r = new Recorder();
    String q = "it-blocked-" + System.nanoTime();
    HaConnection c = connect(s, r);
    RabbitNode node = connectedNode(rabbit, c);
    try {
      c.declare(QueueSpec.of(q, s));
      HaPublisher patient = c.publisher();
      HaPublisher impatient = c.publisher(options(false, Duration.ofSeconds(2)));
      patient.publish("", q, null, body("before")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

      node.ctl("set_vm_memory_high_watermark", "0");
      // The broker blocks a connection when it next publishes.
      CompletableFuture<Void> trigger = patient.publish("", q, null, body("trigger"));
      AmqpEvent.Blocked blocked = r.await(AmqpEvent.Blocked.class);
      assertThat(blocked.blocked()).isTrue();

      long t = System.nanoTime();
      assertThatThrownBy(() -> impatient.publish("", q, null, body("refused")))
          .isInstanceOf(PublishException.class)
          .hasMessageContaining("blocked");
      assertThat(Duration.ofNanos(System.nanoTime() - t))
          .as("publish waited for the blocked timeout")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));

      CompletableFuture<CompletableFuture<Void>> waiting =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return patient.publish("", q, null, body("during"));
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      node.ctl("set_vm_memory_high_watermark", "0.4");

      waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      trigger.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      AmqpEvent.Blocked unblocked = r.await(AmqpEvent.Blocked.class);
      assertThat(unblocked.blocked()).isFalse();
      assertThat(patient.confirmed()).isEqualTo(3);
      assertThat(impatient.published()).isZero();
    } finally {
      node.ctl("set_vm_memory_high_watermark", "0.4");
      c.close();
    }
  }

  @Test
  void unroutableMandatoryMessagesComeBackToTheReturnHandler(RabbitCluster rabbit)
      throws Exception {
    AmqpSettings s = settings(rabbit).build();
    try (HaConnection c = connect(s, new Recorder())) {
      HaPublisher p = c.publisher(options(true, Duration.ofSeconds(60)));
      List<Return> returns = new CopyOnWriteArrayList<>();
      p.onReturn(returns::add);
      String nowhere = "it-nowhere-" + System.nanoTime();

      // basic.return precedes basic.ack on the same connection: the handler has run by now
      p.publish("", nowhere, null, body("lost?")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(returns)
          .singleElement()
          .satisfies(
              ret -> {
                assertThat(ret.getReplyCode()).isEqualTo(312);
                assertThat(ret.getReplyText()).isEqualTo("NO_ROUTE");
                assertThat(ret.getRoutingKey()).isEqualTo(nowhere);
                assertThat(new String(ret.getBody(), StandardCharsets.UTF_8)).isEqualTo("lost?");
              });
    }
  }

  @Test
  void acceptedMessagesFailWithTheGiveUpWhenNoNodeAnswersWithinTheRetryBudget(RabbitCluster rabbit)
      throws Exception {
    AmqpSettings s =
        settings(rabbit)
            .connectTimeout(Duration.ofSeconds(1))
            .handshakeTimeout(Duration.ofSeconds(1))
            .retry(RetrySettings.ofDefaults().withMaxRetries(1))
            .build();
    Recorder r = new Recorder();
    String q = "it-giveup-" + System.nanoTime();
    HaConnection c = connect(s, r);
    try {
      c.declare(QueueSpec.of(q, s));
      HaPublisher p = c.publisher();
      p.publish("", q, null, body("confirmed")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

      rabbit.nodes().forEach(RabbitNode::pause);
      CompletableFuture<Void> accepted = p.publish("", q, null, body("accepted"));
      AmqpEvent.GaveUp gaveUp = r.await(AmqpEvent.GaveUp.class);

      List<AmqpEvent> afterLoss =
          r.events.stream().dropWhile(e -> !(e instanceof AmqpEvent.ConnectionLost)).toList();
      assertThat(afterLoss.stream().filter(AmqpEvent.Attempt.class::isInstance).count())
          .as("N max retries = N+1 attempts after the loss: %s", afterLoss)
          .isEqualTo(2);
      assertThat(gaveUp.attempts()).isEqualTo(2);
      assertThatThrownBy(() -> accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(AmqpConnectException.class);
      assertThatThrownBy(() -> p.publish("", q, null, body("later")))
          .isInstanceOf(AmqpConnectException.class);
      assertThat(c.state()).isEqualTo(State.CLOSED);
      assertThat(gaveUp.toString()).doesNotContain(":" + s.hosts().get(0).password() + "@");
    } finally {
      rabbit.nodes().forEach(RabbitNode::resume);
      c.close();
    }
  }
}

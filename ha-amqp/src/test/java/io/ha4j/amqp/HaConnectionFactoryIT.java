package io.ha4j.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.rabbitmq.client.AMQP;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.RetrySettings;
import io.ha4j.testkit.LocalClusters;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.RabbitCluster.RabbitNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusters.class)
class HaConnectionFactoryIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  /** Settings for ITs: the given nodes in order, no reconnect delay, 6 s heartbeat threshold. */
  static AmqpSettings.Builder settings(List<RabbitNode> nodes) {
    List<AmqpHost> hosts = new ArrayList<>();
    nodes.forEach(n -> hosts.add(AmqpHost.of(n.address(), n.port())));
    return AmqpSettings.builder()
        .hosts(hosts)
        .hostOrder(AmqpSettings.HostOrder.CONFIGURED)
        .reconnectDelay(Duration.ZERO)
        .heartbeatTimeoutThreshold(Duration.ofSeconds(6))
        .quorumQueue(true);
  }

  private static HaConnectionFactory factory(AmqpSettings s, Recorder r) {
    return HaConnectionFactory.builder().settings(s).listener(r).connectionName("it").build();
  }

  @Test
  void givesUpAfterExactlyNPlusOneAttemptsWhenEveryHostRefuses() throws Exception {
    List<AmqpHost> hosts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
        hosts.add(AmqpHost.of("127.0.0.1", s.getLocalPort()));
      }
    }
    AmqpSettings s =
        AmqpSettings.builder()
            .hosts(hosts)
            .hostOrder(AmqpSettings.HostOrder.CONFIGURED)
            .retry(RetrySettings.ofDefaults().withMaxRetries(5))
            .build();
    Recorder r = new Recorder();

    AmqpConnectException e =
        catchThrowableOfType(() -> factory(s, r).newConnection(), AmqpConnectException.class);

    assertThat(e.attempts()).isEqualTo(6);
    assertThat(e.isPermanent()).isFalse();
    assertThat(e.lastErrors())
        .hasSize(3)
        .allSatisfy((h, err) -> assertThat(err).contains("refused"));
    assertThat(r.all(AmqpEvent.Attempt.class))
        .extracting(AmqpEvent.Attempt::attempt)
        .containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(r.all(AmqpEvent.AttemptFailed.class))
        .extracting(AmqpEvent.AttemptFailed::sleep)
        .containsExactly(
            Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO);
    assertThat(r.all(AmqpEvent.GaveUp.class))
        .singleElement()
        .extracting(AmqpEvent.GaveUp::attempts)
        .isEqualTo(6);
  }

  @Test
  void wrongPasswordFailsAfterOneCycleWithoutSleepingOrShowingThePassword(RabbitCluster rabbit) {
    List<AmqpHost> hosts = new ArrayList<>();
    rabbit
        .nodes()
        .forEach(n -> hosts.add(new AmqpHost(n.address(), n.port(), "guest", "S3cr3t-wrong")));
    AmqpSettings s = settings(rabbit.nodes()).hosts(hosts).build();
    Recorder r = new Recorder();

    AmqpConnectException e =
        catchThrowableOfType(() -> factory(s, r).newConnection(), AmqpConnectException.class);

    assertThat(e.isPermanent()).isTrue();
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.getMessage())
        .contains("ACCESS_REFUSED")
        .contains("every host of a full cycle refused user 'guest' for good")
        .contains("user 'guest' was refused by host " + hosts.get(0).hostAndPort())
        .doesNotContain("S3cr3t-wrong");
    assertThat(r.all(AmqpEvent.AttemptFailed.class))
        .allSatisfy(f -> assertThat(f.sleep()).isZero());
  }

  @Test
  void unknownVirtualHostFailsAfterOneCycleNamingIt(RabbitCluster rabbit) {
    AmqpSettings s = settings(rabbit.nodes()).virtualHost("no-such-vhost").build();
    Recorder r = new Recorder();

    AmqpConnectException e =
        catchThrowableOfType(() -> factory(s, r).newConnection(), AmqpConnectException.class);

    assertThat(e.isPermanent()).isTrue();
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.getMessage()).contains("no-such-vhost");
    assertThat(r.all(AmqpEvent.AttemptFailed.class))
        .allSatisfy(f -> assertThat(f.sleep()).isZero());
  }

  @Test
  void probeReportsEveryNodeWithItsVersionAndAClosedPortAsRefused(RabbitCluster rabbit)
      throws Exception {
    int closedPort;
    try (ServerSocket free = new ServerSocket(0)) {
      closedPort = free.getLocalPort();
    }
    HaConnectionFactory f = factory(settings(rabbit.nodes()).build(), new Recorder());

    List<HostProbe> probes = f.probeAll();
    HostProbe closed = f.probe(AmqpHost.of("127.0.0.1", closedPort));

    assertThat(probes).hasSize(rabbit.nodes().size());
    assertThat(probes)
        .allSatisfy(
            p -> {
              assertThat(p.ok()).as("%s", p).isTrue();
              assertThat(p.serverVersion()).isPresent();
              assertThat(p.clusterName()).isPresent();
            });
    assertThat(closed.ok()).isFalse();
    assertThat(closed.reachable()).isFalse();
    assertThat(closed.failure().orElseThrow().kind())
        .isEqualTo(ConnectFailure.Kind.CONNECTION_REFUSED);
  }

  @Test
  void tlsAgainstPortsThatDoNotSpeakTlsFailsAfterOneCycleAsAConfigurationError(
      RabbitCluster rabbit) {
    AmqpSettings s = settings(rabbit.nodes()).ssl(true).build();
    Recorder r = new Recorder();

    AmqpConnectException e =
        catchThrowableOfType(() -> factory(s, r).newConnection(), AmqpConnectException.class);

    assertThat(e.isPermanent()).isTrue();
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.getMessage()).contains("TLS handshake failed").contains("ssl_ca_file");
    assertThat(r.all(AmqpEvent.AttemptFailed.class))
        .allSatisfy(f -> assertThat(f.sleep()).isZero());
  }

  @Test
  void conflictingDeclarationNamesEntityArgumentValuesAndFix(RabbitCluster rabbit) {
    String q = "it-conflict-" + System.nanoTime();
    AmqpSettings classic = settings(rabbit.nodes()).quorumQueue(false).durableQueues(true).build();
    AmqpSettings quorum = settings(rabbit.nodes()).build();
    try (HaConnection c = factory(classic, new Recorder()).newConnection()) {
      c.declare(QueueSpec.of(q, classic));

      TopologyConflictException e =
          catchThrowableOfType(
              () -> c.declare(QueueSpec.of(q, quorum)), TopologyConflictException.class);

      assertThat(e.argument()).isEqualTo("x-queue-type");
      assertThat(e.entity()).contains(q);
      assertThat(e.requested()).contains("quorum");
      assertThat(e.getMessage()).contains("delete_queue " + q);
      assertThat(c.state()).isEqualTo(State.OPEN);
    }
  }

  @RepeatedTest(2)
  void killingTheConnectedNodeDuringAPublishLosesNoMessage(RabbitCluster rabbit) throws Exception {
    int count = 20_000;
    String q = "it-kill-" + System.nanoTime();
    AmqpSettings s = settings(rabbit.nodes()).build();
    Recorder r = new Recorder();
    HaConnection c = factory(s, r).newConnection();
    try {
      c.declare(QueueSpec.of(q, s));
      HaPublisher p = c.publisher();
      String victimHost = c.currentHost().orElseThrow();
      RabbitNode victim =
          rabbit.nodes().stream()
              .filter(n -> (n.address() + ":" + n.port()).equals(victimHost))
              .findFirst()
              .orElseThrow();
      List<CompletableFuture<Void>> futures = new ArrayList<>();

      for (int i = 1; i <= count; i++) {
        AMQP.BasicProperties props =
            new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .messageId(Integer.toString(i))
                .build();
        futures.add(p.publish("", q, props, ("m" + i).getBytes(StandardCharsets.UTF_8)));
        if (i == count / 4) {
          victim.kill();
        }
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(p.confirmed()).isEqualTo(count);
      AmqpEvent.Recovered rec = r.await(AmqpEvent.Recovered.class);
      assertThat(rec.from()).isEqualTo(victimHost);
      assertThat(rec.to()).isNotEqualTo(victimHost);

      Set<String> seen = ConcurrentHashMap.newKeySet();
      AtomicInteger deliveries = new AtomicInteger();
      CountDownLatch all = new CountDownLatch(1);
      c.consume(
          q,
          d -> {
            deliveries.incrementAndGet();
            seen.add(d.properties().getMessageId());
            d.ack();
            if (seen.size() == count) {
              all.countDown();
            }
          });
      assertThat(all.await(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("all %d messages consumed (got %d distinct)", count, seen.size())
          .isTrue();
      System.out.printf(
          "kill during publish: %d published, %d re-sent, %d delivered, %d distinct, %d duplicates, recovered in %d ms%n",
          count,
          p.republished(),
          deliveries.get(),
          seen.size(),
          deliveries.get() - seen.size(),
          rec.duration().toMillis());
    } finally {
      c.close();
    }
  }

  @Test
  void pausedConnectedNodeIsLeftWithinTheHeartbeatThreshold(RabbitCluster rabbit) throws Exception {
    AmqpSettings s = settings(rabbit.nodes()).build();
    Recorder r = new Recorder();
    try (HaConnection c = factory(s, r).newConnection()) {
      String host = c.currentHost().orElseThrow();
      RabbitNode victim =
          rabbit.nodes().stream()
              .filter(n -> (n.address() + ":" + n.port()).equals(host))
              .findFirst()
              .orElseThrow();

      long paused = System.nanoTime();
      victim.pause();
      r.await(AmqpEvent.ConnectionLost.class);
      long lost = System.nanoTime();
      AmqpEvent.Recovered rec = r.await(AmqpEvent.Recovered.class);

      // the threshold plus what a loaded 2-core machine may add to the heartbeat timer
      assertThat(Duration.ofNanos(lost - paused))
          .isLessThanOrEqualTo(s.heartbeatTimeoutThreshold().plusSeconds(3));
      assertThat(rec.to()).isNotEqualTo(host);
      assertThat(c.state()).isEqualTo(State.OPEN);
    }
  }

  @Test
  void consumptionContinuesWhenTheQuorumLeaderIsKilled(RabbitCluster rabbit) throws Exception {
    String q = "it-leader-" + System.nanoTime();
    AmqpSettings s0 = settings(rabbit.nodes()).build();
    try (HaConnection setup = factory(s0, new Recorder()).newConnection()) {
      setup.declare(QueueSpec.of(q, s0));
    }
    RabbitNode leader = awaitLeader(rabbit, q);
    List<RabbitNode> others = rabbit.nodes().stream().filter(n -> n != leader).toList();
    AmqpSettings s = settings(others).build();
    Recorder r = new Recorder();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    CountDownLatch first = new CountDownLatch(100);
    CountDownLatch all = new CountDownLatch(200);
    try (HaConnection consumer = factory(s, r).newConnection();
        HaConnection producer = factory(s, new Recorder()).newConnection()) {
      consumer.declare(QueueSpec.of(q, s));
      consumer.consume(
          q,
          d -> {
            if (seen.add(d.properties().getMessageId())) {
              first.countDown();
              all.countDown();
            }
            d.ack();
          });
      HaPublisher p = producer.publisher();
      publish(p, q, 1, 100);
      assertThat(first.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      leader.kill();
      publish(p, q, 101, 200);

      assertThat(all.await(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("received %d of 200 after the leader died; events %s", seen.size(), r.events)
          .isTrue();
      assertThat(consumer.state()).isEqualTo(State.OPEN);
    }
  }

  @Test
  void whenEveryNodeStopsAnsweringTheSameObjectsWorkAgainAfterwards(RabbitCluster rabbit)
      throws Exception {
    String q = "it-all-" + System.nanoTime();
    AmqpSettings s =
        settings(rabbit.nodes())
            .connectTimeout(Duration.ofSeconds(1))
            .handshakeTimeout(Duration.ofSeconds(2))
            .build();
    Recorder r = new Recorder();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    CountDownLatch all = new CountDownLatch(20);
    try (HaConnection c = factory(s, r).newConnection()) {
      c.declare(QueueSpec.of(q, s));
      HaPublisher p = c.publisher();
      HaConsumer consumer =
          c.consume(
              q,
              d -> {
                if (seen.add(d.properties().getMessageId())) {
                  all.countDown();
                }
                d.ack();
              });
      publish(p, q, 1, 10);

      rabbit.nodes().forEach(RabbitNode::pause);
      r.await(AmqpEvent.ConnectionLost.class);
      r.await(AmqpEvent.AttemptFailed.class);
      rabbit.nodes().forEach(RabbitNode::resume);
      r.await(AmqpEvent.Recovered.class);
      publish(p, q, 11, 20);

      assertThat(all.await(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("received %s", seen.size())
          .isTrue();
      assertThat(consumer.isAttached()).isTrue();
      assertThat(c.state()).isEqualTo(State.OPEN);
    }
  }

  private static void publish(HaPublisher p, String q, int from, int to) throws Exception {
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      AMQP.BasicProperties props =
          new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(Integer.toString(i)).build();
      fs.add(p.publish("", q, props, new byte[] {1}));
    }
    CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static RabbitNode awaitLeader(RabbitCluster rabbit, String q) {
    java.util.concurrent.atomic.AtomicReference<RabbitNode> leader =
        new java.util.concurrent.atomic.AtomicReference<>();
    io.ha4j.testkit.Waits.until(
        "a leader for quorum queue " + q,
        WAIT,
        Duration.ofMillis(200),
        () -> {
          rabbit.quorumLeader(q).ifPresent(leader::set);
          return leader.get() != null
              ? io.ha4j.testkit.Waits.Poll.done()
              : io.ha4j.testkit.Waits.Poll.notYet("no leader yet");
        });
    return leader.get();
  }
}

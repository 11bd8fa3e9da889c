package io.ha4j.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.amqp.AmqpConnectException;
import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.Binding;
import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.HaDelivery;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.PublishException;
import io.ha4j.amqp.PublisherOptions;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.amqp.RecoveryPhases;
import io.ha4j.amqp.State;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.GiveUpException;
import io.ha4j.config.OperationInterruptedException;
import io.ha4j.config.ResourceClosedException;
import io.ha4j.config.RetrySettings;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Recovery of {@link RecoveringConnection} and its members against {@link FakeAmqp}: connection,
 * then topology, then publishers and consumers; kombu's schedule; re-sends; close winning.
 */
class RecoveringConnectionTest {

  private final FakeAmqp fake = new FakeAmqp(3);
  private final List<AmqpEvent> events = new CopyOnWriteArrayList<>();

  private RecoveringConnection open(AmqpSettings settings) {
    return RecoveringConnection.open(
        settings, fake.hosts, fake.env(), new Events("test", List.of(events::add)), "test");
  }

  private AmqpSettings settings() {
    return AmqpSettings.builder().hosts(fake.hosts).build();
  }

  private static byte[] body(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A publisher whose confirm watch re-sends after 5 s without a confirm. */
  private static final PublisherOptions WATCH_5S =
      PublisherOptions.builder().confirmTimeout(java.time.Duration.ofSeconds(5)).build();

  private static final QueueSpec QUEUE = new QueueSpec("q", true, false, Map.of());

  @Test
  void recoversConnectionThenTopologyThenPublishersAndConsumersBeforeSwappingIn() throws Exception {
    RecoveringConnection conn = open(settings());
    conn.declare(new ExchangeSpec("x", "topic", true, false));
    conn.declare(QUEUE);
    conn.bind(new Binding("x", "q", "k"));
    conn.publisher();
    conn.consume("q", d -> d.ack());
    List<State> statesWhileAttaching = new ArrayList<>();
    fake.onConsume = () -> statesWhileAttaching.add(conn.state());
    fake.log.clear();

    fake.connection(1).kill();

    assertThat(fake.log)
        .containsExactly(
            "c1 lost",
            "sleep 1000",
            "connect B",
            "c2/ch6 declare exchange x",
            "c2/ch6 declare queue q",
            "c2/ch6 bind q x k",
            "c2/ch6 closed",
            "c2/ch7 confirmSelect",
            "c2/ch8 consume q");
    assertThat(statesWhileAttaching).containsExactly(State.RECOVERING);
    assertThat(conn.state()).isEqualTo(State.OPEN);
    assertThat(conn.currentHost()).contains("127.0.0.1:5002");
    assertThat(events)
        .filteredOn(AmqpEvent.Recovered.class::isInstance)
        .singleElement()
        .satisfies(
            e -> {
              AmqpEvent.Recovered r = (AmqpEvent.Recovered) e;
              assertThat(r.from()).isEqualTo("127.0.0.1:5001");
              assertThat(r.to()).isEqualTo("127.0.0.1:5002");
            });
  }

  @Test
  void recoveredEventSaysHowLongEachPhaseTook() throws Exception {
    RecoveringConnection conn = open(settings());
    conn.declare(QUEUE);
    HaPublisher p = conn.publisher();
    p.publish("", "q", null, body("m1")); // unconfirmed: re-sent after the failover
    conn.consume("q", d -> d.ack());
    fake.connectTime = Duration.ofMillis(30);
    fake.operationTime.put("queueDeclare", Duration.ofMillis(5));
    fake.operationTime.put("confirmSelect", Duration.ofMillis(7));
    fake.operationTime.put("basicPublish", Duration.ofMillis(2));
    fake.operationTime.put("basicConsume", Duration.ofMillis(11));

    fake.connection(1).kill();

    AmqpEvent.Recovered r =
        events.stream()
            .filter(AmqpEvent.Recovered.class::isInstance)
            .map(AmqpEvent.Recovered.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(r.phases())
        .isEqualTo(
            new RecoveryPhases(
                Duration.ofMillis(1000), // kombu_reconnect_delay
                Duration.ofMillis(30),
                Duration.ofMillis(5), // the queue re-declared
                Duration.ofMillis(7 + 2), // confirm.select, m1 re-sent
                Duration.ofMillis(11)));
    assertThat(r.duration()).isEqualTo(Duration.ofMillis(1000 + 30 + 5 + 9 + 11));
    assertThat(r.republished()).isEqualTo(1);
    assertThat(r.toString())
        .endsWith(
            "(delay 1000 ms, connect 30 ms, topology 5 ms, publishers 9 ms, consumers 11 ms)");
  }

  @Test
  void connectPhaseCountsConnectionsLostAgainDuringTheRecovery() throws Exception {
    RecoveringConnection conn = open(settings().toBuilder().reconnectDelay(Duration.ZERO).build());
    conn.declare(QUEUE);
    conn.publisher();
    fake.connectTime = Duration.ofMillis(20);
    fake.operationTime.put("queueDeclare", Duration.ofMillis(5));
    // the first new connection (to B) dies while its topology is re-declared
    fake.onQueueDeclare =
        ch -> {
          if (ch.conn.id == 2) {
            ch.conn.kill();
          }
        };
    fake.log.clear();

    fake.connection(1).kill();

    AmqpEvent.Recovered r =
        events.stream()
            .filter(AmqpEvent.Recovered.class::isInstance)
            .map(AmqpEvent.Recovered.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(fake.lines("connect")).containsExactly("connect B", "connect C");
    assertThat(r.to()).isEqualTo("127.0.0.1:5003");
    assertThat(r.phases().reconnectDelay()).isZero();
    // B: 20 ms to connect and 5 ms re-declaring before it died; then C: 20 ms to connect
    assertThat(r.phases().connect()).isEqualTo(Duration.ofMillis(20 + 5 + 20));
    assertThat(r.phases().topology()).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void lostConnectionWaitsTheReconnectDelayThenTriesTheNextHostAndSleepsOnlyAfterFullCycles()
      throws Exception {
    RecoveringConnection conn = open(settings());
    fake.refusing.addAll(List.of(0, 1, 2));
    List<Long> sleeps = new ArrayList<>();
    fake.onSleep =
        d -> {
          sleeps.add(d.toMillis());
          if (sleeps.size() == 3) {
            fake.refusing.clear(); // the cluster comes back during the second cycle pause
          }
        };
    fake.log.clear();

    fake.connection(1).kill();

    assertThat(fake.lines("sleep", "refused", "connect"))
        .containsExactly(
            "sleep 1000", // kombu_reconnect_delay
            "refused B", // the next host first
            "refused C",
            "refused A",
            "sleep 1000", // a full cycle failed: rabbit_retry_interval
            "refused B",
            "refused C",
            "refused A",
            "sleep 3000", // + rabbit_retry_backoff
            "connect B");
    assertThat(conn.state()).isEqualTo(State.OPEN);
    assertThat(conn.currentHost()).contains("127.0.0.1:5002");
  }

  @Test
  void firstConnectGivesUpAfterMaxRetriesNamingEveryHostAndTheAttempts() {
    fake.refusing.addAll(List.of(0, 1, 2));
    AmqpSettings s =
        AmqpSettings.builder()
            .hosts(fake.hosts)
            .retry(RetrySettings.ofDefaults().withMaxRetries(5))
            .build();

    assertThatThrownBy(() -> open(s))
        .isInstanceOf(AmqpConnectException.class)
        .isInstanceOfSatisfying(
            GiveUpException.class,
            e -> {
              assertThat(e.attempts()).isEqualTo(6);
              assertThat(e.resource()).isEqualTo("AMQP connection 'test'");
              assertThat(e.elapsed().toMillis()).isEqualTo(1000);
            })
        .hasMessageContaining("AMQP connection 'test'")
        .hasMessageContaining("6 attempt(s)")
        .hasMessageContaining("127.0.0.1:5001: connection refused")
        .hasMessageContaining("127.0.0.1:5002: connection refused")
        .hasMessageContaining("127.0.0.1:5003: connection refused")
        .hasCauseInstanceOf(ConnectException.class);
    assertThat(fake.log)
        .containsExactly(
            "refused A",
            "refused B",
            "refused C",
            "sleep 1000",
            "refused A",
            "refused B",
            "refused C");
  }

  @Test
  void giveUpMessageNamesTheHostButNeverItsPassword() {
    fake.refusing.add(0);
    List<AmqpHost> hosts = List.of(new AmqpHost("127.0.0.1", 5001, "nova", "S3cr3t-pw"));
    AmqpSettings s =
        AmqpSettings.builder()
            .hosts(hosts)
            .retry(RetrySettings.ofDefaults().withMaxRetries(1))
            .build();

    assertThatThrownBy(
            () ->
                RecoveringConnection.open(
                    s, hosts, fake.env(), new Events("test", List.of(events::add)), "test"))
        .isInstanceOf(AmqpConnectException.class)
        .hasMessageContaining("127.0.0.1:5001: connection refused")
        .hasMessageContaining("2 attempt(s)")
        .hasMessageNotContaining("S3cr3t-pw");
    assertThat(events).extracting(Object::toString).noneMatch(e -> e.contains("S3cr3t-pw"));
  }

  /** Regression: HaConnectionFactoryIT read 19,999 confirmed after all 20,000 futures were done. */
  @Test
  void whoeverSeesAFutureConfirmedAlsoSeesItCounted() throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher();
    List<Long> countedWhenDone = new CopyOnWriteArrayList<>();
    for (int i = 1; i <= 3; i++) {
      p.publish("", "q", null, body("m" + i)).thenRun(() -> countedWhenDone.add(p.confirmed()));
    }

    fake.channels.get(0).ack(3, true);

    assertThat(countedWhenDone).hasSize(3);
    for (int k = 0; k < 3; k++) {
      assertThat(countedWhenDone.get(k)).as("completion %d", k + 1).isGreaterThanOrEqualTo(k + 1);
    }
  }

  @Test
  void unconfirmedMessagesAreSentAgainInOriginalOrderAfterFailover() throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher();
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      futures.add(p.publish("", "q", null, body("m" + i)));
    }
    FakeAmqp.FakeChannel first = fake.channels.get(0);
    first.ack(2, false);
    fake.log.clear();

    fake.connection(1).kill();

    FakeAmqp.FakeChannel second = last();
    assertThat(second.conn.id).isEqualTo(2);
    assertThat(fake.linesWith(" publish "))
        .containsExactly(
            "c2/ch3 publish m1", "c2/ch3 publish m3", "c2/ch3 publish m4", "c2/ch3 publish m5");
    assertThat(futures.get(1)).isCompleted();
    assertThat(futures).filteredOn(f -> !f.isDone()).hasSize(4);
    assertThat(p.republished()).isEqualTo(4);
    assertThat(events)
        .filteredOn(AmqpEvent.Recovered.class::isInstance)
        .map(e -> ((AmqpEvent.Recovered) e).republished())
        .containsExactly(4);

    second.ack(4, true);

    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(p.confirmed()).isEqualTo(5);
  }

  /** Runs {@code publish} on a new thread and waits for it: one publishing thread per call. */
  private static CompletableFuture<Void> onAnotherThread(HaPublisher p, String m)
      throws InterruptedException {
    List<CompletableFuture<Void>> out = new CopyOnWriteArrayList<>();
    Thread t =
        new Thread(
            () -> {
              try {
                out.add(p.publish("", "q", null, body(m)));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    t.start();
    t.join(10_000);
    assertThat(out).as("publish of %s on another thread", m).hasSize(1);
    return out.get(0);
  }

  @Test
  void eachPublishingThreadGetsALaneOpenedOnItsFirstPublishAndLanesAreSharedRoundRobin()
      throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher(PublisherOptions.builder().lanes(2).build());
    fake.log.clear();

    p.publish("", "q", null, body("m1"));
    onAnotherThread(p, "m2");
    onAnotherThread(p, "m3");
    p.publish("", "q", null, body("m4"));

    assertThat(fake.log)
        .containsExactly(
            "c1/ch1 publish m1",
            "c1/ch2 confirmSelect",
            "c1/ch2 publish m2",
            "c1/ch1 publish m3",
            "c1/ch1 publish m4");
  }

  @Test
  void aNewLaneOnABlockedConnectionWaitsForTheBlockAndNeverAbandonsTheConnection()
      throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p =
        conn.publisher(
            PublisherOptions.builder()
                .lanes(2)
                .blockedTimeout(java.time.Duration.ofMillis(200))
                .build());
    p.publish("", "q", null, body("m1"));
    FakeAmqp.FakeConnection c = fake.connection(1);
    c.channelsTimeOut = true; // what a blocked connection does with channel.open
    for (com.rabbitmq.client.BlockedListener l : c.blockedListeners) {
      l.handleBlocked("low on memory");
    }
    fake.log.clear();
    List<Throwable> failed = new CopyOnWriteArrayList<>();

    Thread t =
        new Thread(
            () -> {
              try {
                p.publish("", "q", null, body("m2"));
              } catch (Exception e) {
                failed.add(e);
              }
            });
    t.start();
    t.join(10_000);

    assertThat(failed).singleElement().isInstanceOf(PublishException.class);
    assertThat(failed.get(0)).hasMessageContaining("stayed blocked by the broker");
    assertThat(fake.log).isEmpty(); // no channel.open tried, nothing closed
    assertThat(conn.state()).isEqualTo(State.OPEN);
  }

  @Test
  void afterAFailoverEachLaneInUseResendsItsOwnMessagesInTheirOrderOnItsNewChannel()
      throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher(PublisherOptions.builder().lanes(4).build());
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    futures.add(p.publish("", "q", null, body("m1")));
    futures.add(onAnotherThread(p, "m2"));
    futures.add(p.publish("", "q", null, body("m3")));
    fake.channels.get(0).ack(1, false);
    fake.log.clear();

    fake.connection(1).kill();

    assertThat(fake.linesWith(" publish "))
        .containsExactly("c2/ch4 publish m3", "c2/ch5 publish m2");
    assertThat(p.republished()).isEqualTo(2);
    assertThat(futures.get(0)).isCompleted();
    assertThat(futures.subList(1, 3)).noneMatch(CompletableFuture::isDone);

    fake.channels.get(3).ack(1, false);
    fake.channels.get(4).ack(1, false);

    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(p.confirmed()).isEqualTo(3);
  }

  @Test
  void nackedMessageIsSentAgainOnAFreshChannelWithTheOldChannelsUnconfirmedOnesInOrder()
      throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher();
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      futures.add(p.publish("", "q", null, body("m" + i)));
    }
    FakeAmqp.FakeChannel old = fake.channels.get(0);
    old.ack(1, false);
    fake.log.clear();

    old.nack(3, false);

    assertThat(fake.log)
        .containsExactly(
            "sleep 200", // the pause for the quorum queue's leader election
            "c1/ch2 confirmSelect",
            "c1/ch2 publish m2",
            "c1/ch2 publish m3",
            "c1/ch2 publish m4",
            "c1/ch1 closed");
    assertThat(futures.get(0)).isCompleted();
    assertThat(futures.subList(1, 4)).noneMatch(CompletableFuture::isDone);

    fake.channels.get(1).ack(3, true);

    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(conn.state()).isEqualTo(State.OPEN);
  }

  @Test
  void theNackPauseCountsFromTheNackNotFromWhenTheBusyRecoveryThreadGetsToIt() throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher();
    p.publish("", "q", null, body("m1"));
    fake.log.clear();
    fake.deferRecovery = true; // e.g. the recovery thread waits for a consumer's queue leader

    last().nack(1, false); // first nack: 200 ms pause due
    fake.advance(Duration.ofMillis(150));
    fake.runDeferred();

    assertThat(fake.lines("sleep", "c1/ch2"))
        .containsExactly("sleep 50", "c1/ch2 confirmSelect", "c1/ch2 publish m1");

    fake.log.clear();
    fake.deferRecovery = true;
    last().nack(1, false); // second nack of m1: 400 ms pause due
    fake.advance(Duration.ofMillis(500));
    fake.runDeferred();

    assertThat(fake.lines("sleep", "c1/ch3"))
        .containsExactly("c1/ch3 confirmSelect", "c1/ch3 publish m1");
    assertThat(conn.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aFreshChannelTheBrokerRefusesWhileTheConnectionStaysAbandonsTheConnection()
      throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher();
    CompletableFuture<Void> f = p.publish("", "q", null, body("m1"));
    fake.refuseChannels = 1;
    fake.log.clear();

    fake.channels.get(0).nack(1, false);

    assertThat(fake.log)
        .containsSubsequence(
            "sleep 200", "c1 channel refused", "c1 closed", "connect B", "c2/ch3 publish m1");
    last().ack(1, false);
    assertThat(f).isCompleted();
    p.publish("", "q", null, body("m2")); // not stuck without a channel
    assertThat(fake.log).endsWith("c2/ch3 publish m2");
    assertThat(conn.state()).isEqualTo(State.OPEN);
  }

  @Test
  void messagesLeftWithoutConfirmBeyondTheConfirmTimeoutAreSentAgainOnAFreshChannel()
      throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher(WATCH_5S);
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      futures.add(p.publish("", "q", null, body("m" + i)));
    }
    FakeAmqp.FakeChannel old = fake.channels.get(0);
    old.ack(1, false);
    fake.log.clear();

    fake.advance(java.time.Duration.ofSeconds(5));
    fake.tick();
    assertThat(fake.log).as("exactly the timeout is not yet a stall").isEmpty();

    fake.advance(java.time.Duration.ofMillis(1));
    fake.tick();

    assertThat(fake.log)
        .containsExactly(
            "c1/ch2 confirmSelect", "c1/ch2 publish m2", "c1/ch2 publish m3", "c1/ch1 closed");
    assertThat(p.republished()).isEqualTo(2);
    assertThat(futures.subList(1, 3)).noneMatch(CompletableFuture::isDone);
    fake.log.clear();
    fake.tick();
    assertThat(fake.log).as("the re-sent messages' clock starts again").isEmpty();

    fake.channels.get(1).ack(2, true);

    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(p.confirmed()).isEqualTo(3);
    assertThat(conn.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aConnectionOnWhichNoChannelOpensIsAbandonedAndTheMessagesMoveToTheNextHost()
      throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher(WATCH_5S);
    CompletableFuture<Void> f = p.publish("", "q", null, body("m1"));
    fake.connection(1).channelsTimeOut = true;
    fake.log.clear();

    fake.advance(java.time.Duration.ofSeconds(6));
    fake.tick();

    assertThat(fake.log)
        .containsSubsequence(
            "c1 channel.open timed out", "c1 closed", "connect B", "c2/ch3 publish m1");
    assertThat(conn.currentHost()).contains("127.0.0.1:5002");
    assertThat(conn.state()).isEqualTo(State.OPEN);
    assertThat(events).anyMatch(AmqpEvent.Recovered.class::isInstance);

    last().ack(1, false);
    assertThat(f).isCompleted();
    assertThat(f).isNotCompletedExceptionally();
  }

  @Test
  void timeTheBrokerBlocksTheConnectionIsNotAConfirmStall() throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher(WATCH_5S);
    CompletableFuture<Void> f = p.publish("", "q", null, body("m1"));
    FakeAmqp.FakeConnection c = fake.connection(1);
    for (com.rabbitmq.client.BlockedListener l : c.blockedListeners) {
      l.handleBlocked("low on memory");
    }
    fake.log.clear();

    fake.advance(java.time.Duration.ofMinutes(2));
    fake.tick();
    assertThat(fake.log).as("blocked").isEmpty();
    for (com.rabbitmq.client.BlockedListener l : c.blockedListeners) {
      l.handleUnblocked();
    }
    fake.advance(java.time.Duration.ofSeconds(4));
    fake.tick();
    assertThat(fake.log).as("4 s after the unblock").isEmpty();
    fake.advance(java.time.Duration.ofSeconds(2));
    fake.tick();

    assertThat(fake.log)
        .containsExactly("c1/ch2 confirmSelect", "c1/ch2 publish m1", "c1/ch1 closed");
    assertThat(f).isNotDone();
  }

  @Test
  void aZeroConfirmTimeoutTurnsTheWatchOffAndClosingStopsIt() throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher off =
        conn.publisher(PublisherOptions.builder().confirmTimeout(java.time.Duration.ZERO).build());
    assertThat(fake.ticking).isEmpty();
    off.close();

    HaPublisher on = conn.publisher();
    assertThat(fake.ticking).hasSize(1);
    on.close();
    assertThat(fake.ticking).isEmpty();
  }

  @Test
  void theWatchLooksFourTimesPerTimeoutBetween50MillisAndOneSecond() {
    assertThat(ConfirmingPublisher.watchPeriod(java.time.Duration.ofSeconds(15)))
        .isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(ConfirmingPublisher.watchPeriod(java.time.Duration.ofMillis(2000)))
        .isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(ConfirmingPublisher.watchPeriod(java.time.Duration.ofMillis(100)))
        .isEqualTo(java.time.Duration.ofMillis(50));
  }

  @Test
  void aNackBeyondTheResendLimitFailsTheMessageWithPublishException() throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher(PublisherOptions.builder().nackResends(0).build());
    CompletableFuture<Void> f = p.publish("", "q", null, body("m1"));

    fake.channels.get(0).nack(1, false);

    assertThat(f)
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(PublishException.class)
        .withMessageContaining("AMQP connection 'test'")
        .withMessageContaining("127.0.0.1:5001");
  }

  @Test
  void consumerIsReattachedAfterFailoverAndAfterABrokerCancel() throws Exception {
    RecoveringConnection conn = open(settings());
    conn.declare(QUEUE);
    List<String> received = new ArrayList<>();
    HaConsumer consumer =
        conn.consume(
            "q",
            d -> {
              received.add(new String(d.body(), StandardCharsets.UTF_8));
              d.ack();
            });
    FakeAmqp.FakeChannel firstChannel = fake.channels.get(1);
    fake.log.clear();

    fake.connection(1).kill();
    FakeAmqp.FakeChannel afterFailover = last();
    afterFailover.deliver("after failover", 1);
    afterFailover.cancelConsumers();
    last().deliver("after cancel", 1);

    assertThat(fake.lines("c2", "sleep"))
        .containsExactly(
            "sleep 1000",
            "c2/ch3 declare queue q",
            "c2/ch3 closed",
            "c2/ch4 consume q",
            "c2/ch4 ack 1",
            "sleep 1000", // kombu_reconnect_delay after basic.cancel
            "c2/ch5 declare queue q",
            "c2/ch5 closed",
            "c2/ch4 closed", // the cancelled consumer's channel
            "c2/ch6 consume q",
            "c2/ch6 ack 1");
    assertThat(firstChannel.open).isFalse();
    assertThat(received).containsExactly("after failover", "after cancel");
    assertThat(consumer.isAttached()).isTrue();
    assertThat(events).filteredOn(AmqpEvent.ConsumerAttached.class::isInstance).hasSize(3);
    assertThat(events).anyMatch(AmqpEvent.ConsumerCancelled.class::isInstance);
  }

  private FakeAmqp.FakeChannel last() {
    return fake.channels.get(fake.channels.size() - 1);
  }

  @Test
  void anAckForADeliveryOfALostChannelIsDropped() throws Exception {
    RecoveringConnection conn = open(settings());
    List<HaDelivery> held = new ArrayList<>();
    conn.consume("q", held::add);
    fake.channels.get(0).deliver("m1", 7);

    fake.connection(1).kill();

    assertThat(held).hasSize(1);
    assertThat(held.get(0).ack()).isFalse();
    assertThat(fake.linesWith(" ack ")).isEmpty();
  }

  @Test
  void closeDuringRecoveryWinsAndNothingReconnectsAfterIt() throws Exception {
    RecoveringConnection conn = open(settings());
    HaPublisher p = conn.publisher();
    CompletableFuture<Void> pending = p.publish("", "q", null, body("m1"));
    fake.refusing.addAll(List.of(0, 1, 2));
    fake.onSleep =
        d -> {
          if (fake.lines("refused").size() == 3) {
            fake.refusing.clear(); // hosts would accept again: they must not be tried
            conn.close();
          }
        };
    fake.log.clear();

    fake.connection(1).kill();

    assertThat(fake.lines("sleep", "refused", "connect"))
        .containsExactly("sleep 1000", "refused B", "refused C", "refused A", "sleep 1000");
    assertThat(conn.state()).isEqualTo(State.CLOSED);
    assertThat(conn.currentHost()).isEmpty();
    assertThat(pending)
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(ResourceClosedException.class)
        .withMessageContaining("AMQP connection 'test'");
    assertThatThrownBy(() -> p.publish("", "q", null, body("m2")))
        .isInstanceOf(ResourceClosedException.class);
    assertThat(events).noneMatch(AmqpEvent.Recovered.class::isInstance);
    assertThat(events).noneMatch(AmqpEvent.GaveUp.class::isInstance);
  }

  @Test
  void closeAfterReconnectingButBeforeTheSwapClosesTheNewConnection() throws Exception {
    RecoveringConnection conn = open(settings());
    conn.consume("q", HaDelivery::ack);
    fake.onConsume =
        () -> {
          if (conn.state() == State.RECOVERING) {
            conn.close();
          }
        };

    fake.connection(1).kill();

    assertThat(fake.connections).hasSize(2);
    assertThat(fake.connection(2).open).isFalse();
    assertThat(fake.channels).allMatch(ch -> !ch.open);
    assertThat(conn.state()).isEqualTo(State.CLOSED);
    assertThat(conn.currentHost()).isEmpty();
    assertThat(events).noneMatch(AmqpEvent.Recovered.class::isInstance);
  }

  @Test
  void useAfterCloseThrowsResourceClosedExceptionNamingTheConnection() {
    RecoveringConnection conn = open(settings());
    conn.close();

    assertThatThrownBy(() -> conn.declare(QUEUE))
        .isInstanceOfSatisfying(
            ResourceClosedException.class,
            e -> assertThat(e.resource()).isEqualTo("AMQP connection 'test'"))
        .hasMessageContaining("AMQP connection 'test' is closed");
    assertThatThrownBy(() -> conn.publisher()).isInstanceOf(ResourceClosedException.class);
    assertThatThrownBy(() -> conn.consume("q", HaDelivery::ack))
        .isInstanceOf(ResourceClosedException.class);
  }

  @Test
  void interruptedFirstConnectThrowsOperationInterruptedAndKeepsTheInterruptFlag() {
    fake.refusing.addAll(List.of(0, 1, 2));
    fake.onSleep =
        d -> {
          throw new InterruptedException();
        };

    try {
      assertThatThrownBy(() -> open(settings()))
          .isInstanceOf(OperationInterruptedException.class)
          .hasMessageContaining("AMQP connection 'test'")
          .hasMessageContaining("attempt 3")
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void interruptedWhileWaitingForRecoveryThrowsOperationInterruptedAndKeepsTheInterruptFlag()
      throws Exception {
    RecoveringConnection conn = open(settings());
    List<Throwable> thrown = new ArrayList<>();
    List<Boolean> flag = new ArrayList<>();
    fake.onSleep =
        d -> {
          Thread.currentThread().interrupt();
          try {
            conn.declare(QUEUE);
          } catch (RuntimeException e) {
            thrown.add(e);
            flag.add(Thread.interrupted());
          }
        };

    fake.connection(1).kill();

    assertThat(thrown)
        .singleElement()
        .isInstanceOf(OperationInterruptedException.class)
        .extracting(Throwable::getMessage)
        .asString()
        .contains("declaring queue 'q'", "AMQP connection 'test'");
    assertThat(flag).containsExactly(true);
    assertThat(conn.state()).isEqualTo(State.OPEN);
  }
}

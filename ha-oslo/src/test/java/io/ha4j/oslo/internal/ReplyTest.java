package io.ha4j.oslo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.oslo.MessagingTimeoutException;
import io.ha4j.oslo.RemoteException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplyTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final FakeConnection conn = new FakeConnection();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static FakeConnection.Delivery reply(Map<String, Object> reply) {
    return new FakeConnection.Delivery(Wire.envelope(reply), Wire.properties(null));
  }

  @Test
  void replyQueueIsDeclaredAsOslosAndAnEndingReplyCompletesItsCall() throws Exception {
    ReplyWaiter w = new ReplyWaiter(conn, AmqpSettings.ofDefaults(), timer);
    CompletableFuture<Object> call = w.register("m1", Duration.ofSeconds(30), "call of add");

    FakeConnection.Delivery d = reply(Wire.reply("m1", 42, null, true));
    conn.consumers.get(w.queue()).handle(d);

    assertThat(w.queue()).matches("reply_[0-9a-f]{32}");
    assertThat(conn.declared)
        .containsExactly(new QueueSpec(w.queue(), false, false, Map.of("x-expires", 1_800_000)));
    assertThat(d.settled).isEqualTo("ack");
    assertThat(call.get(1, TimeUnit.SECONDS)).isEqualTo(42);
  }

  @Test
  void keepAliveWaitsAndATwoPartReplyYieldsTheFirstPartsResult() throws Exception {
    ReplyWaiter w = new ReplyWaiter(conn, AmqpSettings.ofDefaults(), timer);
    CompletableFuture<Object> call = w.register("m1", Duration.ofSeconds(30), "call");

    conn.consumers.get(w.queue()).handle(reply(Wire.reply("m1", null, null, false)));
    assertThat(call).isNotDone();
    conn.consumers.get(w.queue()).handle(reply(Wire.reply("m1", "part one", null, false)));
    assertThat(call).isNotDone();
    conn.consumers.get(w.queue()).handle(reply(Wire.reply("m1", null, null, true)));

    assertThat(call.get(1, TimeUnit.SECONDS)).isEqualTo("part one");
  }

  @Test
  void failureReplyFailsTheCallWithRemoteException() throws Exception {
    ReplyWaiter w = new ReplyWaiter(conn, AmqpSettings.ofDefaults(), timer);
    CompletableFuture<Object> call = w.register("m1", Duration.ofSeconds(30), "call");

    conn.consumers
        .get(w.queue())
        .handle(reply(Wire.reply("m1", null, Wire.noSuchMethod("frob"), true)));

    assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            RemoteException.class, e -> assertThat(e.excType()).isEqualTo("NoSuchMethod"));
  }

  @Test
  void replyForAnUnknownCallIsAcknowledgedAndDropped() throws Exception {
    ReplyWaiter w = new ReplyWaiter(conn, AmqpSettings.ofDefaults(), timer);
    CompletableFuture<Object> call = w.register("m1", Duration.ofSeconds(30), "call");

    FakeConnection.Delivery d = reply(Wire.reply("other", 1, null, true));
    conn.consumers.get(w.queue()).handle(d);

    assertThat(d.settled).isEqualTo("ack");
    assertThat(call).isNotDone();
  }

  @Test
  void callWithoutReplyFailsWithTimeout() {
    ReplyWaiter w = new ReplyWaiter(conn, AmqpSettings.ofDefaults(), timer);
    CompletableFuture<Object> call = w.register("m1", Duration.ofMillis(50), "call of add");

    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(MessagingTimeoutException.class)
        .hasMessageContaining("call of add")
        .hasMessageContaining("m1");
  }

  @Test
  void repairDeclaresTheReplyQueueAgainAndReattachesItsConsumerAtMostOncePerInterval()
      throws Exception {
    ReplyWaiter w = new ReplyWaiter(conn, AmqpSettings.ofDefaults(), timer);
    CompletableFuture<Object> call = w.register("m1", Duration.ofSeconds(30), "call");

    w.repair();
    w.repair();

    assertThat(conn.declared)
        .hasSize(2)
        .allSatisfy(d -> assertThat(d).isEqualTo(conn.declared.get(0)));
    FakeConnection.Delivery d = reply(Wire.reply("m1", "late", null, true));
    conn.consumers.get(w.queue()).handle(d);
    assertThat(call.get(1, TimeUnit.SECONDS)).isEqualTo("late");
  }

  @Test
  void replyToAMissingQueueIsSentAgainUntilItIsRouted() throws Exception {
    AmqpSettings s = AmqpSettings.ofDefaults();
    ReplySender sender = new ReplySender(conn, s, timer, Runnable::run);
    conn.unroutable = p -> conn.published.size() < 2; // the first two attempts come back

    CompletableFuture<Void> done = sender.send("reply_x", Wire.reply("m1", 1, null, true), true);

    done.get(10, TimeUnit.SECONDS);
    assertThat(conn.published).hasSize(3);
    FakeConnection.Published first = conn.published.peek();
    assertThat(first.exchange()).isEmpty();
    assertThat(first.routingKey()).isEqualTo("reply_x");
    assertThat(first.mandatory()).isTrue();
    assertThat(first.props().getContentType()).isEqualTo("application/json");
  }

  @Test
  void replyToAQueueMissingLongerThanTheRetryTimeoutIsAbandoned() throws Exception {
    AmqpSettings s =
        AmqpSettings.builder().missingConsumerRetryTimeout(Duration.ofMillis(600)).build();
    ReplySender sender = new ReplySender(conn, s, timer, Runnable::run);
    conn.unroutable = p -> true;

    sender.send("reply_x", Wire.reply("m1", 1, null, true), true).get(10, TimeUnit.SECONDS);

    // attempts every 0.25 s within 0.6 s: at t = 0, 0.25, 0.5
    assertThat(conn.published.size()).isBetween(2, 4);
  }
}

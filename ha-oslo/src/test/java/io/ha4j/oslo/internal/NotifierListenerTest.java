package io.ha4j.oslo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.amqp.Binding;
import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.oslo.NotificationEndpoint;
import io.ha4j.oslo.NotificationResult;
import io.ha4j.oslo.OsloSettings;
import io.ha4j.oslo.Priority;
import io.ha4j.oslo.RequestContext;
import io.ha4j.oslo.Target;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotifierListenerTest {

  private final List<FakeConnection> connections = new ArrayList<>();
  private TransportCore core;

  private TransportCore core(OsloSettings.Builder settings) {
    core =
        new TransportCore(
            () -> {
              FakeConnection c = new FakeConnection();
              connections.add(c);
              return c;
            },
            settings.amqp(AmqpSettings.builder().controlExchange("ctl").build()).build());
    return core;
  }

  @AfterEach
  void close() {
    if (core != null) {
      core.close();
    }
  }

  @Test
  void notifierDeclaresAndPublishesToTopicDotPriorityForEveryTopic() throws Exception {
    TransportCore t = core(OsloSettings.builder().notificationTopics(List.of("a", "b")));
    new NotifierImpl(t, "pub", Clock.systemUTC())
        .notify(Map.of("user_id", "u", "auth_token", "tok"), Priority.ERROR, "ev", Map.of("x", 1));

    FakeConnection send = connections.get(0);
    assertThat(send.declared)
        .containsExactly(
            new ExchangeSpec("ctl", "topic", false, false),
            new QueueSpec("a.error", false, false, Map.of()),
            new Binding("ctl", "a.error", "a.error"),
            new QueueSpec("b.error", false, false, Map.of()),
            new Binding("ctl", "b.error", "b.error"));
    FakeConnection.Published a = send.published.poll(1, TimeUnit.SECONDS);
    FakeConnection.Published b = send.published.poll(1, TimeUnit.SECONDS);
    assertThat(List.of(a.routingKey(), b.routingKey())).containsExactly("a.error", "b.error");
    assertThat(a.exchange()).isEqualTo("ctl");
    assertThat(a.props().getExpiration()).isNull();
    Map<String, Object> msg = Wire.unwrap(a.body());
    assertThat(msg)
        .containsEntry("priority", "ERROR")
        .containsEntry("publisher_id", "pub")
        .containsEntry("_context_user_id", "u")
        .doesNotContainKey("_context_auth_token");
    assertThat(new String(a.body(), StandardCharsets.UTF_8)).startsWith("{\"oslo.version\"");
  }

  @Test
  void messagingDriverSendsTheBareMessage() throws Exception {
    TransportCore t =
        core(OsloSettings.builder().notificationDriver(OsloSettings.NotificationDriver.MESSAGING));
    new NotifierImpl(t, "pub", Clock.systemUTC()).info(Map.of(), "ev", 1);

    FakeConnection.Published p = connections.get(0).published.poll(1, TimeUnit.SECONDS);
    assertThat(Json.readMap(new String(p.body(), StandardCharsets.UTF_8)))
        .containsEntry("event_type", "ev")
        .doesNotContainKey("oslo.message");
  }

  /** Requeues "requeue.me" once, throws on "boom", records the rest. */
  static final class Info implements NotificationEndpoint {
    final BlockingQueue<String> got = new LinkedBlockingQueue<>();
    int requeues;

    @Override
    public NotificationResult info(
        RequestContext ctx,
        String publisherId,
        String eventType,
        Object payload,
        Map<String, Object> md) {
      if (eventType.equals("boom")) {
        throw new IllegalStateException("boom");
      }
      if (eventType.equals("requeue.me") && requeues++ == 0) {
        return NotificationResult.REQUEUE;
      }
      got.add(
          eventType + " " + publisherId + " " + ctx.userId() + " " + payload + " " + md.keySet());
      return NotificationResult.HANDLED;
    }
  }

  private static FakeConnection.Delivery note(String eventType) {
    Map<String, Object> m =
        NotifierImpl.message(
            "p", Priority.INFO, eventType, 7, Map.of("user_id", "u"), Clock.systemUTC());
    return new FakeConnection.Delivery(Wire.envelope(m), Wire.properties(null));
  }

  private static void awaitSettled(FakeConnection.Delivery d) throws InterruptedException {
    assertThat(d.done.await(10, TimeUnit.SECONDS)).as("settled").isTrue();
  }

  @Test
  void listenerConsumesItsPrioritiesAcksAfterTheEndpointAndRequeuesOnRequestOrFailure()
      throws Exception {
    Info endpoint = new Info();
    Listener l =
        new Listener(
            core(OsloSettings.builder()), List.of(Target.topic("n")), List.of(endpoint), null);
    l.start();
    FakeConnection listen = connections.get(1);

    assertThat(listen.consumers).containsOnlyKeys("n.info");
    FakeConnection.Delivery ok = note("created");
    listen.consumers.get("n.info").handle(ok);
    assertThat(endpoint.got.poll(10, TimeUnit.SECONDS))
        .isEqualTo("created p u 7 [message_id, timestamp]");
    awaitSettled(ok);
    assertThat(ok.settled).isEqualTo("ack");

    FakeConnection.Delivery requeue = note("requeue.me");
    listen.consumers.get("n.info").handle(requeue);
    awaitSettled(requeue);
    assertThat(requeue.settled).isEqualTo("requeue");

    FakeConnection.Delivery boom = note("boom");
    listen.consumers.get("n.info").handle(boom);
    awaitSettled(boom);
    assertThat(boom.settled).isEqualTo("requeue");
    l.close();
  }

  @Test
  void poolBindsEveryPriorityToOneQueue() {
    NotificationEndpoint both =
        new NotificationEndpoint() {
          @Override
          public NotificationResult info(
              RequestContext c, String p, String t, Object pl, Map<String, Object> md) {
            return NotificationResult.HANDLED;
          }

          @Override
          public NotificationResult error(
              RequestContext c, String p, String t, Object pl, Map<String, Object> md) {
            return NotificationResult.HANDLED;
          }
        };
    Listener l =
        new Listener(
            core(OsloSettings.builder()), List.of(Target.topic("n")), List.of(both), "pool1");
    l.start();

    FakeConnection listen = connections.get(1);
    assertThat(listen.declared)
        .contains(
            new QueueSpec("pool1", false, false, Map.of()),
            new Binding("ctl", "pool1", "n.info"),
            new Binding("ctl", "pool1", "n.error"));
    assertThat(listen.consumers).containsOnlyKeys("pool1");
    l.close();
  }
}

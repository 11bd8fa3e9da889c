package io.ha4j.oslo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.amqp.Binding;
import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.oslo.OsloSettings;
import io.ha4j.oslo.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerTest {

  /** An endpoint whose {@code slow} method waits for the test. */
  public static final class Slow {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    public String slow() throws InterruptedException {
      calls.incrementAndGet();
      entered.countDown();
      release.await(30, TimeUnit.SECONDS);
      return "done";
    }

    public int add(int a, int b) {
      calls.incrementAndGet();
      return a + b;
    }
  }

  private final List<FakeConnection> connections = new ArrayList<>();
  private TransportCore core;

  private Server server(int poolSize, Object endpoint) {
    OsloSettings s =
        OsloSettings.builder()
            .amqp(AmqpSettings.builder().controlExchange("ctl").build())
            .executorThreadPoolSize(poolSize)
            .build();
    core =
        new TransportCore(
            () -> {
              FakeConnection c = new FakeConnection();
              connections.add(c);
              return c;
            },
            s);
    Server server = new Server(core, Target.topic("calc").withServer("s1"), List.of(endpoint));
    server.start();
    return server;
  }

  @AfterEach
  void close() {
    if (core != null) {
      core.close();
    }
  }

  private FakeConnection listen() {
    return connections.get(1);
  }

  private static FakeConnection.Delivery request(
      String method, Map<String, Object> args, String msgId, String uniqueId, Object timeout) {
    Map<String, Object> m = Wire.request(method, args, null, null);
    if (msgId != null) {
      m.put("_msg_id", msgId);
      m.put("_reply_q", "reply_abc");
      m.put("_timeout", timeout);
    }
    m.put("_unique_id", uniqueId);
    m.put("_context_user_id", "u");
    return new FakeConnection.Delivery(Wire.envelope(m), Wire.properties(null));
  }

  private void deliver(String queue, FakeConnection.Delivery d) throws Exception {
    listen().consumers.get(queue).handle(d);
  }

  private Map<String, Object> nextReply() throws InterruptedException {
    FakeConnection.Published p = listen().published.poll(10, TimeUnit.SECONDS);
    assertThat(p).as("a reply").isNotNull();
    assertThat(p.exchange()).isEmpty();
    assertThat(p.routingKey()).isEqualTo("reply_abc");
    assertThat(p.mandatory()).isTrue();
    return Wire.unwrap(p.body());
  }

  @Test
  void declaresTopicServerAndFanoutQueuesAsOslo() {
    server(4, new Slow());

    List<Object> d = listen().declared;
    assertThat(d)
        .contains(
            new ExchangeSpec("ctl", "topic", false, false),
            new QueueSpec("calc", false, false, Map.of()),
            new Binding("ctl", "calc", "calc"),
            new QueueSpec("calc.s1", false, false, Map.of()),
            new Binding("ctl", "calc.s1", "calc.s1"),
            new ExchangeSpec("calc_fanout", "fanout", false, true));
    assertThat(d)
        .filteredOn(o -> o instanceof QueueSpec q && q.name().startsWith("calc_fanout_"))
        .singleElement()
        .extracting(o -> ((QueueSpec) o).arguments())
        .isEqualTo(Map.of("x-expires", 1_800_000));
    assertThat(listen().consumers).hasSize(3);
  }

  @Test
  void acknowledgesBeforeRunningAndRepliesInOslosFormat() throws Exception {
    Slow slow = new Slow();
    server(4, slow);
    FakeConnection.Delivery d = request("slow", Map.of(), "m1", "u1", null);

    deliver("calc", d);
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(d.settled).isEqualTo("ack");
    slow.release.countDown();

    Map<String, Object> reply = nextReply();
    assertThat(reply)
        .containsEntry("result", "done")
        .containsEntry("failure", null)
        .containsEntry("ending", true)
        .containsEntry("_msg_id", "m1");
    assertThat((String) reply.get("_unique_id")).matches("[0-9a-f]{32}");
  }

  @Test
  void dropsARedeliveredUniqueIdAndSendsNothingForCasts() throws Exception {
    Slow endpoint = new Slow();
    server(1, endpoint); // one at a time: the cast has run when the call's reply comes
    Map<String, Object> args = new LinkedHashMap<>(Map.of("a", 1, "b", 2));

    deliver("calc", request("add", args, null, "same", null));
    FakeConnection.Delivery again = request("add", args, null, "same", null);
    deliver("calc.s1", again);
    deliver("calc", request("add", args, "m2", "other", null));

    assertThat(nextReply()).containsEntry("result", 3);
    assertThat(endpoint.calls.get()).isEqualTo(2);
    assertThat(again.settled).isEqualTo("ack");
    assertThat(listen().published).isEmpty();
  }

  @Test
  void rejectsAMessageWithoutJsonContentType() throws Exception {
    server(4, new Slow());
    Map<String, Object> m = Wire.request("add", Map.of(), null, null);
    FakeConnection.Delivery d =
        new FakeConnection.Delivery(
            Wire.envelope(m), new com.rabbitmq.client.AMQP.BasicProperties.Builder().build());

    deliver("calc", d);

    assertThat(d.settled).isEqualTo("reject");
  }

  @Test
  void runsAtMostThePoolSizeAtOnceAndLeavesTheRestUnacknowledged() throws Exception {
    Slow slow = new Slow();
    server(1, slow);
    deliver("calc", request("slow", Map.of(), "m1", "u1", null));
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();

    FakeConnection.Delivery second = request("add", Map.of("a", 1, "b", 1), "m2", "u2", null);
    CompletableFuture<Void> handed =
        CompletableFuture.runAsync(
            () -> {
              try {
                deliver("calc", second);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(second.settled).isEqualTo("none");
    slow.release.countDown();

    handed.get(10, TimeUnit.SECONDS);
    assertThat(List.of(nextReply().get("_msg_id"), nextReply().get("_msg_id")))
        .containsExactlyInAnyOrder("m1", "m2");
    assertThat(second.settled).isEqualTo("ack");
  }

  @Test
  void sendsKeepAlivesWhileACallWithACallMonitorTimeoutRuns() throws Exception {
    Slow slow = new Slow();
    server(4, slow);

    deliver("calc", request("slow", Map.of(), "m1", "u1", 2));
    Map<String, Object> keepAlive = nextReply();
    slow.release.countDown();

    assertThat(keepAlive)
        .containsEntry("result", null)
        .containsEntry("failure", null)
        .containsEntry("ending", false)
        .containsEntry("_msg_id", "m1");
    Map<String, Object> last;
    do {
      last = nextReply();
    } while (Boolean.FALSE.equals(last.get("ending")));
    assertThat(last).containsEntry("result", "done");
  }

  @Test
  void stopWaitsForRunningRequestsAndTheirReplies() throws Exception {
    Slow slow = new Slow();
    Server server = server(4, slow);
    deliver("calc", request("slow", Map.of(), "m1", "u1", null));
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Boolean> stopped =
        CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(30)));
    assertThat(stopped).isNotDone();
    slow.release.countDown();

    assertThat(stopped.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(nextReply()).containsEntry("result", "done");
  }
}

package io.ha4j.oslo.internal;

import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.HaDelivery;
import io.ha4j.config.AmqpSettings;
import io.ha4j.oslo.MessagingTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply queue of a transport ({@code reply_<uuid hex>}), shared by all its calls: replies are
 * acknowledged at once and matched by {@code _msg_id}; replies for unknown ids are dropped; {@code
 * ending: false} without a result is a keep-alive, with a result the first half of an old two-part
 * reply. The queue and its consumer are recorded by the connection, so they come back after a
 * failover. Thread-safe.
 */
final class ReplyWaiter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplyWaiter.class);

  private final String queue = "reply_" + Wire.uuidHex();
  private final Map<String, Call> calls = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final HaConsumer consumer;

  private static final class Call {
    final CompletableFuture<Object> future = new CompletableFuture<>();
    volatile Object partial;
    volatile ScheduledFuture<?> timeout;
  }

  ReplyWaiter(HaConnection connection, AmqpSettings settings, ScheduledExecutorService timer) {
    this.timer = timer;
    connection.declare(Declarations.replyQueue(queue, settings));
    this.consumer = connection.consume(queue, this::onDelivery);
  }

  String queue() {
    return queue;
  }

  /** Waits for the reply to a call; the future fails with a time-out after {@code timeout}. */
  CompletableFuture<Object> register(String msgId, Duration timeout, String what) {
    Call c = new Call();
    calls.put(msgId, c);
    c.timeout =
        timer.schedule(
            () ->
                c.future.completeExceptionally(
                    new MessagingTimeoutException(
                        "Timed out waiting for a reply to "
                            + what
                            + " (message ID "
                            + msgId
                            + ") after "
                            + timeout.toMillis()
                            + " ms")),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    c.future.whenComplete(
        (r, e) -> {
          calls.remove(msgId);
          ScheduledFuture<?> t = c.timeout;
          if (t != null) {
            t.cancel(false);
          }
        });
    return c.future;
  }

  private void onDelivery(HaDelivery d) {
    d.ack();
    Map<String, Object> m;
    try {
      m = Wire.unwrap(d.body());
    } catch (IllegalArgumentException e) {
      LOG.warn("reply queue '{}': dropped an unreadable reply: {}", queue, e.getMessage());
      return;
    }
    Object id = m.get("_msg_id");
    Call c = id == null ? null : calls.get(id.toString());
    if (c == null) {
      LOG.debug("reply queue '{}': dropped a reply for unknown message ID {}", queue, id);
      return;
    }
    Object failure = m.get("failure");
    if (failure != null) {
      c.future.completeExceptionally(Wire.remoteException(failure.toString()));
      return;
    }
    Object result = m.get("result");
    if (Boolean.TRUE.equals(m.get("ending"))) {
      c.future.complete(result != null ? result : c.partial);
    } else if (result != null) {
      c.partial = result;
    }
  }

  @Override
  public void close() {
    consumer.close();
    calls.values().forEach(c -> c.future.cancel(false));
  }
}

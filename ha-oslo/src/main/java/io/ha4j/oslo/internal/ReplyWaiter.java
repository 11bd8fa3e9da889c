package io.ha4j.oslo.internal;

import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.HaDelivery;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.oslo.MessagingTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

  /** Least time between two repairs of the reply queue. */
  static final Duration REPAIR_INTERVAL = Duration.ofSeconds(5);

  private final String queue = "reply_" + Wire.uuidHex();
  private final Map<String, Call> calls = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final HaConnection connection;
  private final QueueSpec spec;
  private final AtomicLong lastRepair =
      new AtomicLong(System.nanoTime() - REPAIR_INTERVAL.toNanos());
  private volatile HaConsumer consumer;
  private volatile boolean closed;

  private static final class Call {
    final CompletableFuture<Object> future = new CompletableFuture<>();
    volatile Object partial;
    volatile ScheduledFuture<?> timeout;
  }

  ReplyWaiter(HaConnection connection, AmqpSettings settings, ScheduledExecutorService timer) {
    this.timer = timer;
    this.connection = connection;
    this.spec = Declarations.replyQueue(queue, settings);
    connection.declare(spec);
    this.consumer = connection.consume(queue, this::onDelivery);
  }

  /**
   * Declares the reply queue again and re-attaches its consumer, at most once per {@link
   * #REPAIR_INTERVAL}: called when a call timed out. A transient queue re-declared right after its
   * node died can be removed again by RabbitMQ's clean-up of that node's queues, leaving no queue
   * and no consumer; without this, every later call would time out too.
   */
  void repair() {
    long last = lastRepair.get();
    long now = System.nanoTime();
    if (closed || now - last < REPAIR_INTERVAL.toNanos() || !lastRepair.compareAndSet(last, now)) {
      return;
    }
    try {
      connection.declare(spec);
      HaConsumer old = consumer;
      consumer = connection.consume(queue, this::onDelivery);
      old.close();
      LOG.debug("reply queue '{}' re-declared and re-attached after a time-out", queue);
    } catch (RuntimeException e) {
      LOG.warn("reply queue '{}' could not be re-declared: {}", queue, e.toString());
    }
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
    closed = true;
    consumer.close();
    calls.values().forEach(c -> c.future.cancel(false));
  }
}

package io.ha4j.oslo.internal;

import com.rabbitmq.client.Return;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.PublisherOptions;
import io.ha4j.config.AmqpSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends RPC replies to the default exchange, mandatory (unless {@code direct_mandatory_flag} is
 * off): a reply the broker returns because the reply queue is missing is sent again every 0.25 s
 * for {@code kombu_missing_consumer_retry_timeout}, then abandoned, as oslo does. The broker sends
 * {@code basic.return} before the confirm of the same message on the same channel, so the return is
 * known when the confirm completes the publish future. Thread-safe.
 */
final class ReplySender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplySender.class);

  /** oslo's pause between two attempts to send a reply to a missing queue. */
  static final Duration RETRY_PAUSE = Duration.ofMillis(250);

  private final HaPublisher publisher;
  private final ScheduledExecutorService timer;
  private final Executor io;
  private final Duration retryTimeout;
  private final Map<String, Attempt> pending = new ConcurrentHashMap<>();

  private static final class Attempt {
    final String replyQueue;
    final byte[] body;
    final long deadline;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile boolean returned;

    Attempt(String replyQueue, byte[] body, long deadline) {
      this.replyQueue = replyQueue;
      this.body = body;
      this.deadline = deadline;
    }
  }

  ReplySender(
      HaConnection connection, AmqpSettings settings, ScheduledExecutorService timer, Executor io) {
    this.publisher =
        connection.publisher(
            PublisherOptions.ofDefaults().withMandatory(settings.directMandatoryFlag()));
    this.timer = timer;
    this.io = io;
    this.retryTimeout = settings.missingConsumerRetryTimeout();
    publisher.onReturn(this::returned);
  }

  /**
   * Sends a reply; the future completes when it was delivered, abandoned or failed.
   *
   * @param retry whether a missing reply queue is retried (not for keep-alives)
   */
  CompletableFuture<Void> send(String replyQueue, Map<String, Object> reply, boolean retry) {
    String uniqueId = String.valueOf(reply.get("_unique_id"));
    long deadline = System.nanoTime() + (retry ? retryTimeout.toNanos() : 0);
    Attempt a = new Attempt(replyQueue, Wire.envelope(reply), deadline);
    pending.put(uniqueId, a);
    a.done.whenComplete((v, e) -> pending.remove(uniqueId));
    publish(uniqueId, a);
    return a.done;
  }

  private void publish(String uniqueId, Attempt a) {
    a.returned = false;
    CompletableFuture<Void> f;
    try {
      f = publisher.publish("", a.replyQueue, Wire.properties(null), a.body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      a.done.completeExceptionally(e);
      return;
    } catch (RuntimeException e) {
      a.done.completeExceptionally(e);
      return;
    }
    f.whenComplete(
        (v, e) -> {
          if (e != null) {
            a.done.completeExceptionally(e);
          } else if (!a.returned) {
            a.done.complete(null);
          } else if (System.nanoTime() - a.deadline < 0) {
            LOG.debug("reply queue '{}' is missing; sending the reply again", a.replyQueue);
            timer.schedule(
                () -> io.execute(() -> publish(uniqueId, a)),
                RETRY_PAUSE.toMillis(),
                TimeUnit.MILLISECONDS);
          } else {
            LOG.warn(
                "reply to queue '{}' abandoned: the queue was missing for {} ms",
                a.replyQueue,
                retryTimeout.toMillis());
            a.done.complete(null);
          }
        });
  }

  private void returned(Return r) {
    try {
      Object id = Wire.unwrap(r.getBody()).get("_unique_id");
      Attempt a = id == null ? null : pending.get(id.toString());
      if (a != null) {
        a.returned = true;
      }
    } catch (IllegalArgumentException e) {
      LOG.debug("ignored a returned message that is not a reply: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    publisher.close();
  }
}

package io.ha4j.amqp.internal;

import com.rabbitmq.client.AMQP;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One message accepted by a {@link ConfirmingPublisher} and not yet settled: what to send again,
 * its place in publishing order, the caller's future and how often the broker nacked it.
 */
final class PendingMessage {

  /** Told once per message when it is settled (confirmed or failed). */
  @FunctionalInterface
  interface Settled {
    void settled(boolean confirmed);
  }

  final long order;
  final String exchange;
  final String routingKey;
  final AMQP.BasicProperties props;
  final byte[] body;
  final CompletableFuture<Void> future = new CompletableFuture<>();
  // Not future.isDone(): the caller may cancel the future it holds; the window slot is ours.
  private final AtomicBoolean done = new AtomicBoolean();
  private final Settled settled;
  int nacks;

  /** When it was last sent on a channel ({@link RecoveringConnection}'s clock); for the watch. */
  volatile long sentAt;

  PendingMessage(
      long order,
      String exchange,
      String routingKey,
      AMQP.BasicProperties props,
      byte[] body,
      Settled settled) {
    this.order = order;
    this.exchange = exchange;
    this.routingKey = routingKey;
    this.props = props;
    this.body = body;
    this.settled = settled;
  }

  boolean isDone() {
    return done.get();
  }

  /**
   * Completes the future: confirmed when {@code error} is null. Only the first call counts. The
   * publisher's counters are updated first, so that whoever sees the future done also sees them.
   */
  void finish(RuntimeException error) {
    if (done.compareAndSet(false, true)) {
      settled.settled(error == null);
      if (error == null) {
        future.complete(null);
      } else {
        future.completeExceptionally(error);
      }
    }
  }

  /** Key for a message that waits for a re-send on no channel yet: below every sequence number. */
  long unsentKey() {
    return -order - 1;
  }
}

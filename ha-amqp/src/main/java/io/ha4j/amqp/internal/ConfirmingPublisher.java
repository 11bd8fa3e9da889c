package io.ha4j.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.Return;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.PublishException;
import io.ha4j.amqp.PublisherOptions;
import io.ha4j.config.HaException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HaPublisher}. Every accepted message stays in the outstanding map of the current
 * channel until the broker confirms it; after a failover the outstanding messages of the lost
 * channel are sent again on the new one, in the order they were first published.
 */
final class ConfirmingPublisher implements HaPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(ConfirmingPublisher.class);

  /** One accepted message. */
  private final class Pending {
    final long order;
    final String exchange;
    final String routingKey;
    final AMQP.BasicProperties props;
    final byte[] body;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    // Not future.isDone(): the caller may cancel the future it holds; the window slot is ours.
    final AtomicBoolean done = new AtomicBoolean();
    int nacks;

    Pending(
        long order, String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) {
      this.order = order;
      this.exchange = exchange;
      this.routingKey = routingKey;
      this.props = props;
      this.body = body;
    }

    void finish(RuntimeException error) {
      if (done.compareAndSet(false, true)) {
        if (error == null) {
          confirmed.incrementAndGet();
          future.complete(null);
        } else {
          future.completeExceptionally(error);
        }
        window.release();
        if (inFlight.decrementAndGet() == 0) {
          synchronized (idle) {
            idle.notifyAll();
          }
        }
      }
    }
  }

  private final RecoveringConnection owner;
  private final PublisherOptions options;
  private final Semaphore window;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final AtomicLong inFlight = new AtomicLong();
  private final Object idle = new Object();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong confirmed = new AtomicLong();
  private final AtomicLong republished = new AtomicLong();
  private volatile Consumer<Return> returnHandler = r -> {};
  private static final long NACK_PAUSE_MILLIS = 200;
  private final java.util.concurrent.ConcurrentLinkedQueue<Pending> toResend =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final AtomicBoolean resendScheduled = new AtomicBoolean();

  // guarded by lock
  private Channel channel;
  private NavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
  private long order;
  private volatile boolean blocked;
  private volatile RuntimeException failure;
  private volatile boolean closed;
  private volatile int lastRepublished;

  ConfirmingPublisher(RecoveringConnection owner, PublisherOptions options) {
    this.owner = owner;
    this.options = options;
    this.window = new Semaphore(options.maxInFlight());
  }

  /** Opens the first channel. */
  void start(Connection c) throws IOException {
    recover(c);
  }

  @Override
  public CompletableFuture<Void> publish(
      String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
      throws InterruptedException {
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    if (closed) {
      throw new HaException("publisher of " + owner.name() + " is closed");
    }
    AMQP.BasicProperties props =
        properties == null ? MessageProperties.PERSISTENT_BASIC : properties;
    window.acquire();
    boolean accepted = false;
    lock.lockInterruptibly();
    try {
      awaitUsable();
      Pending p = new Pending(order++, exchange, routingKey, props, body);
      long seq = channel.getNextPublishSeqNo();
      outstanding.put(seq, p);
      inFlight.incrementAndGet();
      published.incrementAndGet();
      accepted = true;
      try {
        channel.basicPublish(exchange, routingKey, options.mandatory(), props, body);
      } catch (IOException | AlreadyClosedException e) {
        // The connection is going: the message stays outstanding and is re-sent on recovery.
        channel = null;
      }
      return p.future;
    } finally {
      lock.unlock();
      if (!accepted) {
        window.release();
      }
    }
  }

  /** Waits (holding the lock's condition) until there is a channel and publishing is allowed. */
  private void awaitUsable() throws InterruptedException {
    long blockedDeadline = 0;
    while (true) {
      RuntimeException f = failure;
      if (f != null) {
        throw f;
      }
      if (closed) {
        throw new HaException("publisher of " + owner.name() + " is closed");
      }
      if (channel == null) {
        ready.await();
        continue;
      }
      if (blocked) {
        long now = System.nanoTime();
        if (blockedDeadline == 0) {
          blockedDeadline = now + options.blockedTimeout().toNanos();
        }
        if (now >= blockedDeadline) {
          throw new PublishException(
              "publishing on "
                  + owner.name()
                  + " stayed blocked by the broker (resource alarm) for more than "
                  + options.blockedTimeout());
        }
        ready.awaitNanos(blockedDeadline - now);
        continue;
      }
      return;
    }
  }

  void blocked(boolean b) {
    blocked = b;
    if (!b) {
      lock.lock();
      try {
        ready.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  void connectionLost() {
    lock.lock();
    try {
      channel = null;
    } finally {
      lock.unlock();
    }
  }

  int lastRepublished() {
    return lastRepublished;
  }

  /** Opens a channel on {@code c} and re-sends every outstanding message, in original order. */
  void recover(Connection c) throws IOException {
    Channel ch = c.createChannel();
    ch.confirmSelect();
    NavigableMap<Long, Pending> map = new ConcurrentSkipListMap<>();
    ch.addConfirmListener(listener(map));
    ch.addReturnListener(r -> returnHandler.accept(r));
    ch.addShutdownListener(
        sse -> {
          if (!sse.isHardError() && !sse.isInitiatedByApplication()) {
            owner.runOnRecoveryThread(() -> channelFailed(ch, sse));
          }
        });
    lock.lock();
    try {
      List<Pending> resend = new ArrayList<>(outstanding.values());
      resend.removeIf(p -> p.done.get());
      resend.sort((a, b) -> Long.compare(a.order, b.order));
      for (Pending p : resend) {
        map.put(ch.getNextPublishSeqNo(), p);
        ch.basicPublish(p.exchange, p.routingKey, options.mandatory(), p.props, p.body);
      }
      outstanding = map;
      channel = ch;
      blocked = false;
      lastRepublished = resend.size();
      republished.addAndGet(resend.size());
      if (!resend.isEmpty()) {
        LOG.debug("publisher of {} re-sent {} unconfirmed message(s)", owner.name(), resend.size());
      }
      ready.signalAll();
    } catch (IOException | RuntimeException e) {
      // Keep whatever was re-sent as outstanding on the (dying) channel for the next attempt.
      for (Pending p : outstanding.values()) {
        if (!p.done.get() && !map.containsValue(p)) {
          map.put(-p.order - 1, p); // not sent on ch: key below every real sequence number
        }
      }
      outstanding = map;
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The broker closed the channel but not the connection (e.g. 404 for a missing exchange): the
   * outstanding messages are failed with the broker's reason, since re-sending would fail the same
   * way, and a fresh channel replaces the closed one.
   */
  private void channelFailed(Channel ch, com.rabbitmq.client.ShutdownSignalException sse) {
    lock.lock();
    try {
      if (channel != ch && channel != null) {
        return;
      }
      PublishException error =
          new PublishException(
              "the broker closed the publishing channel of "
                  + owner.name()
                  + ": "
                  + sse.getMessage());
      for (Pending p : outstanding.values()) {
        p.finish(error);
      }
      outstanding = new ConcurrentSkipListMap<>();
      channel = null;
    } finally {
      lock.unlock();
    }
    try {
      Connection c = ch.getConnection();
      if (c.isOpen() && !closed) {
        recover(c);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("publisher of {}: cannot reopen its channel yet: {}", owner.name(), e.toString());
    }
  }

  private ConfirmListener listener(NavigableMap<Long, Pending> map) {
    return new ConfirmListener() {
      @Override
      public void handleAck(long seq, boolean multiple) {
        settle(map, seq, multiple, null);
      }

      @Override
      public void handleNack(long seq, boolean multiple) {
        LOG.debug("publisher of {}: nack {} (multiple: {})", owner.name(), seq, multiple);
        List<Pending> nacked = new ArrayList<>();
        if (multiple) {
          NavigableMap<Long, Pending> head = map.subMap(1L, true, seq, true);
          for (Map.Entry<Long, Pending> e; (e = head.pollFirstEntry()) != null; ) {
            nacked.add(e.getValue());
          }
        } else {
          Pending p = map.remove(seq);
          if (p != null) {
            nacked.add(p);
          }
        }
        nacked(nacked);
      }
    };
  }

  /**
   * RabbitMQ nacks publishes to a quorum queue that has no leader for a moment (its node just
   * died): such a message is sent again, up to {@link PublisherOptions#nackResends()} times, before
   * the nack reaches the caller.
   */
  private void nacked(List<Pending> nacked) {
    List<Pending> again = new ArrayList<>();
    for (Pending p : nacked) {
      if (p.nacks++ < options.nackResends()) {
        again.add(p);
      } else {
        p.finish(
            new PublishException(
                "the broker refused (nack) a message published on "
                    + owner.name()
                    + (p.nacks > 1 ? " " + p.nacks + " times" : "")));
      }
    }
    if (!again.isEmpty()) {
      toResend.addAll(again);
      if (resendScheduled.compareAndSet(false, true)) {
        owner.runOnRecoveryThread(this::resendNacked);
      }
    }
  }

  /**
   * Sends every nacked message queued so far again, after a pause for the leader election, on a
   * fresh channel: RabbitMQ 3.10 keeps nacking every publish to a quorum queue on a channel that
   * first routed to it while the queue had no leader, even after a leader is elected. The
   * unconfirmed messages of the old channel move to the new one with the nacked ones, in their
   * original order; the old channel is closed.
   */
  private void resendNacked() {
    int worst = 0;
    for (Pending p : toResend) {
      worst = Math.max(worst, p.nacks);
    }
    try {
      Thread.sleep(nackPause(worst));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    resendScheduled.set(false);
    Channel old;
    lock.lock();
    try {
      for (Pending p; (p = toResend.poll()) != null; ) {
        outstanding.put(-p.order - 1, p); // not on any channel yet: key below every seqNo
      }
      old = channel;
      if (old == null || closed) {
        return; // the connection recovery re-sends them
      }
    } finally {
      lock.unlock();
    }
    try {
      recover(old.getConnection());
    } catch (IOException | RuntimeException e) {
      LOG.debug("publisher of {}: cannot open a fresh channel yet: {}", owner.name(), e.toString());
      lock.lock();
      try {
        if (channel == old) {
          channel = null; // the connection is going; its recovery re-sends
        }
      } finally {
        lock.unlock();
      }
      return;
    }
    RecoveringConnection.closeQuietly(old);
  }

  /** 200 ms after the first nack, doubling per nack of the same message, at most 1 s. */
  static long nackPause(int nacks) {
    return Math.min(NACK_PAUSE_MILLIS << Math.max(0, Math.min(nacks - 1, 10)), 1000);
  }

  private static void settle(
      NavigableMap<Long, ConfirmingPublisher.Pending> map,
      long seq,
      boolean multiple,
      RuntimeException error) {
    if (multiple) {
      // Keys below 1 are messages waiting for a re-send, not on this channel.
      NavigableMap<Long, Pending> head = map.subMap(1L, true, seq, true);
      for (Map.Entry<Long, Pending> e; (e = head.pollFirstEntry()) != null; ) {
        e.getValue().finish(error);
      }
    } else {
      Pending p = map.remove(seq);
      if (p != null) {
        p.finish(error);
      }
    }
  }

  /** The connection gave up ({@code cause}) or closed: fail what was never confirmed. */
  void closed(RuntimeException cause) {
    RuntimeException error =
        cause != null
            ? cause
            : new HaException(
                "connection " + owner.name() + " closed before the broker confirmed the message");
    if (cause != null) {
      failure = cause;
    }
    closed = true;
    lock.lock();
    try {
      for (Pending p : outstanding.values()) {
        p.finish(error);
      }
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for outstanding confirms up to the close timeout (used by the connection's close). */
  void drain() {
    try {
      awaitConfirms(options.closeTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean awaitConfirms(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
    }
    return true;
  }

  @Override
  public void onReturn(Consumer<Return> handler) {
    this.returnHandler = handler == null ? r -> {} : handler;
  }

  @Override
  public long published() {
    return published.get();
  }

  @Override
  public long confirmed() {
    return confirmed.get();
  }

  @Override
  public long republished() {
    return republished.get();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    drain();
    Channel ch;
    lock.lock();
    try {
      closed = true;
      ch = channel;
      channel = null;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
    if (ch != null) {
      RecoveringConnection.closeQuietly(ch);
    }
    closed(null);
    owner.remove(this);
  }
}

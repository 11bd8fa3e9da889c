package io.ha4j.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.PublishException;
import io.ha4j.amqp.PublisherOptions;
import io.ha4j.config.ResourceClosedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * The {@link HaPublisher}, a {@link Member} of its connection. Every accepted message stays in the
 * outstanding map of the current channel until the broker confirms it; after a failover the
 * outstanding messages of the lost channel are sent again on the new one, in the order they were
 * first published.
 *
 * <p>The confirm watch: when the oldest message outstanding on the channel has waited longer than
 * {@link PublisherOptions#confirmTimeout()} (not counting time the broker blocked the connection),
 * the outstanding messages are sent again on a fresh channel and the old one is closed. RabbitMQ
 * 3.10 can lose a message sent to a quorum queue while the connection's node is cut off from the
 * queue's leader and then never confirm that channel's later messages to the queue
 * (rabbitmq-server#14589); a fresh channel starts a new sequence.
 */
final class ConfirmingPublisher implements HaPublisher, Member {

  private static final Logger LOG = LoggerFactory.getLogger(ConfirmingPublisher.class);
  private static final long NACK_PAUSE_MILLIS = 200;

  private final RecoveringConnection owner;
  private final String resource;
  private final PublisherOptions options;
  private final Semaphore window;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final AtomicLong inFlight = new AtomicLong();
  private final Object idle = new Object();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong confirmed = new AtomicLong();
  private final AtomicLong republished = new AtomicLong();
  private final PendingMessage.Settled settled = this::settled;
  private final ConcurrentLinkedQueue<PendingMessage> toResend = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean resendScheduled = new AtomicBoolean();

  /**
   * A connection that refused the last fresh channel but stayed open (recovery thread only): no
   * recovery of it will re-send, so the next nack re-send opens the channel there.
   */
  private Connection refusedChannelOn;

  private volatile Consumer<Return> returnHandler = r -> {};
  private final long confirmTimeoutNanos;
  private final AtomicBoolean stallResendScheduled = new AtomicBoolean();
  private final AtomicLong stallResends = new AtomicLong();
  private final Ticker.Tick watch;
  private volatile long unblockedAt;

  // guarded by lock
  private Channel channel;
  private NavigableMap<Long, PendingMessage> outstanding = new ConcurrentSkipListMap<>();
  private long order;
  private volatile boolean blocked;
  private volatile RuntimeException failure;
  private volatile boolean closed;

  ConfirmingPublisher(RecoveringConnection owner, PublisherOptions options) {
    this.owner = owner;
    this.resource = "publisher of " + owner.resource();
    this.options = options;
    this.window = new Semaphore(options.maxInFlight());
    this.confirmTimeoutNanos = options.confirmTimeout().toNanos();
    this.unblockedAt = owner.nanoTime();
    this.watch =
        confirmTimeoutNanos == 0
            ? () -> {}
            : owner.ticker().every(watchPeriod(options.confirmTimeout()), this::watchConfirms);
  }

  /** A quarter of the timeout, between 50 ms and 1 s. */
  static Duration watchPeriod(Duration confirmTimeout) {
    long millis = Math.max(50, Math.min(1000, confirmTimeout.toMillis() / 4));
    return Duration.ofMillis(millis);
  }

  private void settled(boolean ok) {
    if (ok) {
      confirmed.incrementAndGet();
    }
    window.release();
    if (inFlight.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  @Override
  public CompletableFuture<Void> publish(
      String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
      throws InterruptedException {
    checkUsable();
    AMQP.BasicProperties props =
        properties == null ? MessageProperties.PERSISTENT_BASIC : properties;
    window.acquire();
    boolean accepted = false;
    lock.lockInterruptibly();
    try {
      awaitUsable();
      PendingMessage p = new PendingMessage(order++, exchange, routingKey, props, body, settled);
      long seq = channel.getNextPublishSeqNo();
      p.sentAt = owner.nanoTime();
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

  private void checkUsable() {
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    if (closed) {
      throw new ResourceClosedException(resource, resource + " is closed");
    }
  }

  /** Waits (holding the lock's condition) until there is a channel and publishing is allowed. */
  private void awaitUsable() throws InterruptedException {
    long blockedDeadline = 0;
    while (true) {
      checkUsable();
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
                  + owner.resource()
                  + " ("
                  + owner.currentHost().orElse("-")
                  + ") stayed blocked by the broker (resource alarm) for more than "
                  + options.blockedTimeout());
        }
        ready.awaitNanos(blockedDeadline - now);
        continue;
      }
      return;
    }
  }

  @Override
  public void blocked(boolean b) {
    blocked = b;
    if (!b) {
      unblockedAt = owner.nanoTime();
      lock.lock();
      try {
        ready.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  public void connectionLost() {
    lock.lock();
    try {
      channel = null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Opens a channel on {@code c} and re-sends every outstanding message, in original order.
   *
   * @return the messages sent again
   */
  @Override
  public int recover(Connection c) throws IOException {
    Channel ch = c.createChannel();
    ch.confirmSelect();
    NavigableMap<Long, PendingMessage> map = new ConcurrentSkipListMap<>();
    ch.addConfirmListener(Confirms.listener(map, this::nacked));
    ch.addReturnListener(r -> returnHandler.accept(r));
    ch.addShutdownListener(
        sse -> {
          if (!sse.isHardError() && !sse.isInitiatedByApplication()) {
            owner.runOnRecoveryThread(() -> channelFailed(ch, sse));
          }
        });
    lock.lock();
    try {
      List<PendingMessage> resend = new ArrayList<>(outstanding.values());
      resend.removeIf(PendingMessage::isDone);
      resend.sort(Comparator.comparingLong(p -> p.order));
      long now = owner.nanoTime();
      for (PendingMessage p : resend) {
        p.sentAt = now;
        map.put(ch.getNextPublishSeqNo(), p);
        ch.basicPublish(p.exchange, p.routingKey, options.mandatory(), p.props, p.body);
      }
      outstanding = map;
      channel = ch;
      blocked = false;
      republished.addAndGet(resend.size());
      if (!resend.isEmpty()) {
        LOG.debug("{} re-sent {} unconfirmed message(s)", resource, resend.size());
      }
      ready.signalAll();
      return resend.size();
    } catch (IOException | RuntimeException e) {
      // Keep whatever was re-sent as outstanding on the (dying) channel for the next attempt.
      for (PendingMessage p : outstanding.values()) {
        if (!p.isDone() && !map.containsValue(p)) {
          map.put(p.unsentKey(), p);
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
  private void channelFailed(Channel ch, ShutdownSignalException sse) {
    lock.lock();
    try {
      if (channel != ch && channel != null) {
        return;
      }
      PublishException error =
          new PublishException(
              "the broker closed the publishing channel of "
                  + owner.resource()
                  + " ("
                  + owner.currentHost().orElse("-")
                  + "): "
                  + sse.getMessage(),
              sse);
      for (PendingMessage p : outstanding.values()) {
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
      LOG.debug("{}: cannot reopen its channel yet: {}", resource, e.toString());
    }
  }

  /**
   * RabbitMQ nacks publishes to a quorum queue that has no leader for a moment (its node just
   * died): such a message is sent again, up to {@link PublisherOptions#nackResends()} times, before
   * the nack reaches the caller.
   */
  private void nacked(List<PendingMessage> nacked) {
    LOG.debug("{}: {} message(s) nacked", resource, nacked.size());
    List<PendingMessage> again = new ArrayList<>();
    for (PendingMessage p : nacked) {
      if (p.nacks++ < options.nackResends()) {
        again.add(p);
      } else {
        p.finish(
            new PublishException(
                "the broker refused (nack) a message published on "
                    + owner.resource()
                    + " ("
                    + owner.currentHost().orElse("-")
                    + ")"
                    + (p.nacks > 1 ? " " + p.nacks + " times" : "")));
      }
    }
    if (!again.isEmpty()) {
      toResend.addAll(again);
      if (resendScheduled.compareAndSet(false, true)) {
        long nackedAt = owner.nanoTime();
        owner.runOnRecoveryThread(() -> resendNacked(nackedAt));
      }
    }
  }

  /**
   * Sends every nacked message queued so far again, after a pause for the leader election, on a
   * fresh channel: RabbitMQ 3.10 keeps nacking every publish to a quorum queue on a channel that
   * first routed to it while the queue had no leader, even after a leader is elected. The pause
   * counts from the nack ({@code nackedAt}), not from when the recovery thread gets here: a nack
   * that arrived while the connection recovery was waiting for the same election (a consumer's
   * {@code basic.consume} waits for the queue's new leader) has waited already. The unconfirmed
   * messages of the old channel move to the new one with the nacked ones, in their original order;
   * the old channel is closed. A fresh channel the broker refuses while the connection stays is
   * tried again after the next pause.
   */
  private void resendNacked(long nackedAt) {
    int worst = 0;
    for (PendingMessage p : toResend) {
      worst = Math.max(worst, p.nacks);
    }
    try {
      long left = nackedAt + TimeUnit.MILLISECONDS.toNanos(nackPause(worst)) - owner.nanoTime();
      if (left > 0) {
        owner.sleeper().sleep(Duration.ofNanos(left));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    resendScheduled.set(false);
    Channel old;
    Connection c;
    lock.lock();
    try {
      for (PendingMessage p; (p = toResend.poll()) != null; ) {
        outstanding.put(p.unsentKey(), p);
      }
      old = channel;
      c = old != null ? old.getConnection() : refusedChannelOn;
      if (c == null || !c.isOpen() || closed) {
        return; // the connection recovery re-sends them
      }
    } finally {
      lock.unlock();
    }
    try {
      recover(c);
      refusedChannelOn = null;
    } catch (IOException | RuntimeException e) {
      LOG.debug("{}: cannot open a fresh channel yet: {}", resource, e.toString());
      boolean dropped = false;
      lock.lock();
      try {
        if (channel == old) {
          channel = null; // publish waits for the next channel
          dropped = old != null;
        }
      } finally {
        lock.unlock();
      }
      if (dropped) {
        Channels.closeQuietly(old); // its messages wait in outstanding for the next channel
      }
      if (c.isOpen() && !closed) {
        refusedChannelOn = c;
        if (resendScheduled.compareAndSet(false, true)) {
          long failedAt = owner.nanoTime();
          owner.runOnRecoveryThread(() -> resendNacked(failedAt));
        }
      }
      return;
    }
    if (old != null) {
      Channels.closeQuietly(old);
    }
  }

  /** 200 ms after the first nack, doubling per nack of the same message, at most 1 s. */
  static long nackPause(int nacks) {
    return Math.min(NACK_PAUSE_MILLIS << Math.max(0, Math.min(nacks - 1, 10)), 1000);
  }

  /** The ticker's task: checks the channel and never throws. */
  private void watchConfirms() {
    try {
      checkConfirms(owner.nanoTime());
    } catch (RuntimeException e) {
      LOG.debug("{}: confirm watch failed: {}", resource, e.toString());
    }
  }

  /**
   * Starts a re-send on a fresh channel when the oldest message outstanding on the current channel
   * has waited more than the confirm timeout at {@code now}, counted from when it was sent or the
   * broker last unblocked the connection, whichever is later.
   *
   * @return whether a re-send was started
   */
  boolean checkConfirms(long now) {
    if (closed || blocked) {
      return false;
    }
    Channel ch;
    long waited;
    int waiting;
    lock.lock();
    try {
      ch = channel;
      Map.Entry<Long, PendingMessage> oldest = outstanding.ceilingEntry(1L);
      if (ch == null || oldest == null) {
        return false;
      }
      waited = now - Math.max(oldest.getValue().sentAt, unblockedAt);
      if (waited <= confirmTimeoutNanos) {
        return false;
      }
      waiting = outstanding.tailMap(1L).size();
    } finally {
      lock.unlock();
    }
    if (!stallResendScheduled.compareAndSet(false, true)) {
      return false;
    }
    LOG.warn(
        "{} ({}): no confirm for {} ms with {} message(s) outstanding; sending them again on a"
            + " fresh channel",
        resource,
        owner.currentHost().orElse("-"),
        TimeUnit.NANOSECONDS.toMillis(waited),
        waiting);
    owner.runOnRecoveryThread(() -> resendStalled(ch));
    return true;
  }

  private void resendStalled(Channel old) {
    try {
      lock.lock();
      try {
        if (channel != old || closed) {
          return; // a failover or a nack re-send has replaced the channel meanwhile
        }
      } finally {
        lock.unlock();
      }
      try {
        recover(old.getConnection());
      } catch (IOException | RuntimeException e) {
        LOG.debug("{}: cannot open a fresh channel yet: {}", resource, e.toString());
        return;
      }
      stallResends.incrementAndGet();
      Channels.closeQuietly(old);
    } finally {
      stallResendScheduled.set(false);
    }
  }

  /** How often the confirm watch re-sent outstanding messages on a fresh channel. */
  long stallResends() {
    return stallResends.get();
  }

  /** The connection gave up ({@code cause}) or closed: fail what was never confirmed. */
  @Override
  public void closed(RuntimeException cause) {
    RuntimeException error =
        cause != null
            ? cause
            : new ResourceClosedException(
                resource, owner.resource() + " was closed before the broker confirmed the message");
    if (cause != null) {
      failure = cause;
    }
    closed = true;
    watch.close();
    lock.lock();
    try {
      for (PendingMessage p : outstanding.values()) {
        p.finish(error);
      }
      for (PendingMessage p; (p = toResend.poll()) != null; ) {
        p.finish(error);
      }
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for outstanding confirms up to the close timeout (used by the connection's close). */
  @Override
  public void drain() {
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
      Channels.closeQuietly(ch);
    }
    closed(null);
    owner.remove(this);
  }

  @Override
  public String toString() {
    return "HaPublisher["
        + owner.name()
        + ", published "
        + published
        + ", confirmed "
        + confirmed
        + "]";
  }
}

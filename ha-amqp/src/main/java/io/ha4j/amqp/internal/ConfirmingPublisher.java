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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HaPublisher}, a {@link Member} of its connection.
 *
 * <p>Messages go out on {@link PublisherOptions#lanes()} lanes, each a channel of its own: a
 * publishing thread is given a lane on its first publish (round robin) and keeps it, so that
 * threads do not wait for each other's {@code basicPublish} and a thread's messages stay in order.
 * Lane 0 is opened with the publisher, the others when a thread first needs them. Every accepted
 * message stays in the outstanding map of its lane's channel until the broker confirms it; after a
 * failover each lane's outstanding messages are sent again on its new channel, in the order they
 * were first published.
 *
 * <p>The confirm watch: when the oldest message outstanding on a lane has waited longer than {@link
 * PublisherOptions#confirmTimeout()} (not counting time the broker blocked the connection), that
 * lane's outstanding messages are sent again on a fresh channel and the old one is closed. RabbitMQ
 * 3.10 can lose a message sent to a quorum queue while the connection's node is cut off from the
 * queue's leader and then never confirm that channel's later messages to the queue
 * (rabbitmq-server#14589); a fresh channel starts a new sequence.
 */
final class ConfirmingPublisher implements HaPublisher, Member {

  private static final Logger LOG = LoggerFactory.getLogger(ConfirmingPublisher.class);
  private static final long NACK_PAUSE_MILLIS = 200;

  /** How often a thread waiting for its lane's first channel during a recovery looks again. */
  private static final long LANE_OPEN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final RecoveringConnection owner;
  private final String resource;
  private final PublisherOptions options;
  private final Semaphore window;
  private final AtomicLong inFlight = new AtomicLong();
  private final Object idle = new Object();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong confirmed = new AtomicLong();
  private final AtomicLong republished = new AtomicLong();
  private final AtomicLong order = new AtomicLong();
  private final PendingMessage.Settled settled = this::settled;
  private volatile Consumer<Return> returnHandler = r -> {};
  private final long confirmTimeoutNanos;
  private final Ticker.Tick watch;
  private final Lane[] lanes;
  private final AtomicInteger nextLane = new AtomicInteger();
  // an index, not the lane: a value referring to the publisher would keep it alive per thread
  private final ThreadLocal<Integer> laneOfThread;
  private volatile long unblockedAt;
  private volatile boolean blocked;
  private volatile RuntimeException failure;
  private volatile boolean closed;

  ConfirmingPublisher(RecoveringConnection owner, PublisherOptions options) {
    this.owner = owner;
    this.resource = "publisher of " + owner.resource();
    this.options = options;
    this.window = new Semaphore(options.maxInFlight());
    this.lanes = new Lane[options.lanes()];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane(i);
    }
    lanes[0].wanted = true;
    int n = lanes.length;
    this.laneOfThread = ThreadLocal.withInitial(() -> Math.floorMod(nextLane.getAndIncrement(), n));
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
    Lane lane = lanes.length == 1 ? lanes[0] : lanes[laneOfThread.get()];
    window.acquire();
    boolean accepted = false;
    lane.lock.lockInterruptibly();
    try {
      lane.awaitUsable();
      PendingMessage p =
          new PendingMessage(order.getAndIncrement(), exchange, routingKey, props, body, settled);
      Channel ch = lane.channel;
      long seq = ch.getNextPublishSeqNo();
      p.sentAt = owner.nanoTime();
      lane.outstanding.put(seq, p);
      inFlight.incrementAndGet();
      published.incrementAndGet();
      accepted = true;
      try {
        ch.basicPublish(exchange, routingKey, options.mandatory(), props, body);
      } catch (IOException | AlreadyClosedException e) {
        // The connection is going: the message stays outstanding and is re-sent on recovery.
        lane.channel = null;
      }
      return p.future;
    } finally {
      lane.lock.unlock();
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

  @Override
  public void blocked(boolean b) {
    blocked = b;
    if (!b) {
      unblockedAt = owner.nanoTime();
      for (Lane lane : lanes) {
        lane.signal();
      }
    }
  }

  @Override
  public void connectionLost() {
    for (Lane lane : lanes) {
      lane.lock.lock();
      try {
        lane.channel = null;
      } finally {
        lane.lock.unlock();
      }
    }
  }

  /**
   * Opens a channel on {@code c} for every lane in use and re-sends each lane's outstanding
   * messages, in original order.
   *
   * @return the messages sent again
   */
  @Override
  public int recover(Connection c) throws IOException {
    int resent = 0;
    for (Lane lane : lanes) {
      if (lane.wanted) {
        resent += lane.recover(c);
      }
    }
    return resent;
  }

  /**
   * RabbitMQ nacks publishes to a quorum queue that has no leader for a moment (its node just
   * died): such a message is sent again, up to {@link PublisherOptions#nackResends()} times, before
   * the nack reaches the caller.
   */
  private void nacked(Lane lane, List<PendingMessage> nacked) {
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
      lane.toResend.addAll(again);
      if (lane.resendScheduled.compareAndSet(false, true)) {
        long nackedAt = owner.nanoTime();
        owner.runOnRecoveryThread(() -> lane.resendNacked(nackedAt));
      }
    }
  }

  /** 200 ms after the first nack, doubling per nack of the same message, at most 1 s. */
  static long nackPause(int nacks) {
    return Math.min(NACK_PAUSE_MILLIS << Math.max(0, Math.min(nacks - 1, 10)), 1000);
  }

  /**
   * Opening a fresh channel failed: if the connection still looks open it is unusable (the broker
   * does not answer on it), and it is abandoned so that recovery moves to the next host and
   * re-sends there; without that the publisher would wait for a channel that never comes.
   */
  private void cannotOpenChannel(Connection c, Exception e) {
    LOG.debug("{}: cannot open a fresh channel: {}", resource, e.toString());
    // a connection the broker blocks (resource alarm) does not answer either, and every node
    // blocks publishers while any node has an alarm: waiting is all there is to do
    if (c.isOpen() && !closed && !blocked) {
      owner.abandon(c, "the publisher cannot open a channel (" + e + ")");
    }
  }

  /** The ticker's task: checks every lane and never throws. */
  private void watchConfirms() {
    try {
      checkConfirms(owner.nanoTime());
    } catch (RuntimeException e) {
      LOG.debug("{}: confirm watch failed: {}", resource, e.toString());
    }
  }

  /**
   * Starts a re-send on a fresh channel for each lane whose oldest outstanding message has waited
   * more than the confirm timeout at {@code now}, counted from when it was sent or the broker last
   * unblocked the connection, whichever is later.
   *
   * @return whether a re-send was started
   */
  boolean checkConfirms(long now) {
    boolean started = false;
    for (Lane lane : lanes) {
      started |= lane.checkConfirms(now);
    }
    return started;
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
    for (Lane lane : lanes) {
      lane.fail(error);
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
    closed = true;
    for (Lane lane : lanes) {
      Channel ch = lane.detach();
      if (ch != null) {
        Channels.closeQuietly(ch);
      }
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

  /** One channel of the publisher, with its own lock, outstanding map and re-send state. */
  private final class Lane {
    final int index;
    final ReentrantLock lock = new ReentrantLock();
    final Condition ready = lock.newCondition();
    final ConcurrentLinkedQueue<PendingMessage> toResend = new ConcurrentLinkedQueue<>();
    final AtomicBoolean resendScheduled = new AtomicBoolean();
    final AtomicBoolean stallResendScheduled = new AtomicBoolean();

    /** Whether a thread has used the lane: recovery opens a channel only for those. */
    volatile boolean wanted;

    /** Whether the lane has had a channel: from then on only recovery opens its channels. */
    volatile boolean everOpened;

    // guarded by lock
    Channel channel;
    NavigableMap<Long, PendingMessage> outstanding = new ConcurrentSkipListMap<>();

    Lane(int index) {
      this.index = index;
    }

    void signal() {
      lock.lock();
      try {
        ready.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /**
     * Waits (holding the lock's condition) until there is a channel and publishing is allowed. A
     * lane used for the first time opens its channel here.
     */
    void awaitUsable() throws InterruptedException {
      long blockedDeadline = 0;
      while (true) {
        checkUsable();
        if (blocked) {
          // before opening a lane too: a blocked connection does not answer channel.open either
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
        if (channel == null) {
          wanted = true;
          if (!everOpened) {
            // first use: open the lane on the current connection; during a recovery, poll (the
            // recovery may have passed this lane before it was wanted)
            Connection c = owner.delegate();
            if (c != null && c.isOpen()) {
              try {
                recover(c);
              } catch (IOException | RuntimeException e) {
                cannotOpenChannel(c, e);
                ready.awaitNanos(LANE_OPEN_POLL_NANOS);
              }
            } else {
              ready.awaitNanos(LANE_OPEN_POLL_NANOS);
            }
          } else {
            ready.await();
          }
          continue;
        }
        return;
      }
    }

    /**
     * Opens a channel on {@code c} and re-sends every outstanding message of this lane, in original
     * order.
     *
     * @return the messages sent again
     */
    int recover(Connection c) throws IOException {
      Channel ch = c.createChannel();
      ch.confirmSelect();
      NavigableMap<Long, PendingMessage> map = new ConcurrentSkipListMap<>();
      ch.addConfirmListener(Confirms.listener(map, nacked -> nacked(this, nacked)));
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
        wanted = true;
        everOpened = true;
        republished.addAndGet(resend.size());
        if (!resend.isEmpty()) {
          LOG.debug("{} lane {} re-sent {} unconfirmed message(s)", resource, index, resend.size());
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
     * outstanding messages are failed with the broker's reason, since re-sending would fail the
     * same way, and a fresh channel replaces the closed one.
     */
    void channelFailed(Channel ch, ShutdownSignalException sse) {
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
      Connection c = ch.getConnection();
      try {
        if (c.isOpen() && !closed) {
          recover(c);
        }
      } catch (IOException | RuntimeException e) {
        cannotOpenChannel(c, e);
      }
    }

    /**
     * Sends every nacked message queued so far again, after a pause for the leader election, on a
     * fresh channel: RabbitMQ 3.10 keeps nacking every publish to a quorum queue on a channel that
     * first routed to it while the queue had no leader, even after a leader is elected. The pause
     * counts from the nack ({@code nackedAt}), not from when the recovery thread gets here: a nack
     * that arrived while the connection recovery was waiting for the same election (a consumer's
     * {@code basic.consume} waits for the queue's new leader) has waited already. The unconfirmed
     * messages of the old channel move to the new one with the nacked ones, in their original
     * order; the old channel is closed.
     */
    void resendNacked(long nackedAt) {
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
      lock.lock();
      try {
        for (PendingMessage p; (p = toResend.poll()) != null; ) {
          outstanding.put(p.unsentKey(), p);
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
        lock.lock();
        try {
          if (channel == old) {
            channel = null; // the connection is going (or abandoned below); its recovery re-sends
          }
        } finally {
          lock.unlock();
        }
        cannotOpenChannel(old.getConnection(), e);
        return;
      }
      Channels.closeQuietly(old);
    }

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
          cannotOpenChannel(old.getConnection(), e);
          return;
        }
        Channels.closeQuietly(old);
      } finally {
        stallResendScheduled.set(false);
      }
    }

    /** Fails every outstanding and queued message with {@code error}. */
    void fail(RuntimeException error) {
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

    /** Takes the channel away (for close) and wakes waiting threads. */
    Channel detach() {
      lock.lock();
      try {
        Channel ch = channel;
        channel = null;
        ready.signalAll();
        return ch;
      } finally {
        lock.unlock();
      }
    }
  }
}

package io.ha4j.cli.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ha4j.testkit.RabbitCluster;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster's own floor in a {@code bench amqp} kill: a raw amqp-client connection (no recovery)
 * to a node that survives, publishing one persistent message at a time with confirms into the
 * contender's queue. Its first confirm of a message published after the kill shows when the cluster
 * took messages for that queue again without any client failing over: a quorum queue's leader
 * election, a mirrored queue's promotion of a mirror.
 */
final class SurvivorProbe implements AutoCloseable {

  /** Confirms before the kill that show the probe works. */
  static final int READY_CONFIRMS = 20;

  private static final long CONFIRM_WAIT_MS = 1_000;

  private final ConnectionFactory factory;
  private final String queue;
  private final AtomicLong confirms = new AtomicLong();
  private final AtomicLong after = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong firstAfter = new AtomicLong();
  private final Thread thread;
  private volatile boolean stop;
  private volatile String lastFailure = "none";
  private volatile Connection connection;

  private SurvivorProbe(RabbitCluster rabbit, RabbitCluster.RabbitNode node, String queue) {
    this.queue = queue;
    this.factory = new ConnectionFactory();
    factory.setHost(node.address());
    factory.setPort(node.port());
    factory.setUsername(rabbit.user());
    factory.setPassword(rabbit.password());
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setConnectionTimeout(2_000);
    factory.setChannelRpcTimeout(5_000);
    this.thread = new Thread(this::run, "bench-survivor-probe");
    thread.setDaemon(true);
  }

  /** Starts publishing into {@code queue} through {@code node}. */
  static SurvivorProbe start(RabbitCluster rabbit, RabbitCluster.RabbitNode node, String queue) {
    SurvivorProbe p = new SurvivorProbe(rabbit, node, queue);
    p.thread.start();
    return p;
  }

  /** Whether it had {@link #READY_CONFIRMS} confirms. */
  boolean ready() {
    return confirms.get() >= READY_CONFIRMS;
  }

  /** From now on ({@code System.nanoTime()} {@code at}) a confirm counts as the first after. */
  void countFrom(long at) {
    after.set(at);
  }

  /** When the first message published at or after {@link #countFrom} was confirmed, or 0. */
  long firstAfter() {
    return firstAfter.get();
  }

  String lastFailure() {
    return lastFailure;
  }

  private void run() {
    byte[] body = new byte[256];
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    Channel ch = null;
    while (!stop) {
      try {
        Connection c = connection;
        if (c == null || !c.isOpen()) {
          c = factory.newConnection("bench-survivor-probe");
          connection = c;
          ch = null;
        }
        if (ch == null || !ch.isOpen()) {
          ch = c.createChannel();
          ch.confirmSelect();
        }
        long start = System.nanoTime();
        ch.basicPublish("", queue, props, body);
        // waits for every outstanding confirm: true means this message's too
        if (ch.waitForConfirms(CONFIRM_WAIT_MS)) {
          long end = System.nanoTime();
          confirms.incrementAndGet();
          long a = after.get();
          if (a != Long.MAX_VALUE && start - a >= 0) {
            firstAfter.compareAndSet(0, end);
          }
        } else {
          lastFailure = "nack";
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (TimeoutException e) {
        lastFailure = "no confirm within " + CONFIRM_WAIT_MS + " ms";
      } catch (Exception e) {
        lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
        ch = null;
        try {
          Thread.sleep(10);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Stops publishing (bounded) and closes the connection. */
  @Override
  public void close() {
    stop = true;
    try {
      Bounded.join(thread, Duration.ofSeconds(5), Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Connection c = connection;
    if (c != null) {
      c.abort(2_000);
    }
  }
}

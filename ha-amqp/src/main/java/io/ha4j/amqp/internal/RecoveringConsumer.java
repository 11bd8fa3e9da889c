package io.ha4j.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.DeliveryHandler;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.HaDelivery;
import io.ha4j.amqp.QueueSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HaConsumer}: one amqp-client consumer at a time on a channel of its own, replaced
 * after a failover or a broker cancel. Acks carry the channel they belong to, so that an ack for a
 * delivery of a lost channel is dropped (the broker redelivers that message) instead of acking an
 * unrelated delivery of the new channel.
 */
final class RecoveringConsumer implements HaConsumer, Member {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveringConsumer.class);

  private final RecoveringConnection owner;
  private final String queue;
  private final DeliveryHandler handler;
  private final Object lock = new Object();
  private volatile Channel channel;
  private volatile boolean closed;

  RecoveringConsumer(RecoveringConnection owner, String queue, DeliveryHandler handler) {
    this.owner = owner;
    this.queue = queue;
    this.handler = handler;
  }

  @Override
  public String queue() {
    return queue;
  }

  @Override
  public boolean isAttached() {
    Channel ch = channel;
    return ch != null && ch.isOpen();
  }

  boolean isClosed() {
    return closed;
  }

  boolean isAttachedTo(Connection c) {
    Channel ch = channel;
    return ch != null && ch.getConnection() == c && ch.isOpen();
  }

  @Override
  public void connectionLost() {
    channel = null;
  }

  @Override
  public int recover(Connection c) throws IOException {
    synchronized (lock) {
      if (closed) {
        return 0;
      }
      Channel old = channel;
      if (old != null && old.getConnection() == c && old.isOpen()) {
        Channels.closeQuietly(old);
      }
      Channel ch = c.createChannel();
      int prefetch = owner.settings().qosPrefetchCount();
      if (prefetch > 0) {
        ch.basicQos(prefetch);
      }
      Map<String, Object> args = new HashMap<>();
      if (owner.settings().enableCancelOnFailover()) {
        args.put("x-cancel-on-ha-failover", true);
      }
      ch.basicConsume(queue, false, args, new Callback(ch));
      if (closed) { // closed while attaching: close() found no channel to release
        Channels.closeQuietly(ch);
        return 0;
      }
      channel = ch;
    }
    String host = owner.currentHostOf(c);
    LOG.debug("{}: consumer of queue '{}' attached on {}", owner.resource(), queue, host);
    owner.events().emit(n -> new AmqpEvent.ConsumerAttached(n, queue, host));
    return 0;
  }

  /**
   * After a broker cancel or a channel error with the connection still up: waits {@code
   * kombu_reconnect_delay}, re-declares the queue (if declared through the connection) and
   * re-attaches, pausing and trying again while the broker refuses. Runs on the recovery thread;
   * leaves the work to the connection's recovery when the connection is gone.
   */
  private void reattach() {
    Duration delay = owner.settings().reconnectDelay();
    try {
      owner.sleeper().sleep(delay);
      while (!owner.isClosing() && !closed) {
        Connection c = owner.delegate();
        if (c == null) {
          return; // the connection recovery re-attaches it
        }
        try {
          QueueSpec q = owner.topology().queue(queue);
          if (q != null) {
            Channel ch = c.createChannel();
            try {
              owner.topology().declare(ch, q);
            } finally {
              Channels.closeQuietly(ch);
            }
          }
          recover(c);
          return;
        } catch (IOException | RuntimeException e) {
          if (Failures.isConnectionLoss(e) && !c.isOpen()) {
            return;
          }
          owner
              .events()
              .emit(n -> new AmqpEvent.TopologyFailed(n, "queue '" + queue + "'", e.toString()));
          owner.sleeper().sleep(delay.isZero() ? Duration.ofSeconds(1) : delay);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void closed(RuntimeException cause) {
    closed = true;
    Channel ch = channel;
    channel = null;
    if (ch != null) {
      Channels.closeQuietly(ch);
    }
  }

  @Override
  public void close() {
    closed(null);
    owner.remove(this);
  }

  private final class Callback extends DefaultConsumer {
    private final Channel ch;

    Callback(Channel ch) {
      super(ch);
      this.ch = ch;
    }

    @Override
    public void handleDelivery(
        String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
      Delivery d = new Delivery(ch, envelope, props, body);
      try {
        handler.handle(d);
      } catch (Exception e) {
        LOG.warn(
            "{}: handler of queue '{}' failed; message requeued: {}",
            owner.resource(),
            queue,
            e.toString());
        d.reject(true);
      }
    }

    @Override
    public void handleCancel(String tag) {
      if (closed) {
        return;
      }
      LOG.info(
          "{}: consumer of queue '{}' cancelled by the broker; re-attaching",
          owner.resource(),
          queue);
      owner.events().emit(n -> new AmqpEvent.ConsumerCancelled(n, queue, "basic.cancel"));
      owner.runOnRecoveryThread(RecoveringConsumer.this::reattach);
    }

    @Override
    public void handleShutdownSignal(String tag, ShutdownSignalException sig) {
      // A channel-level error (queue deleted, 404) with the connection still up: re-attach.
      if (!closed && !sig.isHardError() && !sig.isInitiatedByApplication()) {
        owner.events().emit(n -> new AmqpEvent.ConsumerCancelled(n, queue, sig.getMessage()));
        owner.runOnRecoveryThread(RecoveringConsumer.this::reattach);
      }
    }
  }

  private final class Delivery implements HaDelivery {
    private final Channel ch;
    private final Envelope envelope;
    private final AMQP.BasicProperties props;
    private final byte[] body;

    Delivery(Channel ch, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
      this.ch = ch;
      this.envelope = envelope;
      this.props = props;
      this.body = body;
    }

    @Override
    public byte[] body() {
      return body;
    }

    @Override
    public AMQP.BasicProperties properties() {
      return props;
    }

    @Override
    public String routingKey() {
      return envelope.getRoutingKey();
    }

    @Override
    public boolean redelivered() {
      return envelope.isRedeliver();
    }

    @Override
    public boolean ack() {
      if (channel != ch || !ch.isOpen()) {
        return false;
      }
      try {
        ch.basicAck(envelope.getDeliveryTag(), false);
        return true;
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }

    @Override
    public boolean reject(boolean requeue) {
      if (channel != ch || !ch.isOpen()) {
        return false;
      }
      try {
        ch.basicReject(envelope.getDeliveryTag(), requeue);
        return true;
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }
  }
}

package io.ha4j.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.Binding;
import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.amqp.TopologyConflictException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The declared exchanges, queues and bindings, in declaration order. Thread-safe. */
public final class Topology {

  private static final Pattern INEQUIVALENT =
      Pattern.compile(
          "inequivalent arg '([^']+)' for (queue|exchange) '([^']*)' in vhost '([^']*)':"
              + " received (.+) but current is (.+)");

  private final Map<String, ExchangeSpec> exchanges = new LinkedHashMap<>();
  private final Map<String, QueueSpec> queues = new LinkedHashMap<>();
  private final Set<Binding> bindings = new LinkedHashSet<>();
  private final String vhost;

  /** Topology of one connection to {@code vhost}. */
  public Topology(String vhost) {
    this.vhost = vhost;
  }

  /** Declares and, on success, records an exchange. */
  public void declare(Channel ch, ExchangeSpec e) throws IOException {
    declareOnly(ch, e);
    synchronized (this) {
      exchanges.put(e.name(), e);
    }
  }

  /** Declares and, on success, records a queue. */
  public void declare(Channel ch, QueueSpec q) throws IOException {
    declareOnly(ch, q);
    synchronized (this) {
      queues.put(q.name(), q);
    }
  }

  /** Binds and, on success, records a binding. */
  public void bind(Channel ch, Binding b) throws IOException {
    ch.queueBind(b.queue(), b.exchange(), b.routingKey());
    synchronized (this) {
      bindings.add(b);
    }
  }

  /** The recorded declaration of a queue, if any. */
  public synchronized QueueSpec queue(String name) {
    return queues.get(name);
  }

  /**
   * Re-declares everything on a new connection. An entity the broker refuses is reported and
   * skipped; a lost connection is thrown, so that recovery moves on to the next host.
   */
  public void redeclare(Connection conn, Events events) throws IOException {
    List<Object> all;
    synchronized (this) {
      all = new ArrayList<>(exchanges.values());
      all.addAll(queues.values());
      all.addAll(bindings);
    }
    Channel ch = conn.createChannel();
    try {
      for (Object entity : all) {
        try {
          if (entity instanceof ExchangeSpec e) {
            declareOnly(ch, e);
          } else if (entity instanceof QueueSpec q) {
            declareOnly(ch, q);
          } else {
            Binding b = (Binding) entity;
            ch.queueBind(b.queue(), b.exchange(), b.routingKey());
          }
        } catch (IOException | TopologyConflictException e) {
          if (!(e instanceof TopologyConflictException) && Failures.isConnectionLoss(e)) {
            throw e instanceof IOException io ? io : new IOException(e);
          }
          events.emit(n -> new AmqpEvent.TopologyFailed(n, describe(entity), e.getMessage()));
          if (!ch.isOpen()) {
            ch = conn.createChannel();
          }
        }
      }
    } finally {
      if (ch.isOpen()) {
        try {
          ch.close();
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
          // The connection may be gone already; recovery notices that on its own.
        }
      }
    }
  }

  private void declareOnly(Channel ch, ExchangeSpec e) throws IOException {
    try {
      ch.exchangeDeclare(e.name(), e.type(), e.durable(), e.autoDelete(), null);
    } catch (IOException ex) {
      throw conflictOr(
          ex,
          "exchange '" + e.name() + "' in vhost '" + vhost + "'",
          "exchange delete " + e.name());
    }
  }

  private void declareOnly(Channel ch, QueueSpec q) throws IOException {
    try {
      ch.queueDeclare(q.name(), q.durable(), false, q.autoDelete(), q.arguments());
    } catch (IOException ex) {
      throw conflictOr(
          ex, "queue '" + q.name() + "' in vhost '" + vhost + "'", "delete_queue " + q.name());
    }
  }

  private IOException conflictOr(IOException ex, String entity, String deleteCommand) {
    TopologyConflictException c = conflict(ex, entity, deleteCommand);
    if (c != null) {
      throw c;
    }
    return ex;
  }

  /** Turns a 406 PRECONDITION_FAILED channel close into a conflict naming what differs. */
  static TopologyConflictException conflict(Throwable ex, String entity, String deleteCommand) {
    ShutdownSignalException sse = Failures.find(ex, ShutdownSignalException.class);
    if (sse == null
        || !(sse.getReason() instanceof AMQP.Channel.Close close)
        || close.getReplyCode() != AMQP.PRECONDITION_FAILED) {
      return null;
    }
    String text = close.getReplyText();
    Matcher m = INEQUIVALENT.matcher(text);
    boolean found = m.find();
    String fix =
        "delete it (rabbitmqctl "
            + deleteCommand
            + " -p "
            + (found ? m.group(4) : "/")
            + ") or change the settings to match it";
    if (found) {
      return new TopologyConflictException(
          entity, m.group(1), m.group(6).trim(), m.group(5).trim(), fix);
    }
    return new TopologyConflictException(entity, "some property", text, "other values", fix);
  }

  private static String describe(Object entity) {
    if (entity instanceof ExchangeSpec e) {
      return "exchange '" + e.name() + "'";
    }
    if (entity instanceof QueueSpec q) {
      return "queue '" + q.name() + "'";
    }
    Binding b = (Binding) entity;
    return "binding of queue '" + b.queue() + "' to exchange '" + b.exchange() + "'";
  }
}

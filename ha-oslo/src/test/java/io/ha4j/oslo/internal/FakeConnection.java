package io.ha4j.oslo.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Return;
import io.ha4j.amqp.Binding;
import io.ha4j.amqp.DeliveryHandler;
import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.HaDelivery;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.PublisherOptions;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.amqp.State;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** An in-memory {@link HaConnection}: records declarations, hands out handlers and publishes. */
final class FakeConnection implements HaConnection {

  record Published(
      String exchange,
      String routingKey,
      AMQP.BasicProperties props,
      byte[] body,
      boolean mandatory) {}

  final List<Object> declared = new CopyOnWriteArrayList<>();
  final Map<String, DeliveryHandler> consumers = new ConcurrentHashMap<>();
  final BlockingQueue<Published> published = new LinkedBlockingQueue<>();

  /** Publishes matching this are returned (unroutable) before they are confirmed. */
  volatile Predicate<Published> unroutable = p -> false;

  @Override
  public State state() {
    return State.OPEN;
  }

  @Override
  public Optional<String> currentHost() {
    return Optional.of("fake:5672");
  }

  @Override
  public void declare(ExchangeSpec exchange) {
    declared.add(exchange);
  }

  @Override
  public void declare(QueueSpec queue) {
    declared.add(queue);
  }

  @Override
  public void bind(Binding binding) {
    declared.add(binding);
  }

  @Override
  public HaPublisher publisher(PublisherOptions options) {
    return new HaPublisher() {
      private volatile Consumer<Return> onReturn = r -> {};

      @Override
      public CompletableFuture<Void> publish(
          String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        Published p = new Published(exchange, routingKey, properties, body, options.mandatory());
        if (options.mandatory() && unroutable.test(p)) {
          onReturn.accept(new Return(312, "NO_ROUTE", exchange, routingKey, properties, body));
        }
        published.add(p);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public boolean awaitConfirms(Duration timeout) {
        return true;
      }

      @Override
      public void onReturn(Consumer<Return> handler) {
        this.onReturn = handler;
      }

      @Override
      public long published() {
        return 0;
      }

      @Override
      public long confirmed() {
        return 0;
      }

      @Override
      public long republished() {
        return 0;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public HaConsumer consume(String queue, DeliveryHandler handler) {
    consumers.put(queue, handler);
    return new HaConsumer() {
      @Override
      public String queue() {
        return queue;
      }

      @Override
      public boolean isAttached() {
        return true;
      }

      @Override
      public void close() {
        consumers.remove(queue, handler);
      }
    };
  }

  @Override
  public void close() {}

  /** A delivery that records how it was settled. */
  static final class Delivery implements HaDelivery {
    final byte[] body;
    final AMQP.BasicProperties props;
    volatile String settled = "none";
    final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    Delivery(byte[] body, AMQP.BasicProperties props) {
      this.body = body;
      this.props = props;
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
      return "";
    }

    @Override
    public boolean redelivered() {
      return false;
    }

    @Override
    public boolean ack() {
      settled = "ack";
      done.countDown();
      return true;
    }

    @Override
    public boolean reject(boolean requeue) {
      settled = requeue ? "requeue" : "reject";
      done.countDown();
      return true;
    }
  }
}

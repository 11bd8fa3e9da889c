package io.ha4j.oslo.internal;

import io.ha4j.amqp.Binding;
import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.HaDelivery;
import io.ha4j.config.AmqpSettings;
import io.ha4j.oslo.RequestContext;
import io.ha4j.oslo.RpcServer;
import io.ha4j.oslo.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RpcServer} of a transport. */
public final class Server implements RpcServer {

  private static final Logger LOG = LoggerFactory.getLogger(Server.class);

  private final TransportCore core;
  private final Target target;
  private final Dispatcher dispatcher;
  private final int poolSize;
  private final Semaphore slots;
  private final ExecutorService executor;
  private final DuplicateCache duplicates = new DuplicateCache();
  private final List<HaConsumer> consumers = new ArrayList<>();
  private HaConnection connection;
  private ReplySender replies;
  private boolean started;
  private boolean stopped;

  /**
   * A server; not started.
   *
   * @throws IllegalArgumentException when the target has no server name
   */
  public Server(TransportCore core, Target target, List<?> endpoints) {
    if (target.server() == null || target.server().isEmpty()) {
      throw new IllegalArgumentException("an RPC server target needs a server name: " + target);
    }
    this.core = core;
    this.target = target;
    this.dispatcher = new Dispatcher(endpoints);
    this.poolSize = core.settings().executorThreadPoolSize();
    this.slots = new Semaphore(poolSize);
    this.executor =
        new ThreadPoolExecutor(
            poolSize,
            poolSize,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            Threads.named("ha4j-oslo-rpc-" + target.topic()));
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public synchronized void start() {
    if (stopped) {
      throw new IllegalStateException("the RPC server was stopped: " + target);
    }
    if (started) {
      return;
    }
    AmqpSettings s = core.settings().amqp();
    HaConnection c = core.newConnection();
    try {
      String exchange = core.exchange(target.exchange());
      String topic = target.topic();
      String serverTopic = topic + "." + target.server();
      c.declare(Declarations.topicExchange(exchange, s));
      c.declare(Declarations.topicQueue(topic, s));
      c.bind(new Binding(exchange, topic, topic));
      c.declare(Declarations.topicQueue(serverTopic, s));
      c.bind(new Binding(exchange, serverTopic, serverTopic));
      ExchangeSpec fanout = Declarations.fanoutExchange(topic);
      String fanoutQueue = topic + "_fanout_" + Wire.uuidHex();
      c.declare(fanout);
      c.declare(Declarations.fanoutQueue(fanoutQueue, s));
      c.bind(new Binding(fanout.name(), fanoutQueue, topic));
      replies = new ReplySender(c, s, core.timer(), core.io());
      consumers.add(c.consume(topic, this::onDelivery));
      consumers.add(c.consume(serverTopic, this::onDelivery));
      consumers.add(c.consume(fanoutQueue, this::onDelivery));
    } catch (RuntimeException e) {
      consumers.forEach(HaConsumer::close);
      consumers.clear();
      c.close();
      throw e;
    }
    connection = c;
    started = true;
    LOG.info(
        "RPC server for topic '{}' server '{}' started on {}",
        target.topic(),
        target.server(),
        c.currentHost().orElse("?"));
  }

  private void onDelivery(HaDelivery d) throws InterruptedException {
    Map<String, Object> msg;
    try {
      if (!Wire.CONTENT_TYPE.equals(d.properties().getContentType())) {
        throw new IllegalArgumentException(
            "content_type is " + d.properties().getContentType() + ", not " + Wire.CONTENT_TYPE);
      }
      msg = Wire.unwrap(d.body());
    } catch (IllegalArgumentException e) {
      LOG.warn("RPC server '{}': rejected a message: {}", target.topic(), e.getMessage());
      d.reject(false);
      return;
    }
    Object uniqueId = msg.remove("_unique_id");
    String unique = uniqueId == null ? null : uniqueId.toString();
    if (duplicates.contains(unique)) {
      LOG.info("RPC server '{}': dropped duplicate message {}", target.topic(), unique);
      d.ack();
      return;
    }
    slots.acquire();
    // At most once, as oslo: acknowledge before running. If the ack cannot be sent (channel lost
    // in a failover), the broker delivers the message again; do not run it twice.
    if (!d.ack()) {
      slots.release();
      return;
    }
    duplicates.add(unique);
    try {
      executor.execute(() -> handle(msg));
    } catch (RuntimeException e) {
      slots.release();
      LOG.warn("RPC server '{}': request dropped while stopping", target.topic());
    }
  }

  private void handle(Map<String, Object> msg) {
    try {
      RequestContext ctx = RequestContext.of(Wire.unpackContext(msg));
      Object msgId = msg.remove("_msg_id");
      Object replyQ = msg.remove("_reply_q");
      Object timeout = msg.remove("_timeout");
      ScheduledFuture<?> heartbeat = null;
      if (msgId != null && replyQ != null && timeout instanceof Number n && n.doubleValue() >= 2) {
        long period = (long) (n.doubleValue() * 500);
        heartbeat =
            core.timer()
                .scheduleAtFixedRate(
                    () ->
                        core.io()
                            .execute(
                                () ->
                                    replies.send(
                                        replyQ.toString(),
                                        Wire.reply(msgId.toString(), null, null, false),
                                        false)),
                    period,
                    period,
                    TimeUnit.MILLISECONDS);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> args =
          msg.get("args") instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of();
      Dispatcher.Outcome out;
      try {
        out =
            dispatcher.dispatch(
                ctx,
                str(msg.get("method")),
                args,
                str(msg.get("namespace")),
                str(msg.get("version")));
      } finally {
        if (heartbeat != null) {
          heartbeat.cancel(false);
        }
      }
      if (out.failure() != null) {
        LOG.debug("RPC server '{}': {} failed", target.topic(), msg.get("method"));
      }
      if (msgId != null && replyQ != null) {
        Object result = out.result();
        String failure = out.failure();
        try {
          Json.write(result);
        } catch (RuntimeException e) {
          result = null;
          failure = Wire.failureOf(new IllegalStateException("result is not JSON: " + e, e));
        }
        var sent =
            replies.send(
                replyQ.toString(), Wire.reply(msgId.toString(), result, failure, true), true);
        try {
          sent.get();
        } catch (java.util.concurrent.ExecutionException e) {
          LOG.warn("RPC server '{}': reply not sent: {}", target.topic(), e.getCause().toString());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("RPC server '{}': request failed: {}", target.topic(), e.toString());
    } finally {
      slots.release();
    }
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  @Override
  public boolean stop(Duration timeout) {
    synchronized (this) {
      if (stopped) {
        return true;
      }
      stopped = true;
    }
    boolean done = Threads.finish(consumers, executor, timeout);
    if (replies != null) {
      replies.close();
    }
    if (connection != null) {
      connection.close();
    }
    LOG.info("RPC server for topic '{}' server '{}' stopped", target.topic(), target.server());
    return done;
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(60));
  }

  @Override
  public String toString() {
    return "RpcServer[" + target + ", executor_thread_pool_size=" + poolSize + "]";
  }
}

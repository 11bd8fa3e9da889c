package io.ha4j.oslo.internal;

import io.ha4j.amqp.Binding;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.HaDelivery;
import io.ha4j.config.AmqpSettings;
import io.ha4j.oslo.NotificationEndpoint;
import io.ha4j.oslo.NotificationFilter;
import io.ha4j.oslo.NotificationListener;
import io.ha4j.oslo.NotificationResult;
import io.ha4j.oslo.Priority;
import io.ha4j.oslo.RequestContext;
import io.ha4j.oslo.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link NotificationListener} of a transport. */
public final class Listener implements NotificationListener {

  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

  private static final Class<?>[] SIGNATURE = {
    RequestContext.class, String.class, String.class, Object.class, Map.class
  };

  private final TransportCore core;
  private final List<Target> targets;
  private final List<NotificationEndpoint> endpoints;
  private final String pool;
  private final Map<Priority, List<NotificationEndpoint>> byPriority =
      new EnumMap<>(Priority.class);
  private final Semaphore slots;
  private final ExecutorService executor;
  private final List<HaConsumer> consumers = new ArrayList<>();
  private HaConnection connection;
  private boolean started;
  private boolean stopped;

  /** A listener; not started. */
  public Listener(
      TransportCore core, List<Target> targets, List<NotificationEndpoint> endpoints, String pool) {
    if (targets.isEmpty() || endpoints.isEmpty()) {
      throw new IllegalArgumentException("a notification listener needs targets and endpoints");
    }
    this.core = core;
    this.targets = List.copyOf(targets);
    this.endpoints = List.copyOf(endpoints);
    this.pool = pool;
    for (NotificationEndpoint e : endpoints) {
      for (Priority p : Priority.values()) {
        if (implementsPriority(e, p)) {
          byPriority.computeIfAbsent(p, k -> new ArrayList<>()).add(e);
        }
      }
    }
    if (byPriority.isEmpty()) {
      throw new IllegalArgumentException(
          "no endpoint overrides a priority method (audit, debug, info, warn, error, critical,"
              + " sample)");
    }
    int n = core.settings().executorThreadPoolSize();
    this.slots = new Semaphore(n);
    this.executor =
        new ThreadPoolExecutor(
            n,
            n,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            Threads.named("ha4j-oslo-notify"));
  }

  /** Whether an endpoint overrides the method of a priority. */
  static boolean implementsPriority(NotificationEndpoint e, Priority p) {
    try {
      return e.getClass().getMethod(p.lowerName(), SIGNATURE).getDeclaringClass()
          != NotificationEndpoint.class;
    } catch (NoSuchMethodException ex) {
      return false;
    }
  }

  /** The priorities this listener consumes. */
  public Set<Priority> priorities() {
    return byPriority.keySet();
  }

  @Override
  public synchronized void start() {
    if (stopped) {
      throw new IllegalStateException("the notification listener was stopped");
    }
    if (started) {
      return;
    }
    AmqpSettings s = core.settings().amqp();
    HaConnection c = core.newConnection();
    try {
      Set<String> queues = new LinkedHashSet<>();
      for (Target t : targets) {
        String exchange = core.exchange(t.exchange());
        c.declare(Declarations.topicExchange(exchange, s));
        for (Priority p : byPriority.keySet()) {
          String key = t.topic() + "." + p.lowerName();
          String queue = pool != null ? pool : key;
          c.declare(Declarations.topicQueue(queue, s));
          c.bind(new Binding(exchange, queue, key));
          queues.add(queue);
        }
      }
      for (String q : queues) {
        consumers.add(c.consume(q, this::onDelivery));
      }
    } catch (RuntimeException e) {
      consumers.forEach(HaConsumer::close);
      consumers.clear();
      c.close();
      throw e;
    }
    connection = c;
    started = true;
    LOG.info("notification listener started for {} (pool {})", targets, pool);
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
      LOG.warn("notification listener: rejected a message: {}", e.getMessage());
      d.reject(false);
      return;
    }
    slots.acquire();
    try {
      executor.execute(
          () -> {
            try {
              if (handle(msg) == NotificationResult.REQUEUE) {
                d.reject(true);
              } else {
                d.ack();
              }
            } finally {
              slots.release();
            }
          });
    } catch (RuntimeException e) {
      slots.release();
      d.reject(true);
    }
  }

  /** Calls the endpoints of a notification's priority; REQUEUE as soon as one asks for it. */
  NotificationResult handle(Map<String, Object> msg) {
    RequestContext ctx = RequestContext.of(Wire.unpackContext(msg));
    msg.remove("_unique_id");
    Priority priority;
    try {
      priority = Priority.parse(String.valueOf(msg.get("priority")));
    } catch (IllegalArgumentException e) {
      LOG.warn("notification listener: unknown priority '{}'", msg.get("priority"));
      return NotificationResult.HANDLED;
    }
    String publisherId = str(msg.get("publisher_id"));
    String eventType = str(msg.get("event_type"));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("message_id", msg.get("message_id"));
    metadata.put("timestamp", msg.get("timestamp"));
    Object payload = msg.get("payload");
    for (NotificationEndpoint e : byPriority.getOrDefault(priority, List.of())) {
      NotificationFilter f = e.filter();
      if (f != null && !f.matches(ctx, publisherId, eventType, metadata, payload)) {
        continue;
      }
      NotificationResult r;
      try {
        r = call(e, priority, ctx, publisherId, eventType, payload, metadata);
      } catch (RuntimeException ex) {
        LOG.warn(
            "notification endpoint {} failed; requeued: {}", e.getClass().getName(), ex.toString());
        return NotificationResult.REQUEUE;
      }
      if (r == NotificationResult.REQUEUE) {
        return r;
      }
    }
    return NotificationResult.HANDLED;
  }

  private static NotificationResult call(
      NotificationEndpoint e,
      Priority p,
      RequestContext c,
      String pub,
      String type,
      Object payload,
      Map<String, Object> meta) {
    return switch (p) {
      case AUDIT -> e.audit(c, pub, type, payload, meta);
      case DEBUG -> e.debug(c, pub, type, payload, meta);
      case INFO -> e.info(c, pub, type, payload, meta);
      case WARN -> e.warn(c, pub, type, payload, meta);
      case ERROR -> e.error(c, pub, type, payload, meta);
      case CRITICAL -> e.critical(c, pub, type, payload, meta);
      case SAMPLE -> e.sample(c, pub, type, payload, meta);
    };
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
    if (connection != null) {
      connection.close();
    }
    return done;
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(60));
  }

  @Override
  public String toString() {
    return "NotificationListener[" + targets + ", pool=" + pool + "]";
  }
}

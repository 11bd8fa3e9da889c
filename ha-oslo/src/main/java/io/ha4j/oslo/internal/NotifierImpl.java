package io.ha4j.oslo.internal;

import io.ha4j.amqp.Binding;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.HaException;
import io.ha4j.oslo.Notifier;
import io.ha4j.oslo.OsloSettings;
import io.ha4j.oslo.Priority;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The {@link Notifier} of a transport. Immutable. */
public final class NotifierImpl implements Notifier {

  private final TransportCore core;
  private final String publisherId;
  private final Clock clock;

  /** A notifier with a publisher id. */
  public NotifierImpl(TransportCore core, String publisherId, Clock clock) {
    this.core = core;
    this.publisherId = Objects.requireNonNull(publisherId, "publisherId");
    this.clock = clock;
  }

  @Override
  public String publisherId() {
    return publisherId;
  }

  @Override
  public Notifier prepare(String publisherId) {
    return new NotifierImpl(core, publisherId, clock);
  }

  /** The inner notification message as oslo builds it. */
  static Map<String, Object> message(
      String publisherId,
      Priority priority,
      String eventType,
      Object payload,
      Map<String, ?> context,
      Clock clock) {
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("message_id", Wire.uuidDashed());
    msg.put("publisher_id", publisherId);
    msg.put("event_type", eventType);
    msg.put("priority", priority.wireName());
    msg.put("payload", payload);
    msg.put("timestamp", Wire.timestamp(clock.instant()));
    msg.put("_unique_id", Wire.uuidHex());
    Wire.packNotificationContext(msg, context);
    return msg;
  }

  @Override
  public void notify(Map<String, ?> context, Priority priority, String eventType, Object payload) {
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(eventType, "eventType");
    core.checkOpen();
    OsloSettings settings = core.settings();
    if (settings.notificationDriver() == OsloSettings.NotificationDriver.NOOP) {
      return;
    }
    Map<String, Object> msg =
        message(
            publisherId, priority, eventType, payload, context == null ? Map.of() : context, clock);
    byte[] body =
        settings.notificationDriver() == OsloSettings.NotificationDriver.MESSAGING
            ? Wire.bare(msg)
            : Wire.envelope(msg);
    AmqpSettings s = settings.amqp();
    String exchange = s.controlExchange();
    core.declareOnce(Declarations.topicExchange(exchange, s));
    List<CompletableFuture<Void>> confirms = new ArrayList<>();
    for (String topic : settings.notificationTopics()) {
      String key = topic + "." + priority.lowerName();
      // oslo declares the notification queue before the first send, so nothing is lost before a
      // listener comes
      core.declareOnce(
          "queue " + exchange + " " + key,
          () -> {
            core.connection().declare(Declarations.topicQueue(key, s));
            core.connection().bind(new Binding(exchange, key, key));
          });
      try {
        confirms.add(core.publisher().publish(exchange, key, Wire.properties(null), body));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HaException("interrupted while sending notification " + eventType, e);
      }
    }
    for (CompletableFuture<Void> f : confirms) {
      TransportCore.await(f, null, "notification " + eventType);
    }
  }

  @Override
  public String toString() {
    return "Notifier[publisher_id=" + publisherId + "]";
  }
}

package io.ha4j.oslo;

import java.util.Map;

/**
 * Sends notifications as oslo's {@code Notifier} with the {@code messagingv2} (or {@code
 * messaging}) driver: to {@code control_exchange}, routing key and queue {@code <topic>.<priority>}
 * for every configured topic, declaring that queue as oslo does. Each call returns once the broker
 * confirmed the message on every topic (re-sent after a failover when unconfirmed). Only the
 * whitelisted context keys are sent (never {@code auth_token}). Thread-safe.
 *
 * @since 0.1
 */
public interface Notifier {

  /** The {@code publisher_id} sent. */
  String publisherId();

  /** A copy with another {@code publisher_id}. */
  Notifier prepare(String publisherId);

  /** Sends a notification with a priority. */
  void notify(Map<String, ?> context, Priority priority, String eventType, Object payload);

  /** Sends an {@code AUDIT} notification. */
  default void audit(Map<String, ?> context, String eventType, Object payload) {
    notify(context, Priority.AUDIT, eventType, payload);
  }

  /** Sends a {@code DEBUG} notification. */
  default void debug(Map<String, ?> context, String eventType, Object payload) {
    notify(context, Priority.DEBUG, eventType, payload);
  }

  /** Sends an {@code INFO} notification. */
  default void info(Map<String, ?> context, String eventType, Object payload) {
    notify(context, Priority.INFO, eventType, payload);
  }

  /** Sends a {@code WARN} notification. */
  default void warn(Map<String, ?> context, String eventType, Object payload) {
    notify(context, Priority.WARN, eventType, payload);
  }

  /** Sends a {@code WARN} notification (oslo's {@code warning}). */
  default void warning(Map<String, ?> context, String eventType, Object payload) {
    notify(context, Priority.WARN, eventType, payload);
  }

  /** Sends an {@code ERROR} notification. */
  default void error(Map<String, ?> context, String eventType, Object payload) {
    notify(context, Priority.ERROR, eventType, payload);
  }

  /** Sends a {@code CRITICAL} notification. */
  default void critical(Map<String, ?> context, String eventType, Object payload) {
    notify(context, Priority.CRITICAL, eventType, payload);
  }

  /** Sends a {@code SAMPLE} notification. */
  default void sample(Map<String, ?> context, String eventType, Object payload) {
    notify(context, Priority.SAMPLE, eventType, payload);
  }
}

package io.ha4j.oslo;

import java.util.Map;

/**
 * Receives notifications, one method per priority as oslo's notification endpoints. A listener
 * consumes only the priorities its endpoints override. A method that throws requeues the
 * notification, as oslo does.
 *
 * <p>Arguments: the context (whitelisted {@code _context_*} fields), {@code publisher_id}, {@code
 * event_type}, the payload (a JSON value) and the metadata ({@code message_id}, {@code timestamp}).
 *
 * @since 0.1
 */
public interface NotificationEndpoint {

  /** A filter applied before this endpoint is called; {@code null} (default) for none. */
  default NotificationFilter filter() {
    return null;
  }

  /** An {@code AUDIT} notification. */
  default NotificationResult audit(
      RequestContext ctx,
      String publisherId,
      String eventType,
      Object payload,
      Map<String, Object> metadata) {
    return NotificationResult.HANDLED;
  }

  /** A {@code DEBUG} notification. */
  default NotificationResult debug(
      RequestContext ctx,
      String publisherId,
      String eventType,
      Object payload,
      Map<String, Object> metadata) {
    return NotificationResult.HANDLED;
  }

  /** An {@code INFO} notification. */
  default NotificationResult info(
      RequestContext ctx,
      String publisherId,
      String eventType,
      Object payload,
      Map<String, Object> metadata) {
    return NotificationResult.HANDLED;
  }

  /** A {@code WARN} notification. */
  default NotificationResult warn(
      RequestContext ctx,
      String publisherId,
      String eventType,
      Object payload,
      Map<String, Object> metadata) {
    return NotificationResult.HANDLED;
  }

  /** An {@code ERROR} notification. */
  default NotificationResult error(
      RequestContext ctx,
      String publisherId,
      String eventType,
      Object payload,
      Map<String, Object> metadata) {
    return NotificationResult.HANDLED;
  }

  /** A {@code CRITICAL} notification. */
  default NotificationResult critical(
      RequestContext ctx,
      String publisherId,
      String eventType,
      Object payload,
      Map<String, Object> metadata) {
    return NotificationResult.HANDLED;
  }

  /** A {@code SAMPLE} notification. */
  default NotificationResult sample(
      RequestContext ctx,
      String publisherId,
      String eventType,
      Object payload,
      Map<String, Object> metadata) {
    return NotificationResult.HANDLED;
  }
}

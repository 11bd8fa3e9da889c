package io.ha4j.oslo;

/**
 * What a {@link NotificationEndpoint} method asks for a notification.
 *
 * @since 0.1
 */
public enum NotificationResult {
  /** Processed: acknowledge it. */
  HANDLED,
  /** Not processed now: requeue it (delivered again, possibly to another listener). */
  REQUEUE
}

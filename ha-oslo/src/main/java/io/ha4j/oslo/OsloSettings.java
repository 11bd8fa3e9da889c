package io.ha4j.oslo;

import io.ha4j.config.AmqpSettings;
import io.ha4j.config.HaConfig;
import java.util.List;
import java.util.Objects;

/**
 * Settings of ha-oslo: the {@link AmqpSettings} (which carry {@code control_exchange}, {@code
 * rpc_response_timeout}, the queue options and {@code kombu_missing_consumer_retry_timeout}) plus
 * the oslo options ha-config does not read: {@code [DEFAULT] executor_thread_pool_size} and {@code
 * [oslo_messaging_notifications] driver} and {@code topics}. Immutable; build with {@link
 * #builder()}.
 *
 * @since 0.1
 */
public final class OsloSettings {

  /** Notification drivers. */
  public enum NotificationDriver {
    /** {@code messagingv2}: enveloped messages (oslo.version 2.0). */
    MESSAGINGV2,
    /** {@code messaging}: the bare (1.0) message. */
    MESSAGING,
    /** {@code noop}: notifications are dropped. */
    NOOP
  }

  /** oslo's {@code executor_thread_pool_size}: {@value}. */
  public static final int DEFAULT_EXECUTOR_THREAD_POOL_SIZE = 64;

  /** oslo's notification {@code topics}: {@code notifications}. */
  public static final List<String> DEFAULT_NOTIFICATION_TOPICS = List.of("notifications");

  /**
   * {@code messagingv2}. oslo's default driver list is empty (notifications off); a Java {@link
   * Notifier} exists to send, so it defaults to the driver every OpenStack deployment configures.
   */
  public static final NotificationDriver DEFAULT_NOTIFICATION_DRIVER =
      NotificationDriver.MESSAGINGV2;

  private final AmqpSettings amqp;
  private final int executorThreadPoolSize;
  private final List<String> notificationTopics;
  private final NotificationDriver notificationDriver;

  private OsloSettings(Builder b) {
    this.amqp = b.amqp;
    this.executorThreadPoolSize = b.executorThreadPoolSize;
    this.notificationTopics = b.notificationTopics;
    this.notificationDriver = b.notificationDriver;
  }

  /** A builder with oslo's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** oslo's defaults over these AMQP settings. */
  public static OsloSettings of(AmqpSettings amqp) {
    return builder().amqp(amqp).build();
  }

  /** oslo's defaults over the AMQP settings of a loaded configuration. */
  public static OsloSettings from(HaConfig config) {
    return of(config.amqp());
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return builder()
        .amqp(amqp)
        .executorThreadPoolSize(executorThreadPoolSize)
        .notificationTopics(notificationTopics)
        .notificationDriver(notificationDriver);
  }

  /** The AMQP settings. */
  public AmqpSettings amqp() {
    return amqp;
  }

  /** {@code executor_thread_pool_size}: requests a server or listener runs at once. */
  public int executorThreadPoolSize() {
    return executorThreadPoolSize;
  }

  /** {@code [oslo_messaging_notifications] topics}. */
  public List<String> notificationTopics() {
    return notificationTopics;
  }

  /** {@code [oslo_messaging_notifications] driver}. */
  public NotificationDriver notificationDriver() {
    return notificationDriver;
  }

  @Override
  public String toString() {
    return "OsloSettings[executor_thread_pool_size="
        + executorThreadPoolSize
        + ", notification topics="
        + notificationTopics
        + ", driver="
        + notificationDriver.name().toLowerCase(java.util.Locale.ROOT)
        + ", amqp="
        + amqp
        + "]";
  }

  /**
   * Builds {@link OsloSettings}; reusable, not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private AmqpSettings amqp = AmqpSettings.ofDefaults();
    private int executorThreadPoolSize = DEFAULT_EXECUTOR_THREAD_POOL_SIZE;
    private List<String> notificationTopics = DEFAULT_NOTIFICATION_TOPICS;
    private NotificationDriver notificationDriver = DEFAULT_NOTIFICATION_DRIVER;

    private Builder() {}

    /** The AMQP settings; default {@link AmqpSettings#ofDefaults()}. */
    public Builder amqp(AmqpSettings amqp) {
      this.amqp = Objects.requireNonNull(amqp, "amqp");
      return this;
    }

    /** {@code executor_thread_pool_size}, at least 1. */
    public Builder executorThreadPoolSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("executor_thread_pool_size must be >= 1, was " + n);
      }
      this.executorThreadPoolSize = n;
      return this;
    }

    /** Notification topics, at least one, none empty. */
    public Builder notificationTopics(List<String> topics) {
      Objects.requireNonNull(topics, "notificationTopics");
      if (topics.isEmpty() || topics.stream().anyMatch(t -> t == null || t.isEmpty())) {
        throw new IllegalArgumentException(
            "notification topics must be non-empty names, was " + topics);
      }
      this.notificationTopics = List.copyOf(topics);
      return this;
    }

    /** The notification driver. */
    public Builder notificationDriver(NotificationDriver driver) {
      this.notificationDriver = Objects.requireNonNull(driver, "notificationDriver");
      return this;
    }

    /**
     * The settings. ({@link AmqpSettings} already refuses {@code rabbit_quorum_queue} together with
     * {@code rabbit_ha_queues}, as oslo does.)
     */
    public OsloSettings build() {
      return new OsloSettings(this);
    }
  }
}

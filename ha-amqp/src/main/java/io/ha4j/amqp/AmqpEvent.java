package io.ha4j.amqp;

import java.time.Duration;

/**
 * What happened to an {@link HaConnection}. Events are built only when a listener is registered;
 * {@code toString()} reads as a sentence that starts with the connection's name. Host names are
 * {@code host:port}, never credentials.
 *
 * <p>Every event carries {@link #connection()}, the name of the connection it happened to (see
 * {@link HaConnectionFactory#newConnection(String)}), so that the events of several connections of
 * one factory can be told apart. The constructors without a connection name are kept for
 * compatibility; they leave it empty.
 *
 * @since 0.1
 */
public sealed interface AmqpEvent {

  /**
   * The name of the connection the event happened to, e.g. {@code orders-publisher} or {@code
   * ha4j-2}; empty only for events built with a constructor that takes no name.
   *
   * @since 0.1.0
   */
  String connection();

  /** {@code "name: "}, or nothing for an unnamed event. */
  private static String prefix(String connection) {
    return connection.isEmpty() ? "" : connection + ": ";
  }

  /** Null is taken as "no name". */
  private static String name(String connection) {
    return connection == null ? "" : connection;
  }

  /** A connection attempt is about to be made ({@code attempt} counts from 1 per connect run). */
  record Attempt(String connection, String host, int attempt) implements AmqpEvent {
    /** Normalises a null connection name to "". */
    public Attempt {
      connection = name(connection);
    }

    /** An event of an unnamed connection. */
    public Attempt(String host, int attempt) {
      this("", host, attempt);
    }

    @Override
    public String toString() {
      return prefix(connection) + "attempt " + attempt + " to connect to " + host;
    }
  }

  /** An attempt failed; the next one follows after {@code sleep} (zero inside a cycle). */
  record AttemptFailed(String connection, String host, int attempt, String error, Duration sleep)
      implements AmqpEvent {
    /** Normalises a null connection name to "". */
    public AttemptFailed {
      connection = name(connection);
    }

    /** An event of an unnamed connection. */
    public AttemptFailed(String host, int attempt, String error, Duration sleep) {
      this("", host, attempt, error, sleep);
    }

    @Override
    public String toString() {
      return prefix(connection)
          + "attempt "
          + attempt
          + " to "
          + host
          + " failed ("
          + error
          + "), next in "
          + sleep;
    }
  }

  /** Connected to {@code host} after {@code attempts} attempts taking {@code duration}. */
  record Connected(String connection, String host, int attempts, Duration duration)
      implements AmqpEvent {
    /** Normalises a null connection name to "". */
    public Connected {
      connection = name(connection);
    }

    /** An event of an unnamed connection. */
    public Connected(String host, int attempts, Duration duration) {
      this("", host, attempts, duration);
    }

    @Override
    public String toString() {
      return prefix(connection)
          + "connected to "
          + host
          + " after "
          + attempts
          + " attempt(s) in "
          + duration;
    }
  }

  /** The established connection to {@code host} was lost. */
  record ConnectionLost(String connection, String host, String reason) implements AmqpEvent {
    /** Normalises a null connection name to "". */
    public ConnectionLost {
      connection = name(connection);
    }

    /** An event of an unnamed connection. */
    public ConnectionLost(String host, String reason) {
      this("", host, reason);
    }

    @Override
    public String toString() {
      return prefix(connection) + "lost the connection to " + host + ": " + reason;
    }
  }

  /**
   * Recovered on {@code to} after losing {@code from}; topology, consumers and unconfirmed messages
   * are back. {@code duration} runs from the loss to the moment everything was usable again; {@code
   * phases} says where that time went ({@link RecoveryPhases#UNKNOWN} when not measured).
   *
   * @since 0.1 ({@code phases} since 0.1.0)
   */
  record Recovered(
      String connection,
      String from,
      String to,
      Duration duration,
      int republished,
      RecoveryPhases phases)
      implements AmqpEvent {
    /**
     * Normalises a null connection name to "" and null phases to {@link RecoveryPhases#UNKNOWN}.
     */
    public Recovered {
      connection = name(connection);
      phases = phases == null ? RecoveryPhases.UNKNOWN : phases;
    }

    /** An event without phases ({@link RecoveryPhases#UNKNOWN}). */
    public Recovered(
        String connection, String from, String to, Duration duration, int republished) {
      this(connection, from, to, duration, republished, RecoveryPhases.UNKNOWN);
    }

    /** An event of an unnamed connection, without phases. */
    public Recovered(String from, String to, Duration duration, int republished) {
      this("", from, to, duration, republished, RecoveryPhases.UNKNOWN);
    }

    @Override
    public String toString() {
      return prefix(connection)
          + "recovered from "
          + from
          + " on "
          + to
          + " in "
          + duration.toMillis()
          + " ms, "
          + republished
          + " unconfirmed message(s) re-sent"
          + (phases.equals(RecoveryPhases.UNKNOWN) ? "" : " (" + phases + ")");
    }
  }

  /** The retry budget is spent; the connection is closed for good. */
  record GaveUp(String connection, int attempts, Duration elapsed, String message)
      implements AmqpEvent {
    /** Normalises a null connection name to "". */
    public GaveUp {
      connection = name(connection);
    }

    /** An event of an unnamed connection. */
    public GaveUp(int attempts, Duration elapsed, String message) {
      this("", attempts, elapsed, message);
    }

    @Override
    public String toString() {
      return prefix(connection)
          + "gave up after "
          + attempts
          + " attempt(s) in "
          + elapsed
          + ": "
          + message;
    }
  }

  /** An entity could not be re-declared after recovery; consumers of it may stay detached. */
  record TopologyFailed(String connection, String entity, String error) implements AmqpEvent {
    /** Normalises a null connection name to "". */
    public TopologyFailed {
      connection = name(connection);
    }

    /** An event of an unnamed connection. */
    public TopologyFailed(String entity, String error) {
      this("", entity, error);
    }

    @Override
    public String toString() {
      return prefix(connection) + "could not re-declare " + entity + ": " + error;
    }
  }

  /** The broker cancelled a consumer (queue leader moved, queue deleted); it is re-attached. */
  record ConsumerCancelled(String connection, String queue, String reason) implements AmqpEvent {
    /** Normalises a null connection name to "". */
    public ConsumerCancelled {
      connection = name(connection);
    }

    /** An event of an unnamed connection. */
    public ConsumerCancelled(String queue, String reason) {
      this("", queue, reason);
    }

    @Override
    public String toString() {
      return prefix(connection)
          + "consumer of queue '"
          + queue
          + "' cancelled by the broker ("
          + reason
          + ")";
    }
  }

  /** A consumer is attached (again) to its queue. */
  record ConsumerAttached(String connection, String queue, String host) implements AmqpEvent {
    /** Normalises a null connection name to "". */
    public ConsumerAttached {
      connection = name(connection);
    }

    /** An event of an unnamed connection. */
    public ConsumerAttached(String queue, String host) {
      this("", queue, host);
    }

    @Override
    public String toString() {
      return prefix(connection) + "consumer attached to queue '" + queue + "' on " + host;
    }
  }

  /** The broker blocked ({@code blocked}) or unblocked publishing on this connection. */
  record Blocked(String connection, String host, boolean blocked, String reason)
      implements AmqpEvent {
    /** Normalises a null connection name to "". */
    public Blocked {
      connection = name(connection);
    }

    /** An event of an unnamed connection. */
    public Blocked(String host, boolean blocked, String reason) {
      this("", host, blocked, reason);
    }

    @Override
    public String toString() {
      return prefix(connection)
          + (blocked
              ? "publishing blocked by " + host + ": " + reason
              : "publishing unblocked by " + host);
    }
  }
}

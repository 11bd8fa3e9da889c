package io.ha4j.amqp;

import java.time.Duration;

/**
 * What happened to an {@link HaConnection}. Events are built only when a listener is registered;
 * {@code toString()} reads as a sentence. Host names are {@code host:port}, never credentials.
 *
 * @since 0.1
 */
public sealed interface AmqpEvent {

  /** A connection attempt is about to be made ({@code attempt} counts from 1 per connect run). */
  record Attempt(String host, int attempt) implements AmqpEvent {
    @Override
    public String toString() {
      return "attempt " + attempt + " to connect to " + host;
    }
  }

  /** An attempt failed; the next one follows after {@code sleep} (zero inside a cycle). */
  record AttemptFailed(String host, int attempt, String error, Duration sleep)
      implements AmqpEvent {
    @Override
    public String toString() {
      return "attempt " + attempt + " to " + host + " failed (" + error + "), next in " + sleep;
    }
  }

  /** Connected to {@code host} after {@code attempts} attempts taking {@code duration}. */
  record Connected(String host, int attempts, Duration duration) implements AmqpEvent {
    @Override
    public String toString() {
      return "connected to " + host + " after " + attempts + " attempt(s) in " + duration;
    }
  }

  /** The established connection to {@code host} was lost. */
  record ConnectionLost(String host, String reason) implements AmqpEvent {
    @Override
    public String toString() {
      return "lost the connection to " + host + ": " + reason;
    }
  }

  /**
   * Recovered on {@code to} after losing {@code from}; topology, consumers and unconfirmed messages
   * are back. {@code duration} runs from the loss to the moment everything was usable again.
   */
  record Recovered(String from, String to, Duration duration, int republished)
      implements AmqpEvent {
    @Override
    public String toString() {
      return "recovered from "
          + from
          + " on "
          + to
          + " in "
          + duration.toMillis()
          + " ms, "
          + republished
          + " unconfirmed message(s) re-sent";
    }
  }

  /** The retry budget is spent; the connection is closed for good. */
  record GaveUp(int attempts, Duration elapsed, String message) implements AmqpEvent {
    @Override
    public String toString() {
      return "gave up after " + attempts + " attempt(s) in " + elapsed + ": " + message;
    }
  }

  /** An entity could not be re-declared after recovery; consumers of it may stay detached. */
  record TopologyFailed(String entity, String error) implements AmqpEvent {
    @Override
    public String toString() {
      return "could not re-declare " + entity + ": " + error;
    }
  }

  /** The broker cancelled a consumer (queue leader moved, queue deleted); it is re-attached. */
  record ConsumerCancelled(String queue, String reason) implements AmqpEvent {
    @Override
    public String toString() {
      return "consumer of queue '" + queue + "' cancelled by the broker (" + reason + ")";
    }
  }

  /** A consumer is attached (again) to its queue. */
  record ConsumerAttached(String queue, String host) implements AmqpEvent {
    @Override
    public String toString() {
      return "consumer attached to queue '" + queue + "' on " + host;
    }
  }

  /** The broker blocked ({@code blocked}) or unblocked publishing on this connection. */
  record Blocked(String host, boolean blocked, String reason) implements AmqpEvent {
    @Override
    public String toString() {
      return blocked
          ? "publishing blocked by " + host + ": " + reason
          : "publishing unblocked by " + host;
    }
  }
}

package io.ha4j.amqp.internal;

import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.AmqpListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the events of one connection to listeners; builds them only when someone listens, with the
 * connection's name.
 */
public final class Events {

  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final String connection;
  private final List<AmqpListener> listeners = new CopyOnWriteArrayList<>();

  /** Events of the connection named {@code connection} for these listeners. */
  public Events(String connection, List<AmqpListener> initial) {
    this.connection = connection;
    listeners.addAll(initial);
  }

  /** The connection's name. */
  public String connection() {
    return connection;
  }

  /**
   * Builds and delivers an event if anybody listens; {@code event} is given the connection's name.
   */
  public void emit(Function<String, ? extends AmqpEvent> event) {
    if (listeners.isEmpty()) {
      return;
    }
    AmqpEvent e = event.apply(connection);
    for (AmqpListener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ex) {
        LOG.warn(
            "AMQP connection '{}': listener {} failed on event '{}'; ignored: {}",
            connection,
            l,
            e,
            ex.toString());
      }
    }
  }
}

package io.ha4j.amqp.internal;

import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.AmqpListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands events to listeners; builds them only when someone listens. */
public final class Events {

  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final List<AmqpListener> listeners = new CopyOnWriteArrayList<>();

  /** Events for these listeners. */
  public Events(List<AmqpListener> initial) {
    listeners.addAll(initial);
  }

  /** Builds and delivers an event if anybody listens. */
  public void emit(Supplier<? extends AmqpEvent> event) {
    if (listeners.isEmpty()) {
      return;
    }
    AmqpEvent e = event.get();
    for (AmqpListener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ex) {
        LOG.warn("AMQP listener {} failed on event '{}'; ignored", l, e, ex);
      }
    }
  }
}

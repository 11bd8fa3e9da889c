package io.ha4j.jdbc.internal;

import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.jdbc.GaleraListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands events to the listeners; an event is only built when someone listens. */
final class Events {

  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final String name;
  private final List<GaleraListener> listeners;

  Events(String name, List<GaleraListener> listeners) {
    this.name = name;
    this.listeners = new CopyOnWriteArrayList<>(listeners);
  }

  /** The data source's name. */
  String name() {
    return name;
  }

  /** Builds (given the data source's name) and delivers an event if anybody listens. */
  void emit(Function<String, GaleraEvent> event) {
    if (listeners.isEmpty()) {
      return;
    }
    GaleraEvent e = event.apply(name);
    for (GaleraListener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ex) {
        LOG.warn("Galera listener of {} failed on {}: {}", name, e, ex.toString());
      }
    }
  }
}

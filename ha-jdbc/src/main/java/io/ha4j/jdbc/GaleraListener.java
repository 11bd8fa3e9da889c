package io.ha4j.jdbc;

/**
 * Receives the {@link GaleraEvent}s of a {@link GaleraDataSource}. Called on ha4j's monitor threads
 * or the application's thread; must return quickly. An exception thrown here is logged and ignored.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface GaleraListener {

  /** One event. */
  void onEvent(GaleraEvent event);
}

package io.ha4j.jdbc;

import io.ha4j.config.GiveUpException;
import java.time.Duration;

/**
 * {@link GaleraDataSource.Builder#build()} gave up: no Galera node answered the status query within
 * the start-up budget ({@code [database] max_retries} tries, {@code retry_interval} apart). The
 * message names the data source, every node with its last state and error, the attempts and the
 * elapsed time; the cause is the last error seen, if any. Never contains a password.
 *
 * @since 0.1.0
 */
public class GaleraConnectException extends GiveUpException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception for a data source that gave up at start-up.
   *
   * @param resource the data source, e.g. {@code Galera data source 'orders'}
   * @param message the whole message
   * @param attempts rounds of checks made, counting from 1
   * @param elapsed time from the first round to giving up
   * @param cause the last error, or null
   */
  public GaleraConnectException(
      String resource, String message, int attempts, Duration elapsed, Throwable cause) {
    super(resource, message, attempts, elapsed, cause);
  }
}

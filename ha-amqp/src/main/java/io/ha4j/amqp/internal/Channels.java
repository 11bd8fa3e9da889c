package io.ha4j.amqp.internal;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Closing amqp-client connections and channels that may be gone already. */
final class Channels {

  private Channels() {}

  static void closeQuietly(Connection c) {
    try {
      c.close(2000);
    } catch (IOException | RuntimeException e) {
      c.abort(1000);
    }
  }

  static void closeQuietly(Channel ch) {
    try {
      if (ch.isOpen()) {
        ch.close();
      }
    } catch (IOException | TimeoutException | RuntimeException e) {
      // already gone
    }
  }
}

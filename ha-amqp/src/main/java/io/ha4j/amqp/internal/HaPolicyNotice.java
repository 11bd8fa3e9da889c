package io.ha4j.amqp.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs once per JVM that {@code x-ha-policy} needs a server-side policy. */
final class HaPolicyNotice {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveringConnection.class);
  private static final AtomicBoolean DONE = new AtomicBoolean();

  private HaPolicyNotice() {}

  static void once(String resource, String queue) {
    if (DONE.compareAndSet(false, true)) {
      LOG.info(
          "{}: queue '{}' is declared with x-ha-policy=all (rabbit_ha_queues) for compatibility; RabbitMQ"
              + " 3.x mirrors it only with a policy: rabbitmqctl set_policy ha-all '^(?!amq\\.).*'"
              + " '{{\"ha-mode\":\"all\"}}'",
          resource,
          queue);
    }
  }
}

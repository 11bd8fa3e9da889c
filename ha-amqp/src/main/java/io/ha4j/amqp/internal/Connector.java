package io.ha4j.amqp.internal;

import com.rabbitmq.client.Connection;

/** Opens one AMQP connection to one host; injected so that unit tests use fakes. */
@FunctionalInterface
public interface Connector {

  /** Connects to the host at {@code index} of the (ordered) host list, or throws why not. */
  Connection connect(int index) throws Exception;
}

package io.ha4j.amqp.internal;

import com.rabbitmq.client.Connection;
import java.io.IOException;

/** A publisher or consumer that lives on across failovers of its connection. */
interface Member {

  /** The connection was lost; stop using the old channel. Runs on the recovery thread. */
  void connectionLost();

  /** Moves onto the new connection. Runs on the recovery thread after the topology. */
  void recover(Connection connection) throws IOException;

  /** The connection is closed for good ({@code cause} is null after an orderly close). */
  void closed(RuntimeException cause);
}

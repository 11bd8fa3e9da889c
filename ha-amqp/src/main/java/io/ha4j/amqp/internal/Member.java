package io.ha4j.amqp.internal;

import com.rabbitmq.client.Connection;
import java.io.IOException;

/**
 * A publisher or consumer that lives on across failovers of its {@link RecoveringConnection}. The
 * connection keeps one list of members in creation order and drives every one of them through the
 * same steps: {@link #connectionLost()} when the delegate goes, {@link #recover(Connection)} on the
 * new delegate after the topology is re-declared and before the delegate is swapped in, {@link
 * #blocked(boolean)} on broker resource alarms, {@link #drain()} and {@link #closed} on close or
 * give-up.
 */
interface Member {

  /** The connection was lost; stop using the old channel. Runs on the recovery thread. */
  void connectionLost();

  /**
   * Moves onto {@code connection} (opens a new channel, re-sends, re-attaches). Runs on the
   * recovery thread after the topology, before anyone else sees the connection.
   *
   * @return the messages sent again (0 for members that do not publish)
   * @throws IOException when the new connection fails too; recovery moves to the next host
   */
  int recover(Connection connection) throws IOException;

  /** The broker blocked ({@code true}) or unblocked publishing on the connection. */
  default void blocked(boolean blocked) {}

  /** The connection is about to close in order: finish in-flight work within the member's limit. */
  default void drain() {}

  /** The connection is closed for good ({@code cause} is null after an orderly close). */
  void closed(RuntimeException cause);
}

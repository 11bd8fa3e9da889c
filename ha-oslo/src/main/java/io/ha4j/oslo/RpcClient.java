package io.ha4j.oslo;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Calls and casts to oslo.messaging RPC servers (Python or Java), as oslo's {@code RPCClient}. All
 * calls of the clients of one {@link OsloTransport} share one reply queue ({@code reply_<uuid
 * hex>}). Arguments and results are JSON values: maps with string keys, lists, strings, numbers,
 * booleans and {@code null} (records and beans are written as objects). The context is sent as
 * {@code _context_<key>} fields. Immutable and thread-safe; {@link #prepare} returns a changed
 * copy.
 *
 * @since 0.1
 */
public interface RpcClient {

  /** The target messages go to. */
  Target target();

  /** The call timeout; default {@code rpc_response_timeout}. */
  Duration timeout();

  /**
   * Calls a method and waits for its result.
   *
   * @return the result, as a JSON value
   * @throws RemoteException when the method failed on the server
   * @throws MessagingTimeoutException when no reply came within {@link #timeout()}
   * @throws IllegalStateException for a fanout target (oslo refuses calls to fanout targets)
   */
  Object call(Map<String, ?> context, String method, Map<String, ?> args);

  /**
   * Calls a method without blocking. The future fails with {@link RemoteException} or {@link
   * MessagingTimeoutException}; it always completes, at the latest after {@link #timeout()}.
   */
  CompletableFuture<Object> callAsync(Map<String, ?> context, String method, Map<String, ?> args);

  /**
   * Sends a method call without waiting for a result; returns once the broker confirmed the message
   * (re-sent after a failover if it was not confirmed).
   */
  void cast(Map<String, ?> context, String method, Map<String, ?> args);

  /**
   * A copy with some options changed, as oslo's {@code prepare}; a {@code null} argument keeps the
   * current value.
   *
   * @param server one server of the topic
   * @param namespace endpoint namespace
   * @param version API version {@code X.Y}
   * @param timeout call timeout
   * @param retry publish retries; kept for oslo compatibility: publishing waits within the retry
   *     budget of the connection ({@code rabbit_max_retries})
   * @param exchange exchange instead of {@code control_exchange}
   */
  RpcClient prepare(
      String server,
      String namespace,
      String version,
      Duration timeout,
      Integer retry,
      String exchange);

  /** A copy whose casts go to every server of the topic ({@code <topic>_fanout}). */
  RpcClient fanout();
}

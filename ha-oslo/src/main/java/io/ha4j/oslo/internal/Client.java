package io.ha4j.oslo.internal;

import io.ha4j.oslo.MessagingTimeoutException;
import io.ha4j.oslo.RpcClient;
import io.ha4j.oslo.Target;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The {@link RpcClient} of a transport. Immutable. */
public final class Client implements RpcClient {

  private final TransportCore core;
  private final Target target;
  private final Duration timeout;
  private final Integer retry;

  /** A client with the transport's default timeout. */
  public Client(TransportCore core, Target target) {
    this(core, target, core.settings().amqp().rpcResponseTimeout(), null);
  }

  private Client(TransportCore core, Target target, Duration timeout, Integer retry) {
    this.core = core;
    this.target = Objects.requireNonNull(target, "target");
    this.timeout = timeout;
    this.retry = retry;
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  /** The retry count given to {@link #prepare}, or {@code null}. */
  public Integer retry() {
    return retry;
  }

  @Override
  public Object call(Map<String, ?> context, String method, Map<String, ?> args) {
    CompletableFuture<Object> f = callAsync(context, method, args);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(false);
      throw new io.ha4j.config.HaException("interrupted while calling " + method, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw TransportCore.unwrap(e.getCause(), "call of " + method);
    }
  }

  @Override
  public CompletableFuture<Object> callAsync(
      Map<String, ?> context, String method, Map<String, ?> args) {
    Objects.requireNonNull(method, "method");
    if (target.fanout()) {
      throw new IllegalStateException("a fanout target cannot be called, only cast to");
    }
    core.checkOpen();
    ReplyWaiter waiter = core.replyWaiter();
    Map<String, Object> msg = Wire.request(method, args, target.namespace(), target.version());
    String msgId = Wire.uuidHex();
    msg.put("_msg_id", msgId);
    msg.put("_reply_q", waiter.queue());
    msg.put("_timeout", null);
    msg.put("_unique_id", Wire.uuidHex());
    Wire.packContext(msg, context);
    byte[] body = Wire.envelope(msg);
    CompletableFuture<Object> reply = waiter.register(msgId, timeout, "call of " + method);
    reply.whenComplete(
        (v, e) -> {
          if (e instanceof MessagingTimeoutException) {
            core.io().execute(waiter::repair);
          }
        });
    String exchange = core.exchange(target.exchange());
    String key = routingKey();
    // Publishing may wait for a failover; the caller's time-out runs meanwhile, so it never hangs.
    core.io()
        .execute(
            () -> {
              try {
                core.declareOnce(Declarations.topicExchange(exchange, core.settings().amqp()));
                core.publisher()
                    .publish(exchange, key, Wire.properties(timeout), body)
                    .whenComplete(
                        (v, e) -> {
                          if (e != null) {
                            reply.completeExceptionally(e);
                          }
                        });
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply.completeExceptionally(e);
              } catch (RuntimeException e) {
                reply.completeExceptionally(e);
              }
            });
    return reply;
  }

  @Override
  public void cast(Map<String, ?> context, String method, Map<String, ?> args) {
    Objects.requireNonNull(method, "method");
    core.checkOpen();
    Map<String, Object> msg = Wire.request(method, args, target.namespace(), target.version());
    msg.put("_unique_id", Wire.uuidHex());
    Wire.packContext(msg, context);
    byte[] body = Wire.envelope(msg);
    String exchange;
    String key;
    if (target.fanout()) {
      var fanout = Declarations.fanoutExchange(target.topic());
      core.declareOnce(fanout);
      exchange = fanout.name();
      key = "";
    } else {
      exchange = core.exchange(target.exchange());
      core.declareOnce(Declarations.topicExchange(exchange, core.settings().amqp()));
      key = routingKey();
    }
    CompletableFuture<Void> confirmed;
    try {
      confirmed = core.publisher().publish(exchange, key, Wire.properties(null), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.ha4j.config.HaException("interrupted while casting " + method, e);
    }
    TransportCore.await(confirmed, null, "cast of " + method);
  }

  private String routingKey() {
    return target.server() == null ? target.topic() : target.topic() + "." + target.server();
  }

  @Override
  public RpcClient prepare(
      String server,
      String namespace,
      String version,
      Duration timeout,
      Integer retry,
      String exchange) {
    Target t = target;
    if (server != null) {
      t = t.withServer(server);
    }
    if (namespace != null) {
      t = t.withNamespace(namespace);
    }
    if (version != null) {
      t = t.withVersion(version);
    }
    if (exchange != null) {
      t = t.withExchange(exchange);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return new Client(
        core, t, timeout != null ? timeout : this.timeout, retry != null ? retry : this.retry);
  }

  @Override
  public RpcClient fanout() {
    return new Client(core, target.withFanout(true), timeout, retry);
  }

  @Override
  public String toString() {
    return "RpcClient[" + target + ", timeout=" + timeout.toMillis() + " ms]";
  }
}

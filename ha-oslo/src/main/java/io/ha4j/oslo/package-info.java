/**
 * oslo.messaging wire-compatible RPC ({@link io.ha4j.oslo.RpcClient}, {@link
 * io.ha4j.oslo.RpcServer}) and notifications ({@link io.ha4j.oslo.Notifier}, {@link
 * io.ha4j.oslo.NotificationListener}) over ha4j's recovering RabbitMQ connections: a Java service
 * calls and serves OpenStack Python services on the same exchanges and queues, declared exactly as
 * oslo declares them. Start from {@link io.ha4j.oslo.OsloTransport}.
 *
 * @since 0.1
 */
package io.ha4j.oslo;

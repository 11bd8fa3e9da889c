/**
 * Highly available RabbitMQ connections: {@link io.ha4j.amqp.HaConnectionFactory} connects to one
 * of several nodes on oslo.messaging's retry schedule, recovers after losing the connection,
 * re-declares the topology, re-attaches consumers and re-sends every unconfirmed message. {@link
 * io.ha4j.amqp.HaConnectionFactory#probe} checks one host once, for health checks.
 *
 * <p>Exceptions are unchecked, rooted at {@link io.ha4j.config.HaException}, one type per way a
 * caller reacts:
 *
 * <ul>
 *   <li>{@link io.ha4j.config.InvalidSettingException} (a {@link io.ha4j.config.ConfigException}):
 *       a setting cannot work, e.g. an unreadable {@code ssl_ca_file}; fix the configuration.
 *   <li>{@link io.ha4j.amqp.AmqpConnectException} (a {@link io.ha4j.config.GiveUpException}): the
 *       retry budget is spent or every host refused for good; names every host, the attempts and
 *       the elapsed time.
 *   <li>{@link io.ha4j.config.ResourceClosedException}: the connection, publisher or consumer was
 *       closed (before or while waiting).
 *   <li>{@link io.ha4j.config.OperationInterruptedException}: the thread was interrupted while
 *       waiting; its interrupt flag is set again.
 *   <li>{@link io.ha4j.amqp.PublishException}: the broker did not accept a message (nack, a
 *       resource alarm for too long, a closed publishing channel).
 *   <li>{@link io.ha4j.amqp.AmqpOperationException}: the broker refused a declaration, binding or
 *       consume; {@link io.ha4j.amqp.TopologyConflictException} when an entity exists with other
 *       properties.
 * </ul>
 *
 * @since 0.1
 */
package io.ha4j.amqp;

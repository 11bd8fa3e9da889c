/**
 * Highly available RabbitMQ connections: {@link io.ha4j.amqp.HaConnectionFactory} connects to one
 * of several nodes on oslo.messaging's retry schedule, recovers after losing the connection,
 * re-declares the topology, re-attaches consumers and re-sends every unconfirmed message.
 *
 * @since 0.1
 */
package io.ha4j.amqp;

/**
 * Micrometer metrics for ha-amqp: an {@link io.ha4j.amqp.AmqpListener} that counts attempts,
 * losses, failovers and give-ups and times recoveries, and counters bound to a publisher. Needs
 * {@code io.micrometer:micrometer-core} on the class path (an optional dependency of ha-amqp).
 */
package io.ha4j.amqp.micrometer;

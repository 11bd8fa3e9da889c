/**
 * Spring AMQP through ha4j: {@link io.ha4j.spring.amqp.Ha4jRabbitConnectionFactory} connects Spring
 * AMQP's {@code CachingConnectionFactory} to the configured hosts on kombu's schedule, {@link
 * io.ha4j.spring.amqp.ConnectScheduleBackOff} makes listener containers recover on the same
 * timetable, and queue beans get oslo's declaration options.
 */
package io.ha4j.spring.amqp;

/**
 * Actuator health contributors {@code ha4jAmqp} and {@code ha4jGalera}, and ha4j's Micrometer
 * meters when a {@code MeterRegistry} bean exists.
 */
package io.ha4j.spring.actuate;

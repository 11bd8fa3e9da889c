/**
 * Spring Boot auto-configuration for ha4j: {@code ha4j.*} properties and oslo config files read
 * through {@link io.ha4j.config.HaConfig}, failure analysis of configuration mistakes. The Spring
 * AMQP, JDBC and Actuator integrations live in the sub-packages.
 */
package io.ha4j.spring;

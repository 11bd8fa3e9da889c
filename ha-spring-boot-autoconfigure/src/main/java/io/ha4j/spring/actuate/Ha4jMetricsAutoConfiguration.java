package io.ha4j.spring.actuate;

import io.ha4j.amqp.micrometer.MicrometerAmqpMetrics;
import io.ha4j.jdbc.micrometer.MicrometerGaleraMetrics;
import io.ha4j.spring.Ha4jProperties;
import io.ha4j.spring.amqp.Ha4jRabbitAutoConfiguration;
import io.ha4j.spring.amqp.Ha4jRabbitConnectionFactory;
import io.ha4j.spring.jdbc.Ha4jJdbcAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.amqp.metrics.RabbitMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * ha4j's Micrometer meters when a {@link MeterRegistry} bean exists: {@code ha4j.amqp.*} for Spring
 * AMQP's connection (tag {@code connection}, {@code ha4j.rabbit.connection-name}) and {@code
 * ha4j.db.*} for the Galera data source (tag {@code datasource}). The listeners are beans; the
 * connection factory and the data source pick them up.
 *
 * @since 0.1
 */
@AutoConfiguration(
    after = {Ha4jRabbitAutoConfiguration.class, Ha4jJdbcAutoConfiguration.class},
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "ha4j.enabled", matchIfMissing = true)
public class Ha4jMetricsAutoConfiguration {

  /** Creates the auto-configuration (instantiated by Spring). */
  public Ha4jMetricsAutoConfiguration() {}

  /**
   * Meters of Spring AMQP's connection through ha4j.
   *
   * @param registry the registry
   * @param properties the ha4j properties
   * @return the listener
   */
  @Bean
  @ConditionalOnMissingBean
  public MicrometerAmqpMetrics ha4jAmqpMetrics(MeterRegistry registry, Ha4jProperties properties) {
    return new MicrometerAmqpMetrics(registry, properties.getRabbit().getConnectionName());
  }

  /**
   * Meters of the Galera data source.
   *
   * @param registry the registry
   * @param properties the ha4j properties
   * @return the listener
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnClass(MicrometerGaleraMetrics.class)
  public MicrometerGaleraMetrics ha4jGaleraMetrics(
      MeterRegistry registry, Ha4jProperties properties) {
    return new MicrometerGaleraMetrics(registry, properties.getDatasource().getName());
  }

  /**
   * amqp-client's own meters for the factory under Spring AMQP's connection.
   *
   * @since 0.1
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RabbitMetrics.class)
  @ConditionalOnBean(Ha4jRabbitConnectionFactory.class)
  public static class RabbitClientMetrics {

    /** Creates the configuration (instantiated by Spring). */
    public RabbitClientMetrics() {}

    /**
     * Boot's {@code rabbitmq.*} meters on amqp-client's factory.
     *
     * @param factory Spring AMQP's connection factory through ha4j
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean(name = "ha4jRabbitClientMetrics")
    public MeterBinder ha4jRabbitClientMetrics(Ha4jRabbitConnectionFactory factory) {
      return new RabbitMetrics(
          factory.getTargetConnectionFactory().getRabbitConnectionFactory(),
          Tags.of("name", "rabbitConnectionFactory"));
    }
  }
}

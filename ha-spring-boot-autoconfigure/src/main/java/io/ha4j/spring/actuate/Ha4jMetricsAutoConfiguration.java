package io.ha4j.spring.actuate;

import io.ha4j.amqp.micrometer.MicrometerAmqpMetrics;
import io.ha4j.jdbc.micrometer.MicrometerGaleraMetrics;
import io.ha4j.spring.Ha4jProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * ha4j's Micrometer meters when a {@link MeterRegistry} bean exists: {@code ha4j.amqp.*} for Spring
 * AMQP's connection (tag {@code connection}, {@code ha4j.rabbit.connection-name}) and {@code
 * ha4j.db.*} for the Galera data source (tag {@code datasource}). The listeners are beans; the
 * connection factory and the data source pick them up.
 *
 * @since 0.1
 */
@AutoConfiguration(
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
}

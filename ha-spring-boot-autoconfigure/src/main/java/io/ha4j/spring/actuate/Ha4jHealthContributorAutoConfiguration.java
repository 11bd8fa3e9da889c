package io.ha4j.spring.actuate;

import io.ha4j.amqp.HaConnection;
import io.ha4j.spring.amqp.Ha4jRabbitAutoConfiguration;
import io.ha4j.spring.amqp.Ha4jRabbitConnectionFactory;
import io.ha4j.spring.jdbc.Ha4jJdbcAutoConfiguration;
import io.ha4j.spring.jdbc.LazyGaleraDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health contributors {@code ha4jAmqp} and {@code ha4jGalera} when Boot's health module is on the
 * class path; each can be switched off as Boot's own ({@code
 * management.health.ha4j-amqp.enabled=false}, {@code management.health.ha4j-galera.enabled=false}).
 *
 * @since 0.1
 */
@AutoConfiguration(after = {Ha4jRabbitAutoConfiguration.class, Ha4jJdbcAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBooleanProperty(name = "ha4j.enabled", matchIfMissing = true)
public class Ha4jHealthContributorAutoConfiguration {

  /** Creates the auto-configuration (instantiated by Spring). */
  public Ha4jHealthContributorAutoConfiguration() {}

  /**
   * The AMQP contributor.
   *
   * @since 0.1
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Ha4jRabbitConnectionFactory.class)
  @ConditionalOnBean(Ha4jRabbitConnectionFactory.class)
  @ConditionalOnEnabledHealthIndicator("ha4j-amqp")
  public static class Amqp {

    /** Creates the configuration (instantiated by Spring). */
    public Amqp() {}

    /**
     * The {@code ha4jAmqp} contributor.
     *
     * @param factory Spring AMQP's connection factory through ha4j
     * @param beans the bean factory, for the {@code HaConnection}s already opened
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "ha4jAmqpHealthIndicator")
    public Ha4jAmqpHealthIndicator ha4jAmqpHealthIndicator(
        Ha4jRabbitConnectionFactory factory, ConfigurableListableBeanFactory beans) {
      return new Ha4jAmqpHealthIndicator(factory, () -> openConnections(beans));
    }

    /** The HaConnection singletons already made: a health check must not open one. */
    static Map<String, HaConnection> openConnections(ConfigurableListableBeanFactory beans) {
      Map<String, HaConnection> m = new LinkedHashMap<>();
      for (String name : beans.getBeanNamesForType(HaConnection.class, false, false)) {
        if (beans.containsSingleton(name)) {
          m.put(name, beans.getBean(name, HaConnection.class));
        }
      }
      return m;
    }
  }

  /**
   * The Galera contributor.
   *
   * @since 0.1
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(LazyGaleraDataSource.class)
  @ConditionalOnEnabledHealthIndicator("ha4j-galera")
  public static class Galera {

    /** Creates the configuration (instantiated by Spring). */
    public Galera() {}

    /**
     * The {@code ha4jGalera} contributor.
     *
     * @param dataSource the Galera data source
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "ha4jGaleraHealthIndicator")
    public Ha4jGaleraHealthIndicator ha4jGaleraHealthIndicator(LazyGaleraDataSource dataSource) {
      return new Ha4jGaleraHealthIndicator(dataSource);
    }
  }
}

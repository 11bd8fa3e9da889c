package io.ha4j.spring.amqp;

import io.ha4j.amqp.AmqpListener;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.spring.Ha4jAutoConfiguration;
import io.ha4j.spring.Ha4jProperties;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.config.AbstractRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Spring AMQP through ha4j, before Boot's {@link RabbitAutoConfiguration}: the {@link
 * RabbitConnectionDetails} come from ha4j's settings (oslo's {@code transport_url}, or {@code
 * spring.rabbitmq.*}), and the {@link ConnectionFactory} is an {@link Ha4jRabbitConnectionFactory}
 * around a {@link CachingConnectionFactory} that Boot's own configurers and {@link
 * ConnectionFactoryCustomizer}s have set up, with publisher confirms (correlated) and returns on.
 * Listener container factories and containers recover on {@link ConnectScheduleBackOff}; queue
 * beans get oslo's declaration options. {@link HaConnectionFactory}, and lazily {@link
 * HaConnection} and {@link HaPublisher}, are beans too. Needs Spring AMQP and Boot's AMQP module on
 * the class path; off with {@code ha4j.enabled=false} or {@code ha4j.rabbit.enabled=false}. Every
 * bean backs off when the application defines its own.
 *
 * @since 0.1
 */
@AutoConfiguration(after = Ha4jAutoConfiguration.class, before = RabbitAutoConfiguration.class)
@ConditionalOnClass({RabbitTemplate.class, RabbitAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "ha4j.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "ha4j.rabbit.enabled", matchIfMissing = true)
public class Ha4jRabbitAutoConfiguration {

  private static final String SPRING_METRICS = "io.ha4j.amqp.micrometer.MicrometerAmqpMetrics";

  /** Creates the auto-configuration (instantiated by Spring). */
  public Ha4jRabbitAutoConfiguration() {}

  /**
   * Boot's connection details from ha4j's settings: the hosts in ha4j's order, the first host's
   * credentials (each attempt uses its own host's), the virtual host.
   *
   * @param config the ha4j configuration
   * @return the connection details
   */
  @Bean
  @ConditionalOnMissingBean(RabbitConnectionDetails.class)
  public RabbitConnectionDetails ha4jRabbitConnectionDetails(HaConfig config) {
    AmqpSettings s = config.amqp();
    List<RabbitConnectionDetails.Address> addresses = new ArrayList<>();
    for (AmqpHost h : s.hosts()) {
      addresses.add(new RabbitConnectionDetails.Address(h.host(), h.port()));
    }
    AmqpHost first = s.hosts().get(0);
    return new RabbitConnectionDetails() {
      @Override
      public List<Address> getAddresses() {
        return addresses;
      }

      @Override
      public String getUsername() {
        return first.username();
      }

      @Override
      public String getPassword() {
        return first.password();
      }

      @Override
      public String getVirtualHost() {
        return s.virtualHost();
      }

      @Override
      public String toString() {
        return "ha4j RabbitConnectionDetails" + addresses;
      }
    };
  }

  /**
   * Spring AMQP's connection factory, connecting through ha4j.
   *
   * @param config the ha4j configuration
   * @param properties the ha4j properties
   * @param beanConfigurer Boot's configurer of amqp-client's factory ({@code spring.rabbitmq.*})
   * @param cachingConfigurer Boot's configurer of the caching factory (channel cache …)
   * @param customizers the application's customizers of amqp-client's factory, applied last
   * @param listeners the listeners to tell about connection events (metrics among them)
   * @return the connection factory
   * @throws Exception when amqp-client's factory cannot be set up
   */
  @Bean
  @ConditionalOnMissingBean(ConnectionFactory.class)
  public Ha4jRabbitConnectionFactory rabbitConnectionFactory(
      HaConfig config,
      Ha4jProperties properties,
      RabbitConnectionFactoryBeanConfigurer beanConfigurer,
      CachingConnectionFactoryConfigurer cachingConfigurer,
      ObjectProvider<ConnectionFactoryCustomizer> customizers,
      ObjectProvider<AmqpListener> listeners)
      throws Exception {
    AmqpSettings s = config.amqp();
    RabbitConnectionFactoryBean bean = new RabbitConnectionFactoryBean();
    beanConfigurer.configure(bean);
    bean.afterPropertiesSet();
    com.rabbitmq.client.ConnectionFactory rabbit = bean.getObject();
    RabbitClientSettings.apply(s, rabbit, properties.getRabbit().getConnectionName());
    customizers.orderedStream().forEach(c -> c.customize(rabbit));
    CachingConnectionFactory caching = new CachingConnectionFactory(rabbit);
    cachingConfigurer.configure(caching);
    if (!caching.isPublisherConfirms() && !caching.isSimplePublisherConfirms()) {
      caching.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
    }
    caching.setPublisherReturns(true);
    return new Ha4jRabbitConnectionFactory(
        caching, s, ordered(s), () -> listeners.orderedStream().toList());
  }

  /** The hosts in the order attempts walk them: shuffled once per application, or as given. */
  static List<AmqpHost> ordered(AmqpSettings s) {
    List<AmqpHost> h = new ArrayList<>(s.hosts());
    if (s.hostOrder() == AmqpSettings.HostOrder.SHUFFLE) {
      Collections.shuffle(h, new SecureRandom());
    }
    return h;
  }

  /**
   * Sets {@code mandatory} on Boot's {@code RabbitTemplate} so that unroutable messages come back
   * as returns, unless {@code spring.rabbitmq.template.mandatory} says otherwise.
   *
   * @param environment the application's environment
   * @return the customizer
   */
  @Bean
  public RabbitTemplateCustomizer ha4jRabbitTemplateCustomizer(Environment environment) {
    boolean explicit = environment.containsProperty("spring.rabbitmq.template.mandatory");
    return template -> {
      if (!explicit) {
        template.setMandatory(true);
      }
    };
  }

  /**
   * Listener container factories and containers recover on kombu's timetable.
   *
   * @param config the ha4j configuration, looked up when the first container appears
   * @param properties the ha4j properties
   * @return the post-processor
   */
  @Bean
  public static BeanPostProcessor ha4jListenerBackOff(
      ObjectProvider<HaConfig> config, ObjectProvider<Ha4jProperties> properties) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String beanName) {
        boolean container =
            bean instanceof AbstractRabbitListenerContainerFactory<?>
                || bean instanceof AbstractMessageListenerContainer;
        if (!container || !properties.getObject().getRabbit().isListenerBackOff()) {
          return bean;
        }
        ConnectScheduleBackOff backOff = ConnectScheduleBackOff.of(config.getObject().amqp());
        if (bean instanceof AbstractRabbitListenerContainerFactory<?> f) {
          f.setRecoveryBackOff(backOff);
        } else {
          ((AbstractMessageListenerContainer) bean).setRecoveryBackOff(backOff);
        }
        return bean;
      }
    };
  }

  /**
   * {@link Queue} beans get oslo's declaration options unless {@code
   * ha4j.rabbit.oslo-queue-arguments=false}.
   *
   * @param config the ha4j configuration, looked up when the first queue appears
   * @param environment the application's environment
   * @return the post-processor
   */
  @Bean
  public static BeanPostProcessor ha4jOsloQueueArguments(
      ObjectProvider<HaConfig> config, Environment environment) {
    boolean on =
        environment.getProperty("ha4j.rabbit.oslo-queue-arguments", Boolean.class, Boolean.TRUE);
    return on
        ? new OsloQueueArguments(() -> config.getObject().amqp())
        : new BeanPostProcessor() {};
  }

  /**
   * ha4j's own connection factory, for code that uses {@link HaConnection} and its re-sending
   * {@link HaPublisher} directly. Creating it does not connect.
   *
   * @param config the ha4j configuration
   * @param listeners listeners of connection events
   * @return the factory
   */
  @Bean
  @ConditionalOnMissingBean
  public HaConnectionFactory ha4jConnectionFactory(
      HaConfig config, ObjectProvider<AmqpListener> listeners) {
    HaConnectionFactory.Builder b =
        HaConnectionFactory.builder().settings(config.amqp()).connectionName("ha4j");
    // the Micrometer listener bean counts the Spring connection (tag connection=spring)
    listeners
        .orderedStream()
        .filter(l -> !l.getClass().getName().equals(SPRING_METRICS))
        .forEach(b::listener);
    return b.build();
  }

  /**
   * A connection of {@link #ha4jConnectionFactory}, made when first injected.
   *
   * @param factory the factory
   * @return the connection, closed with the context
   */
  @Bean(destroyMethod = "close")
  @Lazy
  @ConditionalOnMissingBean
  public HaConnection ha4jConnection(HaConnectionFactory factory) {
    return factory.newConnection();
  }

  /**
   * A confirmed, re-sending publisher on {@link #ha4jConnection}, made when first injected.
   *
   * @param connection the connection
   * @return the publisher, closed with the context
   */
  @Bean(destroyMethod = "close")
  @Lazy
  @ConditionalOnMissingBean
  public HaPublisher ha4jPublisher(@Lazy HaConnection connection) {
    return connection.publisher();
  }
}

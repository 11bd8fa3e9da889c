package io.ha4j.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.amqp.micrometer.MicrometerAmqpMetrics;
import io.ha4j.jdbc.micrometer.MicrometerGaleraMetrics;
import io.ha4j.spring.Ha4jAutoConfiguration;
import io.ha4j.spring.amqp.Ha4jRabbitAutoConfiguration;
import io.ha4j.spring.jdbc.Ha4jJdbcAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class Ha4jActuateAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  Ha4jAutoConfiguration.class,
                  Ha4jRabbitAutoConfiguration.class,
                  RabbitAutoConfiguration.class,
                  Ha4jJdbcAutoConfiguration.class,
                  Ha4jHealthContributorAutoConfiguration.class,
                  Ha4jMetricsAutoConfiguration.class))
          .withPropertyValues(
              "ha4j.amqp.transport-url=rabbit://app:Secret5@127.0.0.1:1/",
              "ha4j.database.connection=mysql+pymysql://app:Secret6@127.0.0.1:1/orders");

  @Test
  void bothHealthContributorsReportUnknownBeforeFirstUseWithoutSecrets() {
    runner.run(
        context -> {
          Health amqp = context.getBean("ha4jAmqpHealthIndicator", HealthIndicator.class).health();
          assertThat(amqp.getStatus()).isEqualTo(Status.UNKNOWN);
          assertThat(amqp.getDetails())
              .containsEntry("state", "IDLE")
              .containsKey("hosts")
              .doesNotContainKey("host");
          assertThat(amqp.toString()).doesNotContain("Secret5");
          Health galera =
              context.getBean("ha4jGaleraHealthIndicator", HealthIndicator.class).health();
          assertThat(galera.getStatus()).isEqualTo(Status.UNKNOWN);
          assertThat(galera.getDetails()).containsEntry("started", false);
        });
  }

  @Test
  void ha4jsOwnConnectionsAreListedOnceOpenedAndAClosedOneIsDown() {
    runner.run(
        context -> {
          HealthIndicator amqp = context.getBean("ha4jAmqpHealthIndicator", HealthIndicator.class);
          // the lazy ha4jConnection bean is not opened by a health check
          assertThat(amqp.health().getDetails()).doesNotContainKey("connections");
          assertThat(context.getBeanFactory().containsSingleton("ha4jConnection")).isFalse();
          FakeConnection c = new FakeConnection();
          context.getBeanFactory().registerSingleton("ordersConnection", c);
          Health open = amqp.health();
          assertThat(open.getDetails().get("connections"))
              .isEqualTo(
                  java.util.Map.of(
                      "ordersConnection", java.util.Map.of("state", "OPEN", "host", "r1:5672")));
          c.state = io.ha4j.amqp.State.CLOSED;
          assertThat(amqp.health().getStatus()).isEqualTo(Status.DOWN);
        });
  }

  /** An HaConnection that only reports a state. */
  static final class FakeConnection implements io.ha4j.amqp.HaConnection {
    volatile io.ha4j.amqp.State state = io.ha4j.amqp.State.OPEN;

    @Override
    public io.ha4j.amqp.State state() {
      return state;
    }

    @Override
    public java.util.Optional<String> currentHost() {
      return state == io.ha4j.amqp.State.OPEN
          ? java.util.Optional.of("r1:5672")
          : java.util.Optional.empty();
    }

    @Override
    public void declare(io.ha4j.amqp.ExchangeSpec exchange) {}

    @Override
    public void declare(io.ha4j.amqp.QueueSpec queue) {}

    @Override
    public void bind(io.ha4j.amqp.Binding binding) {}

    @Override
    public io.ha4j.amqp.HaPublisher publisher(io.ha4j.amqp.PublisherOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public io.ha4j.amqp.HaConsumer consume(String queue, io.ha4j.amqp.DeliveryHandler handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
      state = io.ha4j.amqp.State.CLOSED;
    }
  }

  @Test
  void eachContributorCanBeSwitchedOffAsBootsOwn() {
    runner
        .withPropertyValues(
            "management.health.ha4j-amqp.enabled=false",
            "management.health.ha4j-galera.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean("ha4jAmqpHealthIndicator");
              assertThat(context).doesNotHaveBean("ha4jGaleraHealthIndicator");
            });
  }

  @Test
  void noContributorsWithoutBootsHealthModule() {
    runner
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(context -> assertThat(context).doesNotHaveBean(Ha4jAmqpHealthIndicator.class));
  }

  @Test
  void noGaleraContributorWithoutADatabase() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                Ha4jAutoConfiguration.class,
                Ha4jRabbitAutoConfiguration.class,
                RabbitAutoConfiguration.class,
                Ha4jJdbcAutoConfiguration.class,
                Ha4jHealthContributorAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasBean("ha4jAmqpHealthIndicator");
              assertThat(context).doesNotHaveBean("ha4jGaleraHealthIndicator");
            });
  }

  @Test
  void metersAreRegisteredWhenAMeterRegistryBeanExists() {
    runner
        .withUserConfiguration(Registry.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(MicrometerAmqpMetrics.class);
              assertThat(context).hasSingleBean(MicrometerGaleraMetrics.class);
              MeterRegistry r = context.getBean(MeterRegistry.class);
              assertThat(r.find("ha4j.amqp.give.ups").tag("connection", "spring").counter())
                  .isNotNull();
              assertThat(r.find("ha4j.db.writer.switch").tag("datasource", "galera").timer())
                  .isNotNull();
              context.getBean("ha4jRabbitClientMetrics", MeterBinder.class).bindTo(r);
              assertThat(
                      r.find("rabbitmq.connections").tag("name", "rabbitConnectionFactory").meter())
                  .isNotNull();
            });
  }

  @Test
  void galeraHealthAndMetersWorkWithoutSpringAmqp() {
    runner
        .withUserConfiguration(Registry.class)
        .withClassLoader(
            new FilteredClassLoader(org.springframework.amqp.rabbit.core.RabbitTemplate.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(MicrometerGaleraMetrics.class);
              assertThat(context).hasBean("ha4jGaleraHealthIndicator");
              assertThat(context).doesNotHaveBean("ha4jAmqpHealthIndicator");
              assertThat(context).doesNotHaveBean("ha4jRabbitClientMetrics");
            });
  }

  @Test
  void noMetersWithoutAMeterRegistryBean() {
    runner.run(context -> assertThat(context).doesNotHaveBean(MicrometerAmqpMetrics.class));
  }

  @Test
  void noMetersWithoutMicrometer() {
    runner
        .withUserConfiguration(Registry.class)
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(context -> assertThat(context).doesNotHaveBean(MicrometerAmqpMetrics.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }
}

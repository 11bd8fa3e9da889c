package io.ha4j.spring.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.config.HaConfig;
import io.ha4j.spring.Ha4jAutoConfiguration;
import io.ha4j.spring.Ha4jConfigFailureAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

class Ha4jRabbitAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  Ha4jAutoConfiguration.class,
                  Ha4jRabbitAutoConfiguration.class,
                  RabbitAutoConfiguration.class));

  @Test
  void springAmqpConnectsThroughHa4jWithConfirmsReturnsAndOsloClientSettings() {
    runner
        .withPropertyValues(
            "ha4j.amqp.transport-url=rabbit://app:pw@r1:5672,app:pw@r2:5673/nova",
            "ha4j.amqp.heartbeat-timeout-threshold=30",
            "ha4j.amqp.connect-timeout=2")
        .run(
            context -> {
              ConnectionFactory cf = context.getBean(ConnectionFactory.class);
              assertThat(cf).isInstanceOf(Ha4jRabbitConnectionFactory.class);
              Ha4jRabbitConnectionFactory ha = (Ha4jRabbitConnectionFactory) cf;
              assertThat(ha.getHosts())
                  .extracting(h -> h.hostAndPort())
                  .containsExactlyInAnyOrder("r1:5672", "r2:5673");
              assertThat(ha.getState()).isEqualTo(Ha4jRabbitConnectionFactory.State.IDLE);
              CachingConnectionFactory caching = ha.getTargetConnectionFactory();
              assertThat(caching.isPublisherConfirms()).isTrue();
              assertThat(caching.isPublisherReturns()).isTrue();
              assertThat(caching.getVirtualHost()).isEqualTo("nova");
              com.rabbitmq.client.ConnectionFactory rabbit = caching.getRabbitConnectionFactory();
              assertThat(rabbit.getRequestedHeartbeat()).isEqualTo(13); // 30 s * 4 / 9
              assertThat(rabbit.getConnectionTimeout()).isEqualTo(2000);
              assertThat(rabbit.isAutomaticRecoveryEnabled()).isFalse();
              RabbitTemplate template = context.getBean(RabbitTemplate.class);
              assertThat(template.getConnectionFactory()).isSameAs(cf);
              assertThat(template.isMandatoryFor(new Message(new byte[0]))).isTrue();
              assertThat(context).hasSingleBean(HaConnectionFactory.class);
            });
  }

  @Test
  void osloSslWithoutFilesUsesTheJvmsTrustStore() {
    runner
        .withPropertyValues("ha4j.amqp.ssl=true", "ha4j.amqp.transport-url=rabbit://u:p@r1:5671/")
        .run(
            context ->
                assertThat(
                        ((Ha4jRabbitConnectionFactory) context.getBean(ConnectionFactory.class))
                            .getTargetConnectionFactory()
                            .getRabbitConnectionFactory()
                            .isSSL())
                    .isTrue());
  }

  @Test
  void anUnreadableSslCaFileFailsStartUpNamingTheOption(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    runner
        .withPropertyValues("ha4j.amqp.ssl=true", "ha4j.amqp.ssl-ca-file=" + ca)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(new Ha4jConfigFailureAnalyzer().analyze(context.getStartupFailure()))
                  .satisfies(a -> assertThat(a.getDescription()).contains("ssl_ca_file"));
            });
  }

  @Test
  void ha4jsOwnConnectionAndPublisherAreLazyBeans() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(HaConnectionFactory.class);
          assertThat(context.getBeanFactory().getBeanDefinition("ha4jConnection").isLazyInit())
              .isTrue();
          assertThat(context.getBeanFactory().getBeanDefinition("ha4jPublisher").isLazyInit())
              .isTrue();
          assertThat(context.getBeanFactory().containsSingleton("ha4jConnection")).isFalse();
        });
  }

  @Test
  void theApplicationsOwnHaConnectionFactoryWins() {
    runner
        .withBean(
            "myFactory",
            HaConnectionFactory.class,
            () -> HaConnectionFactory.builder().connectionName("mine").build())
        .run(
            context ->
                assertThat(context.getBean(HaConnectionFactory.class).toString()).contains("mine"));
  }

  @Test
  void anExplicitTemplateMandatoryPropertyIsKept() {
    runner
        .withPropertyValues("spring.rabbitmq.template.mandatory=false")
        .run(
            context ->
                assertThat(
                        context
                            .getBean(RabbitTemplate.class)
                            .isMandatoryFor(new Message(new byte[0])))
                    .isFalse());
  }

  @Test
  void connectionFactoryCustomizersOfTheApplicationApplyLast() {
    runner
        .withUserConfiguration(Customizer.class)
        .run(
            context ->
                assertThat(
                        ((Ha4jRabbitConnectionFactory) context.getBean(ConnectionFactory.class))
                            .getTargetConnectionFactory()
                            .getRabbitConnectionFactory()
                            .getRequestedChannelMax())
                    .isEqualTo(17));
  }

  @Test
  void theApplicationsOwnConnectionFactoryWins() {
    runner
        .withUserConfiguration(OwnConnectionFactory.class)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(Ha4jRabbitConnectionFactory.class);
              assertThat(context.getBean(ConnectionFactory.class))
                  .isInstanceOf(CachingConnectionFactory.class);
            });
  }

  @Test
  void bootsOwnFactoryStaysWhenHa4jRabbitIsDisabled() {
    runner
        .withPropertyValues("ha4j.rabbit.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(Ha4jRabbitConnectionFactory.class);
              assertThat(context).hasSingleBean(HaConfig.class);
              assertThat(context.getBean(ConnectionFactory.class))
                  .isInstanceOf(CachingConnectionFactory.class);
            });
  }

  @Test
  void nothingOfHa4jWhenDisabled() {
    runner
        .withPropertyValues("ha4j.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(Ha4jRabbitConnectionFactory.class);
              assertThat(context).doesNotHaveBean(HaConnectionFactory.class);
              assertThat(context).doesNotHaveBean(HaConfig.class);
            });
  }

  @Test
  void backsOffWithoutSpringAmqp() {
    runner
        .withClassLoader(new FilteredClassLoader(RabbitTemplate.class))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(Ha4jRabbitConnectionFactory.class);
              assertThat(context).hasSingleBean(HaConfig.class);
            });
  }

  @Test
  void listenerContainersRecoverOnTheConnectSchedule() {
    runner
        .withPropertyValues("ha4j.amqp.rabbit-retry-interval=2", "ha4j.amqp.rabbit-retry-backoff=3")
        .run(
            context -> {
              SimpleRabbitListenerContainerFactory f =
                  context.getBean(SimpleRabbitListenerContainerFactory.class);
              Object backOff = ReflectionTestUtils.getField(f, "recoveryBackOff");
              assertThat(backOff).isInstanceOf(ConnectScheduleBackOff.class);
              var execution = ((ConnectScheduleBackOff) backOff).start();
              assertThat(execution.nextBackOff()).isEqualTo(2000);
              assertThat(execution.nextBackOff()).isEqualTo(5000);
              SimpleMessageListenerContainer container = f.createListenerContainer();
              assertThat(ReflectionTestUtils.getField(container, "recoveryBackOff"))
                  .isSameAs(backOff);
            });
  }

  @Test
  void listenerBackOffCanBeSwitchedOff() {
    runner
        .withPropertyValues("ha4j.rabbit.listener-back-off=false")
        .run(
            context ->
                assertThat(
                        ReflectionTestUtils.getField(
                            context.getBean(SimpleRabbitListenerContainerFactory.class),
                            "recoveryBackOff"))
                    .isNull());
  }

  @Test
  void queueBeansGetOsloDeclarationOptionsUnlessTheySetTheirOwn() {
    runner
        .withPropertyValues(
            "ha4j.amqp.rabbit-quorum-queue=true", "ha4j.amqp.rabbit-quorum-delivery-limit=5")
        .withUserConfiguration(Queues.class)
        .run(
            context -> {
              Queue orders = context.getBean("orders", Queue.class);
              assertThat(orders.isDurable()).isTrue();
              assertThat(orders.getArguments())
                  .containsEntry("x-queue-type", "quorum")
                  .containsEntry("x-delivery-limit", 5);
              Queue own = context.getBean("classic", Queue.class);
              assertThat(own.getArguments()).isEqualTo(Map.of("x-queue-type", "classic"));
              Queue nonDurable = context.getBean("nonDurable", Queue.class);
              assertThat(nonDurable.isDurable()).isTrue();
              assertThat(nonDurable.getArguments()).containsEntry("x-queue-type", "quorum");
              Queue anonymous = context.getBean("replies", Queue.class);
              assertThat(anonymous.getArguments())
                  .containsEntry("x-expires", 1_800_000)
                  .doesNotContainKey("x-queue-type");
            });
  }

  @Test
  void haQueuesGiveTheHaPolicyArgument() {
    runner
        .withPropertyValues("ha4j.amqp.rabbit-ha-queues=true")
        .withUserConfiguration(Queues.class)
        .run(
            context ->
                assertThat(context.getBean("orders", Queue.class).getArguments())
                    .containsEntry("x-ha-policy", "all"));
  }

  @Test
  void queueBeansAreLeftAloneWhenOsloQueueArgumentsAreOff() {
    runner
        .withPropertyValues(
            "ha4j.amqp.rabbit-quorum-queue=true", "ha4j.rabbit.oslo-queue-arguments=false")
        .withUserConfiguration(Queues.class)
        .run(
            context -> {
              assertThat(context.getBean("orders", Queue.class).getArguments()).isEmpty();
              assertThat(context.getBean("replies", Queue.class).getArguments())
                  .doesNotContainKey("x-expires");
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class Customizer {
    @Bean
    ConnectionFactoryCustomizer channelMax() {
      return f -> f.setRequestedChannelMax(17);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnConnectionFactory {
    @Bean
    CachingConnectionFactory myConnectionFactory() {
      return new CachingConnectionFactory("elsewhere");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Queues {
    @Bean
    Queue orders() {
      return new Queue("orders");
    }

    @Bean
    Queue classic() {
      return QueueBuilder.durable("classic").classic().build();
    }

    @Bean
    Queue nonDurable() {
      return QueueBuilder.nonDurable("transient-ish").build();
    }

    @Bean
    Queue replies() {
      return new AnonymousQueue();
    }
  }
}

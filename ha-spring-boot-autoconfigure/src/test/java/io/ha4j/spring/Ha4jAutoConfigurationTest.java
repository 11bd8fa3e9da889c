package io.ha4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class Ha4jAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(Ha4jAutoConfiguration.class));

  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void withoutOsloFilesOrSpringPropertiesConnectsToLocalhostWithOsloDefaults() {
    runner.run(
        context -> {
          AmqpSettings amqp = context.getBean(HaConfig.class).amqp();
          assertThat(amqp.hosts()).containsExactly(AmqpHost.of("localhost", 5672));
          assertThat(amqp.retry().interval()).isEqualTo(Duration.ofSeconds(1));
          assertThat(context.getBean(HaConfig.class).galera()).isEmpty();
        });
  }

  @Test
  void readsTheOsloFilesAndSpringPropertiesWinOverThem() throws IOException {
    Path conf =
        file(
            "app.conf",
            """
            [DEFAULT]
            transport_url = rabbit://nova:secret@r1:5672,nova:secret@r2:5673/nova
            [oslo_messaging_rabbit]
            rabbit_retry_interval = 3
            rabbit_retry_backoff = 4
            [database]
            connection = mysql+pymysql://nova:dbpw@g1,g2:3307/nova
            max_pool_size = 7
            """);
    runner
        .withPropertyValues(
            "ha4j.config-files=" + conf,
            "ha4j.amqp.rabbit-retry-interval=7",
            "ha4j.database.max_pool_size=9",
            "ha4j.galera.check-interval=2")
        .run(
            context -> {
              HaConfig config = context.getBean(HaConfig.class);
              AmqpSettings amqp = config.amqp();
              assertThat(amqp.hosts())
                  .extracting(AmqpHost::hostAndPort)
                  .containsExactly("r1:5672", "r2:5673");
              assertThat(amqp.virtualHost()).isEqualTo("nova");
              assertThat(amqp.retry().interval()).isEqualTo(Duration.ofSeconds(7));
              assertThat(amqp.retry().backoff()).isEqualTo(Duration.ofSeconds(4));
              GaleraSettings galera = config.galera().orElseThrow();
              assertThat(galera.nodes()).hasSize(2);
              assertThat(galera.maxPoolSize()).isEqualTo(9);
              assertThat(galera.checkInterval()).isEqualTo(Duration.ofSeconds(2));
              assertThat(config.value("oslo_messaging_rabbit", "rabbit_retry_interval"))
                  .get()
                  .extracting(v -> v.source())
                  .asString()
                  .startsWith("property:")
                  .doesNotContain("app.conf");
            });
  }

  @Test
  void environmentVariablesSetOsloOptionsAsSpringProperties() {
    runner
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of(
                                "HA4J_AMQP_RABBIT_RETRY_INTERVAL", "4",
                                "HA4J_GALERA_NODES", "g1:3306,g2:3306",
                                "HA4J_DATABASE_CONNECTION", "mysql://u:p@g1/db"))))
        .run(
            context -> {
              HaConfig config = context.getBean(HaConfig.class);
              assertThat(config.amqp().retry().interval()).isEqualTo(Duration.ofSeconds(4));
              assertThat(config.galera().orElseThrow().nodes()).hasSize(2);
            });
  }

  @Test
  void readsTheConfigDirInNameOrderAfterTheFiles() throws IOException {
    Path confDir = Files.createDirectory(dir.resolve("conf.d"));
    Files.writeString(
        confDir.resolve("10-a.conf"), "[oslo_messaging_rabbit]\nrabbit_retry_interval = 5\n");
    Files.writeString(
        confDir.resolve("20-b.conf"), "[oslo_messaging_rabbit]\nrabbit_retry_interval = 6\n");
    runner
        .withPropertyValues("ha4j.config-dir=" + confDir)
        .run(
            context ->
                assertThat(context.getBean(HaConfig.class).amqp().retry().interval())
                    .isEqualTo(Duration.ofSeconds(6)));
  }

  @Test
  void withoutOsloFilesSpringRabbitmqPropertiesAreTheSource() {
    runner
        .withPropertyValues(
            "spring.rabbitmq.addresses=a:5672,b:5673",
            "spring.rabbitmq.username=app",
            "spring.rabbitmq.password=p@ss/w:rd",
            "spring.rabbitmq.virtual-host=nova")
        .run(
            context -> {
              AmqpSettings amqp = context.getBean(HaConfig.class).amqp();
              assertThat(amqp.hosts())
                  .containsExactly(
                      new AmqpHost("a", 5672, "app", "p@ss/w:rd"),
                      new AmqpHost("b", 5673, "app", "p@ss/w:rd"));
              assertThat(amqp.virtualHost()).isEqualTo("nova");
            });
  }

  @Test
  void springRabbitmqHostAndPortAreTheSourceWithoutAddresses() {
    runner
        .withPropertyValues("spring.rabbitmq.host=r9", "spring.rabbitmq.port=5999")
        .run(
            context ->
                assertThat(context.getBean(HaConfig.class).amqp().hosts())
                    .containsExactly(new AmqpHost("r9", 5999, "guest", "guest")));
  }

  @Test
  void springRabbitmqPropertiesAreIgnoredWhenAnOsloFileIsGiven() throws IOException {
    Path conf = file("app.conf", "[DEFAULT]\ntransport_url = rabbit://u:p@fromfile:5672/\n");
    runner
        .withPropertyValues("ha4j.config-files=" + conf, "spring.rabbitmq.addresses=other:5672")
        .run(
            context ->
                assertThat(context.getBean(HaConfig.class).amqp().hosts())
                    .extracting(AmqpHost::host)
                    .containsExactly("fromfile"));
  }

  @Test
  void withoutOsloFilesAMultiHostMariadbDatasourceUrlIsTheGaleraSource() {
    runner
        .withPropertyValues(
            "spring.datasource.url=jdbc:mariadb://db1:3306,db2:3307,db3/orders",
            "spring.datasource.username=app",
            "spring.datasource.password=s3cret",
            "spring.datasource.hikari.minimum-idle=4",
            "spring.datasource.hikari.maximum-pool-size=12",
            "spring.datasource.hikari.connection-timeout=5000",
            "spring.datasource.hikari.max-lifetime=600000")
        .run(
            context -> {
              GaleraSettings g = context.getBean(HaConfig.class).galera().orElseThrow();
              assertThat(g.nodes())
                  .extracting(n -> n.hostAndPort())
                  .containsExactly("db1:3306", "db2:3307", "db3:3306");
              assertThat(g.database()).isEqualTo("orders");
              assertThat(g.username()).isEqualTo("app");
              assertThat(g.password()).isEqualTo("s3cret");
              assertThat(g.maxPoolSize()).isEqualTo(4);
              assertThat(g.maxOverflow()).isEqualTo(8);
              assertThat(g.poolTimeout()).isEqualTo(Duration.ofSeconds(5));
              assertThat(g.connectionRecycleTime()).isEqualTo(Duration.ofSeconds(600));
            });
  }

  @Test
  void aDatasourceUrlOfAnotherDatabaseIsNotGalera() {
    runner
        .withPropertyValues("spring.datasource.url=jdbc:postgresql://pg1/app")
        .run(context -> assertThat(context.getBean(HaConfig.class).galera()).isEmpty());
  }

  @Test
  void disabledWithHa4jEnabledFalse() {
    runner
        .withPropertyValues("ha4j.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(HaConfig.class));
  }

  @Test
  void theApplicationsOwnHaConfigWins() {
    runner
        .withUserConfiguration(OwnConfig.class)
        .withPropertyValues("ha4j.amqp.rabbit-retry-interval=7")
        .run(
            context -> {
              assertThat(context).hasSingleBean(HaConfig.class);
              assertThat(context.getBean(HaConfig.class).amqp().retry().interval())
                  .isEqualTo(Duration.ofSeconds(9));
            });
  }

  @Test
  void aBadSpringPropertyFailsStartUpNamingOptionPropertyAndExpectationButNoSecret() {
    runner
        .withPropertyValues(
            "ha4j.amqp.transport-url=rabbit://app:TopSecret1@r1:5672/",
            "ha4j.amqp.rabbit-retry-interval=soon")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new Ha4jConfigFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .contains("rabbit_retry_interval")
                  .contains("= 'soon'")
                  .contains("property ha4j.amqp.rabbit-retry-interval")
                  .contains("expected: ")
                  .doesNotContain("TopSecret1");
              assertThat(analysis.getAction()).contains("ha4j.config-files");
            });
  }

  @Test
  void aTypoInAnOsloFileFailsStartUpByDefaultAndOnlyWarnsWithStrictFalse() throws IOException {
    Path conf = file("typo.conf", "[oslo_messaging_rabbit]\nrabbit_quorum_queu = true\n");

    runner
        .withPropertyValues("ha4j.config-files=" + conf)
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new Ha4jConfigFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .contains("rabbit_quorum_queu")
                  .contains("rabbit_quorum_queue");
            });
    runner
        .withPropertyValues("ha4j.config-files=" + conf, "ha4j.strict=false")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(HaConfig.class));
  }

  @Test
  void aBadOsloFileFailsStartUpNamingFileAndLine() throws IOException {
    Path conf =
        file(
            "bad.conf",
            """
            [DEFAULT]
            transport_url = rabbit://app:TopSecret2@r1:5672/
            [oslo_messaging_rabbit]
            rabbit_quorum_queue = true
            rabbit_ha_queues = maybe
            """);
    runner
        .withPropertyValues("ha4j.config-files=" + conf)
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new Ha4jConfigFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains(conf + ":5")
                  .contains("rabbit_ha_queues")
                  .doesNotContain("TopSecret2");
            });
  }

  @Test
  void aBadSpringRabbitmqAddressIsReportedAtThatPropertyWithoutThePassword() {
    runner
        .withPropertyValues(
            "spring.rabbitmq.addresses=r1:notaport", "spring.rabbitmq.password=TopSecret3")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new Ha4jConfigFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("property spring.rabbitmq.addresses")
                  .contains("transport_url")
                  .doesNotContain("TopSecret3");
            });
  }

  @Test
  void aMissingConfigFileFailsStartUp() {
    runner
        .withPropertyValues("ha4j.config-files=" + dir.resolve("missing.conf"))
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(new Ha4jConfigFailureAnalyzer().analyze(context.getStartupFailure()))
                  .extracting(FailureAnalysis::getDescription)
                  .asString()
                  .contains("missing.conf")
                  .contains("not found");
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnConfig {
    @Bean
    HaConfig ownHaConfig() {
      return HaConfig.loader().set("oslo_messaging_rabbit", "rabbit_retry_interval", "9").load();
    }
  }
}

package io.ha4j.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.spring.Ha4jAutoConfiguration;
import io.ha4j.spring.Ha4jConfigFailureAnalyzer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Wiring only: the Galera data source starts (connects) on first use, which these never make. */
class Ha4jJdbcAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  Ha4jAutoConfiguration.class,
                  Ha4jJdbcAutoConfiguration.class,
                  DataSourceAutoConfiguration.class,
                  DataSourceTransactionManagerAutoConfiguration.class,
                  JdbcTemplateAutoConfiguration.class));

  @Test
  void galeraDataSourceIsTheApplicationsDataSourceWhenADatabaseIsConfigured() {
    runner
        .withPropertyValues(
            "ha4j.database.connection=mysql+pymysql://app:pw@127.0.0.1:1,127.0.0.2:1/orders")
        .run(
            context -> {
              assertThat(context).hasSingleBean(DataSource.class);
              LazyGaleraDataSource ds = context.getBean(LazyGaleraDataSource.class);
              assertThat(ds.isStarted()).isFalse();
              assertThat(ds.getSettings().nodes()).hasSize(2);
              assertThat(ds.isWrapperFor(GaleraDataSource.class)).isTrue();
              assertThat(context.getBean(JdbcTemplate.class).getDataSource()).isSameAs(ds);
              assertThat(context.getBean(DataSourceTransactionManager.class).getDataSource())
                  .isSameAs(ds);
              assertThat(context).hasSingleBean(GaleraTransactionTemplate.class);
            });
  }

  @Test
  void aMultiHostMariadbDatasourceUrlSwitchesAnExistingAppToGalera() {
    runner
        .withPropertyValues(
            "spring.datasource.url=jdbc:mariadb://127.0.0.1:1,127.0.0.2:1/orders",
            "spring.datasource.username=app",
            "spring.datasource.password=pw",
            "ha4j.datasource.name=orders-db")
        .run(
            context -> {
              LazyGaleraDataSource ds = context.getBean(LazyGaleraDataSource.class);
              assertThat(ds.getSettings().database()).isEqualTo("orders");
              assertThat(ds.toString()).contains("orders-db").doesNotContain("pw");
            });
  }

  @Test
  void galeraNodesAloneConfigureTheDatabase() {
    runner
        .withPropertyValues(
            "ha4j.galera.nodes=127.0.0.1:1,127.0.0.2:1",
            "ha4j.database.connection=mysql://u:p@x/db")
        .run(context -> assertThat(context).hasSingleBean(LazyGaleraDataSource.class));
  }

  @Test
  void noGaleraDataSourceWithoutADatabase() {
    runner
        .withUserConfiguration(OwnDataSource.class)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(LazyGaleraDataSource.class);
              assertThat(context).doesNotHaveBean(GaleraTransactionTemplate.class);
            });
  }

  @Test
  void theApplicationsOwnDataSourceWins() {
    runner
        .withUserConfiguration(OwnDataSource.class)
        .withPropertyValues("ha4j.database.connection=mysql+pymysql://app:pw@127.0.0.1:1/orders")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(LazyGaleraDataSource.class);
              assertThat(context.getBean(DataSource.class))
                  .isInstanceOf(SimpleDriverDataSource.class);
            });
  }

  @Test
  void switchedOffByProperty() {
    runner
        .withUserConfiguration(OwnDataSource.class)
        .withPropertyValues(
            "ha4j.datasource.enabled=false",
            "ha4j.database.connection=mysql+pymysql://app:pw@127.0.0.1:1/orders")
        .run(context -> assertThat(context).doesNotHaveBean(LazyGaleraDataSource.class));
  }

  @Test
  void switchedOffWithHa4j() {
    runner
        .withUserConfiguration(OwnDataSource.class)
        .withPropertyValues(
            "ha4j.enabled=false", "ha4j.database.connection=mysql+pymysql://app:pw@127.0.0.1:1/o")
        .run(context -> assertThat(context).doesNotHaveBean(LazyGaleraDataSource.class));
  }

  @Test
  void backsOffWithoutSpringJdbc() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(Ha4jAutoConfiguration.class, Ha4jJdbcAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
        .withPropertyValues("ha4j.database.connection=mysql+pymysql://app:pw@127.0.0.1:1/o")
        .run(context -> assertThat(context).doesNotHaveBean(LazyGaleraDataSource.class));
  }

  @Test
  void anInvalidDatabaseOptionFailsStartUpWithoutThePassword() {
    runner
        .withPropertyValues(
            "ha4j.database.connection=mysql+pymysql://app:Hidden77@127.0.0.1:1/orders",
            "ha4j.galera.fall-count=many")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(new Ha4jConfigFailureAnalyzer().analyze(context.getStartupFailure()))
                  .satisfies(
                      a ->
                          assertThat(a.getDescription())
                              .contains("fall_count")
                              .contains("property ha4j.galera.fall-count")
                              .doesNotContain("Hidden77"));
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnDataSource {
    @Bean
    DataSource myDataSource() {
      return new SimpleDriverDataSource();
    }
  }
}

package io.ha4j.spring.jdbc;

import io.ha4j.config.ConfigException;
import io.ha4j.config.HaConfig;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.jdbc.GaleraListener;
import io.ha4j.spring.Ha4jAutoConfiguration;
import io.ha4j.spring.Ha4jProperties;
import io.ha4j.spring.SpringHaConfig;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Galera {@link DataSource}, before Boot's {@link DataSourceAutoConfiguration} (whose pool then
 * backs off): a {@link LazyGaleraDataSource} when a database is configured ({@code [database]
 * connection} or {@code [galera] nodes} in the oslo files or {@code ha4j.database.*} / {@code
 * ha4j.galera.*}, or a MariaDB/MySQL {@code spring.datasource.url} with no oslo file), and a {@link
 * GaleraTransactionTemplate} for units of work with oslo.db's retry. Off with {@code
 * ha4j.enabled=false} or {@code ha4j.datasource.enabled=false}; an application's own {@code
 * DataSource} wins.
 *
 * @since 0.1
 */
@AutoConfiguration(after = Ha4jAutoConfiguration.class, before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({GaleraDataSource.class, JdbcTemplate.class, DataSourceAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "ha4j.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "ha4j.datasource.enabled", matchIfMissing = true)
@Conditional(Ha4jJdbcAutoConfiguration.OnGaleraConfigured.class)
public class Ha4jJdbcAutoConfiguration {

  /** Creates the auto-configuration (instantiated by Spring). */
  public Ha4jJdbcAutoConfiguration() {}

  /**
   * The application's data source, started on first use.
   *
   * @param config the ha4j configuration
   * @param properties the ha4j properties
   * @param listeners listeners of writer changes, node states and retries (metrics among them)
   * @return the data source, closed with the context
   */
  @Bean
  @ConditionalOnMissingBean(DataSource.class)
  public LazyGaleraDataSource dataSource(
      HaConfig config, Ha4jProperties properties, ObjectProvider<GaleraListener> listeners) {
    return new LazyGaleraDataSource(
        config
            .galera()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "[database] connection", "no database configured for ha4j")),
        properties.getDatasource().getName(),
        properties.getDatasource().isRetryLockWaitTimeout(),
        () -> listeners.orderedStream().toList());
  }

  /**
   * Units of work with oslo.db's retry on the Galera data source.
   *
   * @param dataSource the data source
   * @return the template
   */
  @Bean
  @ConditionalOnBean(LazyGaleraDataSource.class)
  @ConditionalOnMissingBean
  public GaleraTransactionTemplate galeraTransactionTemplate(LazyGaleraDataSource dataSource) {
    return new GaleraTransactionTemplate(dataSource);
  }

  /** Matches when the environment configures a Galera cluster for ha4j. */
  static final class OnGaleraConfigured implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return SpringHaConfig.galeraConfigured(context.getEnvironment());
    }
  }
}

package io.ha4j.spring;

import io.ha4j.config.HaConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The effective ha4j configuration as a {@link HaConfig} bean, read by {@link SpringHaConfig}. Off
 * with {@code ha4j.enabled=false}; a {@code HaConfig} bean of the application's own wins.
 *
 * @since 0.1
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "ha4j.enabled", matchIfMissing = true)
@EnableConfigurationProperties(Ha4jProperties.class)
public class Ha4jAutoConfiguration {

  /** Creates the auto-configuration (instantiated by Spring). */
  public Ha4jAutoConfiguration() {}

  /**
   * The configuration read from the oslo files and the Spring properties.
   *
   * @param environment the application's environment
   * @return the effective configuration
   */
  @Bean
  @ConditionalOnMissingBean
  public HaConfig ha4jConfig(Environment environment) {
    return SpringHaConfig.load(environment);
  }
}

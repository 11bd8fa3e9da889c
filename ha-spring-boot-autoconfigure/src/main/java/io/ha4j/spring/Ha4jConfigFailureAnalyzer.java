package io.ha4j.spring;

import io.ha4j.config.ConfigException;
import io.ha4j.config.ConfigProblem;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid ha4j configuration into Boot's "APPLICATION FAILED TO START" report: for each
 * error the option, where it was set (oslo file and line, or Spring property and its origin) and
 * what is expected. Values of secrets are masked by ha4j before they reach the problems.
 *
 * @since 0.1
 */
public class Ha4jConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

  /** Creates the analyzer (instantiated by Spring Boot from {@code spring.factories}). */
  public Ha4jConfigFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    StringBuilder d = new StringBuilder("ha4j's configuration is invalid:\n");
    for (ConfigProblem p : cause.errors()) {
      d.append('\n');
      if (!p.key().isEmpty()) {
        d.append("    option:   ");
        if (!p.section().isEmpty()) {
          d.append('[').append(p.section()).append("] ");
        }
        d.append(p.key());
        if (!p.value().isEmpty()) {
          d.append(" = '").append(p.value()).append('\'');
        }
        d.append('\n');
      }
      d.append("    source:   ").append(p.location()).append('\n');
      d.append("    expected: ").append(p.message()).append('\n');
    }
    String action =
        "Correct the options above where they are set. Spring properties ha4j.amqp.*, "
            + "ha4j.database.* and ha4j.galera.* (oslo option names) override the files of "
            + "ha4j.config-files and ha4j.config-dir; with neither, spring.rabbitmq.* and "
            + "spring.datasource.url are read. ha4j.enabled=false switches ha4j off.";
    return new FailureAnalysis(d.toString(), action, cause);
  }
}

package io.ha4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.ConfigValue;
import io.ha4j.config.HaConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetadataTest {

  /** Deprecated spellings ha4j still reads, left out of the IDE's suggestions on purpose. */
  private static final Set<String> LEGACY =
      Set.of(
          "rabbit_hosts", "rabbit_host", "rabbit_userid", "rabbit_password", "rabbit_virtual_host");

  private static final Map<String, String> PREFIX =
      Map.of(
          "DEFAULT", "ha4j.amqp.",
          "oslo_messaging_rabbit", "ha4j.amqp.",
          "ha4j_amqp", "ha4j.amqp.",
          "database", "ha4j.database.",
          "galera", "ha4j.galera.",
          "ha4j", "ha4j.");

  private static String resource(String name) throws IOException {
    try (InputStream in = MetadataTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyOsloOptionHasIdeMetadataUnderItsSpringPrefix() throws IOException {
    String json = resource("META-INF/spring-configuration-metadata.json");
    Set<String> names = new HashSet<>();
    Matcher m = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    while (m.find()) {
      names.add(m.group(1));
    }
    for (ConfigValue v : HaConfig.loader().load().values()) {
      if (LEGACY.contains(v.name())) {
        continue;
      }
      assertThat(names)
          .as("metadata of [%s] %s", v.section(), v.name())
          .contains(PREFIX.get(v.section()) + v.name().replace('_', '-'));
    }
    assertThat(names)
        .contains(
            "ha4j.enabled",
            "ha4j.config-files",
            "ha4j.config-dir",
            "ha4j.rabbit.oslo-queue-arguments",
            "ha4j.datasource.enabled");
  }

  @Test
  void autoConfigurationsAndTheFailureAnalyzerAreRegistered() throws IOException {
    List<String> imports =
        resource("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")
            .lines()
            .toList();
    assertThat(imports)
        .containsExactly(
            "io.ha4j.spring.Ha4jAutoConfiguration",
            "io.ha4j.spring.amqp.Ha4jRabbitAutoConfiguration",
            "io.ha4j.spring.jdbc.Ha4jJdbcAutoConfiguration",
            "io.ha4j.spring.actuate.Ha4jHealthContributorAutoConfiguration",
            "io.ha4j.spring.actuate.Ha4jMetricsAutoConfiguration");
    assertThat(resource("META-INF/spring.factories"))
        .contains("org.springframework.boot.diagnostics.FailureAnalyzer")
        .contains(Ha4jConfigFailureAnalyzer.class.getName());
  }
}

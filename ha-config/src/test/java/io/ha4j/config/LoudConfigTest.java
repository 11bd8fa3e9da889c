package io.ha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration mistakes are loud: warnings are logged at WARN by {@link HaConfig.Loader#load()},
 * strict mode turns unknown options into errors, and a {@link ConfigException} carries the warnings
 * that explain its errors. slf4j-simple writes to {@code System.err} in this module's tests, so the
 * log is what that stream receives.
 */
class LoudConfigTest {

  @TempDir Path dir;

  private Path file(String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  /** What the logger printed while {@code action} ran, one entry per line. */
  private static <T> Logged<T> logged(Supplier<T> action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      T result = action.get();
      return new Logged<>(result, lines(captured));
    } finally {
      System.setErr(original);
    }
  }

  private static List<String> lines(ByteArrayOutputStream captured) {
    return Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(l -> !l.isBlank())
        .toList();
  }

  private record Logged<T>(T result, List<String> lines) {}

  @Test
  void aTypoedOptionIsOneWarnLineWithFileLineAndTheHint() throws IOException {
    Path f =
        file(
            "svc.conf",
            "[DEFAULT]",
            "transport_url = rabbit://u:Secret9@h1/",
            "[oslo_messaging_rabbit]",
            "rabbit_quorum_queu = true");

    Logged<HaConfig> run = logged(() -> HaConfig.loader().configFile(f).load());

    assertThat(run.lines())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains("WARN")
                    .contains(f + ":4")
                    .contains("[oslo_messaging_rabbit] rabbit_quorum_queu")
                    .contains("did you mean rabbit_quorum_queue?")
                    .doesNotContain("Secret9"));
    assertThat(run.result().amqp().quorumQueue()).isFalse();
  }

  @Test
  void aDeprecatedKeyIsOneWarnLineNamingItsReplacementAndNoSecret() throws IOException {
    Path f =
        file(
            "svc.conf",
            "[oslo_messaging_rabbit]",
            "rabbit_hosts = h1:5672,h2:5672",
            "rabbit_password = Secret9");

    Logged<HaConfig> run = logged(() -> HaConfig.loader().configFile(f).load());

    assertThat(run.lines()).hasSize(2).allMatch(l -> l.contains("WARN"));
    assertThat(run.lines().get(0))
        .contains(f + ":2")
        .contains("rabbit_hosts: deprecated; use [DEFAULT] transport_url instead");
    assertThat(run.lines().get(1)).contains(f + ":3").contains("rabbit_password: deprecated");
    assertThat(String.join("\n", run.lines())).doesNotContain("Secret9");
  }

  @Test
  void aValidConfigurationLogsNothing() throws IOException {
    Path f = file("svc.conf", "[oslo_messaging_rabbit]", "rabbit_quorum_queue = true");

    Logged<HaConfig> run = logged(() -> HaConfig.loader().configFile(f).load());

    assertThat(run.lines()).isEmpty();
    assertThat(run.result().amqp().quorumQueue()).isTrue();
  }

  @Test
  void aTypoedOptionFailsInStrictModeWithTheHintAndLogsNothing() throws IOException {
    Path f = file("svc.conf", "[oslo_messaging_rabbit]", "rabbit_quorum_queu = true");

    Logged<Throwable> run =
        logged(() -> thrown(() -> HaConfig.loader().strict().configFile(f).load()));

    assertThat(run.result()).isInstanceOf(ConfigException.class);
    ConfigException e = (ConfigException) run.result();
    assertThat(e.errors())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.toString())
                    .startsWith("error: " + f + ":2: [oslo_messaging_rabbit] rabbit_quorum_queu")
                    .contains("did you mean rabbit_quorum_queue?")
                    .contains("strict mode"));
    assertThat(run.lines()).as("never log and throw").isEmpty();
  }

  @Test
  void strictTrueInTheHa4jSectionMakesUnknownOptionsOfEveryHa4jSectionErrors() throws IOException {
    Path f =
        file(
            "svc.conf",
            "[ha4j]",
            "strict = true",
            "[ha4j_amqp]",
            "host_ordr = configured",
            "[galera]",
            "chek_interval = 2",
            "[database]",
            "conection = mysql://u:p@db/x",
            "[DEFAULT]",
            "trasnport_url = rabbit://h");

    ConfigException e = (ConfigException) thrown(() -> HaConfig.loader().configFile(f).load());

    assertThat(e.errors())
        .extracting(ConfigProblem::key)
        .containsExactly("host_ordr", "chek_interval", "conection", "trasnport_url");
    assertThat(e.getMessage()).doesNotContain("u:p@");
  }

  @Test
  void strictModeLeavesTheServicesOwnOptionsAndDeprecatedKeysAsTheyAre() throws IOException {
    Path f =
        file(
            "svc.conf",
            "[DEFAULT]",
            "debug = true",
            "[api]",
            "workers = 4",
            "[oslo_messaging_rabbit]",
            "rabbit_durable_queues = true");

    HaConfig c = HaConfig.loader().strict().configFile(f).load();

    assertThat(c.warnings())
        .singleElement()
        .satisfies(w -> assertThat(w.message()).contains("use [oslo_messaging_rabbit] amqp_"));
    assertThat(c.amqp().durableQueues()).isTrue();
  }

  @Test
  void strictFalseKeepsUnknownOptionsWarnings() throws IOException {
    Path f = file("svc.conf", "[ha4j]", "strict = false", "[galera]", "chek_interval = 2");

    HaConfig c = HaConfig.loader().configFile(f).load();

    assertThat(c.warnings()).extracting(ConfigProblem::key).containsExactly("chek_interval");
    assertThat(c.value("ha4j", "strict").orElseThrow().source()).isEqualTo(f + ":2");
  }

  @Test
  void theExceptionMessageCarriesTheWarningThatExplainsTheError() throws IOException {
    Path f =
        file(
            "svc.conf",
            "[database]",
            "conection = mysql+pymysql://nova:Secret9@db1/nova",
            "[galera]",
            "nodes = db1,db2,db3");

    ConfigException e = (ConfigException) thrown(() -> HaConfig.loader().configFile(f).load());

    assertThat(e.getMessage())
        .contains("error: " + f + ":4: [galera] nodes")
        .contains("needs [database] connection")
        .contains("warning: " + f + ":2: [database] conection: unknown option")
        .contains("did you mean connection?")
        .doesNotContain("Secret9");
    assertThat(e.getMessage().indexOf("needs [database] connection"))
        .as("errors first, then the warnings")
        .isLessThan(e.getMessage().indexOf("did you mean connection?"));
  }

  @Test
  void everyProblemOfATransportUrlIsReportedAtOnce() {
    ConfigException e =
        (ConfigException)
            thrown(
                () ->
                    HaConfig.loader()
                        .set("DEFAULT", "transport_url", "amqp://u:Secret9@h1:99999,h2:x/")
                        .load());

    assertThat(e.errors())
        .extracting(ConfigProblem::message)
        .containsExactly(
            "unsupported scheme 'amqp': expected rabbit:// (or kombu://)",
            "bad host 'h1:99999': port 99999 is out of range (1 to 65535)",
            "bad host 'h2:x': port 'x' is not a number from 1 to 65535");
    assertThat(e.getMessage()).doesNotContain("Secret9");
  }

  @Test
  void transportUrlParseNamesEveryProblemInOneMessage() {
    assertThatThrownBy(() -> TransportUrl.parse("kafka://h1:0/?novalue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unsupported scheme 'kafka': expected rabbit:// (or kombu://); "
                + "bad host 'h1:0': port 0 is out of range (1 to 65535); "
                + "query parameter 'novalue' is not of the form name=value");
  }

  private static Throwable thrown(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("no exception");
  }
}

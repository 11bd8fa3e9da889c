package io.ha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.testkit.TestJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run ha4j(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path file(String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  static Map<String, Object> json(String text) {
    return TestJson.parseObject(text);
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonHasEveryOptionWithValueAndSourceAndTheResolvedView() throws IOException {
    Path f =
        file(
            "a.conf",
            "[DEFAULT]",
            "transport_url = rabbit://nova:Hidden%2Fpw@r1:5673,r2/nova",
            "[ha4j_amqp]",
            "max_retries = 5",
            "[database]",
            "connection = mysql+pymysql://nova:Hidden@db1,db2/nova",
            "[galera]",
            "nodes = db1:3306:1, db2:3306:0");

    Run r = ha4j("config", "--config-file", f.toString(), "--json");

    assertThat(r.code()).isZero();
    assertThat(r.out()).doesNotContain("Hidden");
    Map<String, Object> j = json(r.out());
    Map<String, Object> url =
        (Map<String, Object>) ((Map<String, Object>) j.get("DEFAULT")).get("transport_url");
    assertThat(url)
        .containsEntry("value", "rabbit://nova:***@r1:5673,r2/nova")
        .containsEntry("source", f + ":2");
    Map<String, Object> rate =
        (Map<String, Object>)
            ((Map<String, Object>) j.get("oslo_messaging_rabbit")).get("heartbeat_rate");
    assertThat(rate).containsEntry("value", 2L).containsEntry("source", "default");
    Map<String, Object> resolved = (Map<String, Object>) j.get("resolved");
    assertThat(resolved.get("amqp_hosts")).isEqualTo(List.of("r1:5673", "r2:5672"));
    assertThat(resolved.get("virtual_host")).isEqualTo("nova");
    assertThat(resolved.get("max_retries")).isEqualTo(5L);
    assertThat(resolved.get("galera_nodes"))
        .isEqualTo(
            List.of(
                Map.of("address", "db1:3306", "priority", 1L),
                Map.of("address", "db2:3306", "priority", 0L)));
  }

  @Test
  void aRetryIntervalOfZeroIsShownAsTheOneSecondTheScheduleUses() throws IOException {
    Path f = file("zero.conf", "[oslo_messaging_rabbit]", "rabbit_retry_interval = 0");

    Run json = ha4j("config", "--config-file", f.toString(), "--json");
    Run text = ha4j("config", "--config-file", f.toString());

    assertThat(((Map<?, ?>) json(json.out()).get("resolved")).get("retry_interval_s"))
        .isEqualTo(1L);
    assertThat(text.out())
        .contains("# retry interval: 1 s (rabbit_retry_interval = 0 acts as 1 s)");
  }

  @Test
  void maxRetriesIsNullWhenForever() throws IOException {
    Run r = ha4j("config", "--config-file", file("e.conf").toString(), "--json");

    assertThat(((Map<?, ?>) json(r.out()).get("resolved")).get("max_retries")).isNull();
    assertThat(((Map<?, ?>) json(r.out()).get("resolved")).containsKey("max_retries")).isTrue();
  }

  @Test
  void aFileWithSeveralMistakesGivesOneLinePerMistakeExitTwoNoStackTraceNoPassword()
      throws IOException {
    Path f =
        file(
            "bad.conf",
            "[DEFAULT]",
            "transport_url = rabbit://u:Hidden@h1:0/",
            "[oslo_messaging_rabbit]",
            "rabbit_retry_interval = soon",
            "rabbit_quorum_queue = true",
            "rabbit_ha_queues = true",
            "heartbeat_rate = many",
            "[database]",
            "connection = sqlite://u:Hidden@x/y");

    Run r = ha4j("config", "--config-file", f.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertThat(errors)
        .hasSize(5)
        .extracting(l -> l.substring("error: ".length(), l.indexOf(": [")))
        .containsExactly(f + ":2", f + ":4", f + ":5", f + ":7", f + ":9");
    assertThat(r.err()).contains("invalid configuration (5 errors)");
    assertThat(r.err())
        .doesNotContain("Hidden")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void missingFileAndBadFlagsExitTwo() {
    Run missing = ha4j("config", "--config-file", dir.resolve("none.conf").toString());
    Run bad = ha4j("config", "--config-fil", "x");
    Run noValue = ha4j("config", "--config-file");

    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains(dir.resolve("none.conf") + ": config file not found");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown option '--config-fil'");
    assertThat(noValue.code()).isEqualTo(2);
    assertThat(noValue.err()).contains("option '--config-file' needs a value");
  }

  @Test
  void configFilesAndDirsAreReadInCommandLineOrder() throws IOException {
    Path d = Files.createDirectory(dir.resolve("d"));
    Files.writeString(d.resolve("x.conf"), "[oslo_messaging_rabbit]\nheartbeat_rate = 7\n");
    Path f = file("f.conf", "[oslo_messaging_rabbit]", "heartbeat_rate = 9");

    Run dirLast =
        ha4j("config", "--config-file", f.toString(), "--config-dir", d.toString(), "--json");
    Run fileLast =
        ha4j("config", "--config-dir", d.toString(), "--config-file", f.toString(), "--json");

    assertThat(rate(dirLast)).isEqualTo(7L);
    assertThat(rate(fileLast)).isEqualTo(9L);
  }

  @SuppressWarnings("unchecked")
  private static Object rate(Run r) {
    return ((Map<String, Object>)
            ((Map<String, Object>) json(r.out()).get("oslo_messaging_rabbit"))
                .get("heartbeat_rate"))
        .get("value");
  }

  @Test
  void textOutputShowsSourcesAndMasksPasswords() throws IOException {
    Path f =
        file(
            "a.conf",
            "[oslo_messaging_rabbit]",
            "rabbit_password = Hidden",
            "rabbit_userid = nova");

    Run r = ha4j("config", "--config-file", f.toString());

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("rabbit_password = ***")
        .contains("# " + f + ":2")
        .doesNotContain("Hidden");
    assertThat(r.err()).contains("rabbit_password: deprecated; use [DEFAULT] transport_url");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDatabaseTlsSettingsAreShownWithTheirFilesButNoSecret() throws IOException {
    Path ca = file("ca.pem", "not read here");
    Path f =
        file(
            "tls.conf",
            "[database]",
            "connection = mysql+pymysql://nova:Hidden@db1/nova?ssl_ca="
                + ca
                + "&ssl_verify_identity=false");

    Run text = ha4j("config", "--config-file", f.toString());
    Run js = ha4j("config", "--config-file", f.toString(), "--json");

    assertThat(text.code()).isZero();
    assertThat(text.out())
        .contains(
            "# galera tls:   on, certificate verified against " + ca + ", host name not verified")
        .doesNotContain("Hidden");
    Map<String, Object> tls =
        (Map<String, Object>)
            ((Map<String, Object>) json(js.out()).get("resolved")).get("galera_tls");
    assertThat(tls)
        .containsEntry("enabled", true)
        .containsEntry("ca", ca.toString())
        .containsEntry("verify_cert", true)
        .containsEntry("verify_identity", false);
  }

  @Test
  void aBadTlsValueIsBadInputNamingFileAndLine() throws IOException {
    Path f =
        file(
            "bad.conf",
            "[database]",
            "connection = mysql+pymysql://nova:Hidden@db1/nova?ssl_verify_cert=sure");

    Run r = ha4j("config", "--config-file", f.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(f + ":2")
        .contains("ssl_verify_cert = 'sure' is not a boolean")
        .doesNotContain("Hidden");
  }
}

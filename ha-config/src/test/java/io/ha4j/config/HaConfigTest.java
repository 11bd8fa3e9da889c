package io.ha4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HaConfigTest {

  @TempDir Path dir;

  private Path file(String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  private static HaConfig load(Path... files) {
    HaConfig.Loader l = HaConfig.loader();
    for (Path f : files) {
      l.configFile(f);
    }
    return l.load();
  }

  private static ConfigException invalid(HaConfig.Loader loader) {
    try {
      loader.load();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("configuration was accepted");
  }

  private static final String[] HA_GUIDE = {
    "rabbit_hosts=rabbit1:5672,rabbit2:5672,rabbit3:5672",
    "rabbit_retry_interval=1",
    "rabbit_retry_backoff=2",
    "rabbit_max_retries=0",
    "rabbit_durable_queues=true",
    "rabbit_ha_queues=true"
  };

  @Test
  void theOldHaGuideSettingsLoadVerbatimWithOneWarningPerDeprecatedKey() throws IOException {
    Path f = file("guide.conf", concat("[oslo_messaging_rabbit]", HA_GUIDE));

    HaConfig c = load(f);

    AmqpSettings a = c.amqp();
    assertThat(a.hosts())
        .extracting(AmqpHost::hostAndPort)
        .containsExactly("rabbit1:5672", "rabbit2:5672", "rabbit3:5672");
    assertThat(a.retry().interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(a.retry().backoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(a.retry().maxRetries()).isEqualTo(OptionalInt.empty());
    assertThat(a.durableQueues()).isTrue();
    assertThat(a.haQueues()).isTrue();
    assertThat(c.warnings())
        .extracting(ConfigProblem::key)
        .containsExactly("rabbit_hosts", "rabbit_max_retries", "rabbit_durable_queues");
    assertThat(c.warnings())
        .extracting(ConfigProblem::location)
        .containsExactly(f + ":2", f + ":5", f + ":6");
    assertThat(c.warnings().get(0).message()).contains("use [DEFAULT] transport_url");
    assertThat(c.warnings().get(1).message()).contains("use [ha4j_amqp] max_retries");
    assertThat(c.warnings().get(2).message())
        .contains("use [oslo_messaging_rabbit] amqp_durable_queues");
  }

  @Test
  void theOldHaGuideSettingsAlsoLoadFromDefaultSectionWithAWarningEach() throws IOException {
    HaConfig c = load(file("guide.conf", concat("[DEFAULT]", HA_GUIDE)));

    assertThat(c.amqp().hosts()).hasSize(3);
    assertThat(c.amqp().haQueues()).isTrue();
    assertThat(c.amqp().durableQueues()).isTrue();
    assertThat(c.warnings()).hasSize(6).allMatch(w -> w.message().startsWith("deprecated; use"));
  }

  @Test
  void emptyConfigurationGivesOslosDefaultsAndEqualsOfDefaults() throws IOException {
    HaConfig c = load(file("empty.conf"));

    assertThat(c.amqp()).isEqualTo(AmqpSettings.ofDefaults());
    assertThat(c.amqp().hosts()).containsExactly(AmqpHost.of("localhost", 5672));
    assertThat(c.amqp().virtualHost()).isEqualTo("/");
    assertThat(c.galera()).isEmpty();
    assertThat(c.warnings()).isEmpty();
    assertThat(c.values()).allMatch(v -> v.source().equals("default"));
    assertThat(c.value("oslo_messaging_rabbit", "kombu_reconnect_delay").get().value())
        .isEqualTo(1.0);
  }

  @Test
  void transportUrlGivesHostsCredentialsVhostAndQueryOverrides() throws IOException {
    Path f =
        file(
            "a.conf",
            "[DEFAULT]",
            "transport_url = rabbit://nova:s%2Fcret@r1:5673,r2,other:pw@r3/nova?heartbeat_rate=4",
            "[oslo_messaging_rabbit]",
            "heartbeat_rate = 3");

    HaConfig c = load(f);

    assertThat(c.amqp().hosts())
        .containsExactly(
            new AmqpHost("r1", 5673, "nova", "s/cret"),
            new AmqpHost("r2", 5672, "nova", "s/cret"),
            new AmqpHost("r3", 5672, "other", "pw"));
    assertThat(c.amqp().virtualHost()).isEqualTo("nova");
    assertThat(c.amqp().heartbeatRate()).isEqualTo(4);
    assertThat(c.value("oslo_messaging_rabbit", "heartbeat_rate").get().source()).isEqualTo("url");
    assertThat(c.value("DEFAULT", "transport_url").get().displayValue().toString())
        .doesNotContain("s%2Fcret")
        .contains("nova:***@r1");
  }

  @Test
  void transportUrlWinsOverRabbitHostsWithAWarning() throws IOException {
    Path f =
        file(
            "a.conf",
            "[DEFAULT]",
            "transport_url = rabbit://u:p@r1",
            "[oslo_messaging_rabbit]",
            "rabbit_hosts = x1,x2");

    HaConfig c = load(f);

    assertThat(c.amqp().hosts()).extracting(AmqpHost::host).containsExactly("r1");
    assertThat(c.warnings())
        .anyMatch(w -> w.message().contains("ignored: transport_url (" + f + ":2)"));
  }

  @Test
  void laterFilesWinThenEnvironmentThenPropertiesThenSet() throws IOException {
    Path a =
        file(
            "a.conf", "[oslo_messaging_rabbit]", "rabbit_retry_interval = 2", "heartbeat_rate = 5");
    Path b = file("b.conf", "[oslo_messaging_rabbit]", "rabbit_retry_interval = 3");

    HaConfig fileOnly = load(a, b);
    HaConfig withEnv =
        HaConfig.loader()
            .configFile(a)
            .configFile(b)
            .environment(Map.of("HA4J_OSLO_MESSAGING_RABBIT__RABBIT_RETRY_INTERVAL", "4"))
            .load();
    HaConfig withProperty =
        HaConfig.loader()
            .configFile(a)
            .environment(Map.of("HA4J_OSLO_MESSAGING_RABBIT__RABBIT_RETRY_INTERVAL", "4"))
            .properties(Map.of("ha4j.oslo_messaging_rabbit.rabbit_retry_interval", "5"))
            .load();
    HaConfig withSet =
        HaConfig.loader()
            .configFile(a)
            .properties(Map.of("ha4j.oslo_messaging_rabbit.rabbit_retry_interval", "5"))
            .set("oslo_messaging_rabbit", "rabbit_retry_interval", "6")
            .load();

    assertThat(fileOnly.amqp().retry().interval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(fileOnly.value("oslo_messaging_rabbit", "rabbit_retry_interval").get().source())
        .isEqualTo(b + ":2");
    assertThat(fileOnly.amqp().heartbeatRate()).isEqualTo(5);
    assertThat(withEnv.amqp().retry().interval()).isEqualTo(Duration.ofSeconds(4));
    assertThat(withEnv.value("oslo_messaging_rabbit", "rabbit_retry_interval").get().source())
        .isEqualTo("env:HA4J_OSLO_MESSAGING_RABBIT__RABBIT_RETRY_INTERVAL");
    assertThat(withProperty.amqp().retry().interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(withSet.amqp().retry().interval()).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void configDirReadsConfFilesInNameOrderAfterEarlierFiles() throws IOException {
    Path d = Files.createDirectory(dir.resolve("conf.d"));
    Files.writeString(d.resolve("20-b.conf"), "[oslo_messaging_rabbit]\nheartbeat_rate = 7\n");
    Files.writeString(d.resolve("10-a.conf"), "[oslo_messaging_rabbit]\nheartbeat_rate = 6\n");
    Files.writeString(d.resolve("30-c.txt"), "[oslo_messaging_rabbit]\nheartbeat_rate = 9\n");
    Path main = file("main.conf", "[oslo_messaging_rabbit]", "heartbeat_rate = 5");

    HaConfig c = HaConfig.loader().configFile(main).configDir(d).load();

    assertThat(c.amqp().heartbeatRate()).isEqualTo(7);
  }

  @Test
  void interpolatesDollarReferencesLikeOsloConfig() throws IOException {
    Path f =
        file(
            "a.conf",
            "[DEFAULT]",
            "rabbit_pass = se$$cret",
            "my_host = r1",
            "transport_url = rabbit://u:${rabbit_pass}@$my_host:${galera.port}/",
            "control_exchange = ${oslo_messaging_rabbit.exchange_prefix}-x",
            "[galera]",
            "port = 5999",
            "[oslo_messaging_rabbit]",
            "exchange_prefix = $control_exchange_base",
            "control_exchange_base = nova");

    HaConfig c = load(f);

    assertThat(c.amqp().hosts()).containsExactly(new AmqpHost("r1", 5999, "u", "se$cret"));
    assertThat(c.amqp().controlExchange()).isEqualTo("nova-x");
  }

  @Test
  void booleansAndListsAreParsedAsOsloConfigParsesThem() throws IOException {
    for (String t : List.of("true", "True", "1", "yes", "on", "t", "Y")) {
      HaConfig c = HaConfig.loader().set("oslo_messaging_rabbit", "ssl", t).load();
      assertThat(c.amqp().ssl()).as(t).isTrue();
    }
    for (String f : List.of("false", "0", "no", "off", "f", "N")) {
      HaConfig c = HaConfig.loader().set("oslo_messaging_rabbit", "ssl", f).load();
      assertThat(c.amqp().ssl()).as(f).isFalse();
    }
    HaConfig c =
        load(file("l.conf", "[oslo_messaging_rabbit]", "rabbit_hosts = a:1 , ,b ,", "  c:3"));
    assertThat(c.amqp().hosts())
        .extracting(AmqpHost::hostAndPort)
        .containsExactly("a:1", "b:5672", "c:3");
  }

  @Test
  void everyMistakeOfAFileIsReportedWithFileLineSectionKeyValueAndExpectation() throws IOException {
    Path f =
        file(
            "bad.conf",
            "[DEFAULT]",
            "transport_url = amqp://u:topsecret@h1/",
            "[oslo_messaging_rabbit]",
            "rabbit_retry_interval = soon",
            "kombu_reconnect_delay = 9",
            "kombu_failover_strategy = random",
            "ssl = maybe",
            "rabbit_quorum_queue = true",
            "rabbit_ha_queues = true",
            "rabbit_retry_backof = 3",
            "[galera]",
            "nodes = db1:3306, db2:x",
            "[database]",
            "connection = mysql+pymysql://nova:topsecret@db1/nova",
            "max_pool_size = -4");

    ConfigException e = invalid(HaConfig.loader().configFile(f));

    assertThat(e.errors())
        .extracting(p -> p.location() + " " + p.key())
        .containsExactlyInAnyOrder(
            f + ":2 transport_url",
            f + ":4 rabbit_retry_interval",
            f + ":5 kombu_reconnect_delay",
            f + ":6 kombu_failover_strategy",
            f + ":7 ssl",
            f + ":8 rabbit_quorum_queue",
            f + ":12 nodes",
            f + ":15 max_pool_size");
    assertThat(e.problems())
        .filteredOn(p -> !p.isError())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.location()).isEqualTo(f + ":10");
              assertThat(w.message()).contains("did you mean rabbit_retry_backoff?");
            });
    assertThat(message(e, "rabbit_retry_interval"))
        .isEqualTo(
            "error: "
                + f
                + ":4: [oslo_messaging_rabbit] rabbit_retry_interval = 'soon': expected an"
                + " integer");
    assertThat(message(e, "kombu_reconnect_delay"))
        .contains("out of range: expected a value from 0 to 4.5");
    assertThat(message(e, "kombu_failover_strategy"))
        .contains("expected one of round-robin, shuffle");
    assertThat(message(e, "transport_url")).contains("unsupported scheme 'amqp'");
    assertThat(message(e, "rabbit_quorum_queue"))
        .contains("conflicts with rabbit_ha_queues")
        .contains(f + ":9");
    assertThat(message(e, "nodes")).contains("port 'x' is not a number");
    assertThat(e.getMessage()).doesNotContain("topsecret").contains("8 errors");
    assertThat(e.problems().toString()).doesNotContain("topsecret");
  }

  private static String message(ConfigException e, String key) {
    return e.errors().stream()
        .filter(p -> p.key().equals(key))
        .findFirst()
        .orElseThrow()
        .toString();
  }

  @Test
  void missingFileAndDirectoryAreErrorsNamingThePath() {
    Path missing = dir.resolve("nope.conf");
    Path missingDir = dir.resolve("nope.d");

    ConfigException e = invalid(HaConfig.loader().configFile(missing).configDir(missingDir));

    assertThat(e.errors())
        .extracting(ConfigProblem::location)
        .containsExactly(missing.toString(), missingDir.toString());
    assertThat(e.errors().get(0).message()).isEqualTo("config file not found");
  }

  @Test
  void unknownTransportUrlQueryParameterIsAnError() {
    ConfigException e =
        invalid(HaConfig.loader().set("DEFAULT", "transport_url", "rabbit://h1/?heartbeat_rat=2"));

    assertThat(e.errors().get(0).message())
        .contains("unknown query parameter 'heartbeat_rat'")
        .contains("did you mean heartbeat_rate?");
    assertThat(e.errors().get(0).location()).isEqualTo("builder");
  }

  @Test
  void unknownKeysOfOtherSectionsAndOfDefaultAreLeftToTheService() throws IOException {
    HaConfig c =
        load(
            file(
                "s.conf",
                "[DEFAULT]",
                "debug = true",
                "[api]",
                "workers = 4",
                "[DEFAULT]",
                "trasnport_url = rabbit://h"));

    assertThat(c.warnings())
        .singleElement()
        .satisfies(w -> assertThat(w.message()).contains("did you mean transport_url?"));
  }

  @Test
  void databaseAndGaleraSectionsGiveGaleraSettings() throws IOException {
    Path f =
        file(
            "db.conf",
            "[database]",
            "connection = mysql+pymysql://nova:p%40ss@db1,db2:3307,db3/nova?charset=utf8",
            "max_pool_size = 10",
            "db_max_retries = -1",
            "mysql_wsrep_sync_wait = 1",
            "[galera]",
            "failback = after_stable",
            "failback_stable_time = 12.5");

    GaleraSettings g = load(f).galera().orElseThrow();

    assertThat(g.nodes())
        .containsExactly(
            new GaleraNode("db1", 3306, 0),
            new GaleraNode("db2", 3307, 0),
            new GaleraNode("db3", 3306, 0));
    assertThat(g.username()).isEqualTo("nova");
    assertThat(g.password()).isEqualTo("p@ss");
    assertThat(g.database()).isEqualTo("nova");
    assertThat(g.connectionParameters()).containsEntry("charset", "utf8");
    assertThat(g.maxPoolSize()).isEqualTo(10);
    assertThat(g.retry().maxRetries()).isEmpty();
    assertThat(g.wsrepSyncWait()).hasValue(1);
    assertThat(g.failback()).isEqualTo(FailbackPolicy.afterStable(Duration.ofMillis(12500)));
    assertThat(g.toString()).doesNotContain("p@ss");
  }

  @Test
  void galeraNodesWithPrioritiesReplaceTheConnectionHosts() throws IOException {
    Path f =
        file(
            "db.conf",
            "[database]",
            "connection = mysql+pymysql://u:p@ignored/db",
            "[galera]",
            "nodes = db1:3306:2, db2:3306:1, db3:3306:-1");

    GaleraSettings g = load(f).galera().orElseThrow();

    assertThat(g.nodes()).extracting(GaleraNode::priority).containsExactly(2, 1, -1);
  }

  @Test
  void commitMarkersAreOnByDefaultAndTheirTableIsCheckedWithItsLocation() throws IOException {
    Path on = file("on.conf", "[database]", "connection = mysql+pymysql://u:p@db1/db");
    GaleraSettings d = load(on).galera().orElseThrow();
    assertThat(d.commitMarkers()).isTrue();
    assertThat(d.commitMarkerTable()).isEqualTo(GaleraSettings.DEFAULT_COMMIT_MARKER_TABLE);

    Path off =
        file(
            "off.conf",
            "[database]",
            "connection = mysql+pymysql://u:p@db1/db",
            "[galera]",
            "commit_markers = false",
            "commit_marker_table = ops.markers");
    GaleraSettings g = load(off).galera().orElseThrow();
    assertThat(g.commitMarkers()).isFalse();
    assertThat(g.commitMarkerTable()).isEqualTo("ops.markers");

    Path bad =
        file(
            "bad.conf",
            "[database]",
            "connection = mysql+pymysql://u:p@db1/db",
            "[galera]",
            "commit_marker_table = markers; DROP TABLE x");
    ConfigException e = invalid(HaConfig.loader().configFile(bad));
    assertThat(e.errors())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo(bad + ":4");
              assertThat(p.key()).isEqualTo("commit_marker_table");
              assertThat(p.toString()).contains("markers; DROP TABLE x");
            });
  }

  @Test
  void galeraNodesWithoutConnectionIsAnError() throws IOException {
    Path f = file("db.conf", "[galera]", "nodes = db1");

    ConfigException e = invalid(HaConfig.loader().configFile(f));

    assertThat(e.errors().get(0).toString())
        .contains(f + ":2")
        .contains("needs [database] connection");
  }

  @Test
  void noSecretInValuesToStringOrSettings() throws IOException {
    Path f =
        file(
            "s.conf",
            "[DEFAULT]",
            "transport_url = rabbit://u:Pa55word@h1/",
            "[oslo_messaging_rabbit]",
            "rabbit_password = Pa55word",
            "[database]",
            "connection = mysql://u:Pa55word@db/x");

    HaConfig c = load(f);

    assertThat(c.toString()).doesNotContain("Pa55word");
    assertThat(c.values().toString()).doesNotContain("Pa55word");
    assertThat(c.amqp().toString()).doesNotContain("Pa55word");
    assertThat(c.warnings().toString()).doesNotContain("Pa55word");
    assertThat(c.value("oslo_messaging_rabbit", "rabbit_password").get().displayValue())
        .isEqualTo("***");
  }

  private static String[] concat(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}

package io.ha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.config.TransportUrl.Host;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransportUrlTest {

  @Test
  void parsesSeveralHostsEachWithItsOwnCredentialsAndDefaultPort() {
    TransportUrl u = TransportUrl.parse("rabbit://u1:p1@h1:5673,u2:p2@h2,h3:5674/nova");

    assertThat(u.hosts())
        .containsExactly(
            new Host("h1", 5673, "u1", "p1"),
            new Host("h2", 5672, "u2", "p2"),
            new Host("h3", 5674, null, null));
    assertThat(u.virtualHost()).contains("nova");
  }

  @Test
  void percentDecodesPasswordsWithSlashAtColonAndPercent() {
    TransportUrl u = TransportUrl.parse("rabbit://user:a%2Fb%40c%3Ad%25e@h1:5672/");

    assertThat(u.hosts().get(0).password()).isEqualTo("a/b@c:d%e");
  }

  @Test
  void rawSlashAtAndColonInAPasswordWork() {
    TransportUrl u = TransportUrl.parse("rabbit://user:a/b@c:d@h1:5672,user:x/y@h2/vh");

    assertThat(u.hosts()).extracting(Host::password).containsExactly("a/b@c:d", "x/y");
    assertThat(u.hosts()).extracting(Host::host).containsExactly("h1", "h2");
    assertThat(u.virtualHost()).contains("vh");
  }

  @Test
  void virtualHostRules() {
    assertThat(TransportUrl.parse("rabbit://h//").virtualHost()).contains("/");
    assertThat(TransportUrl.parse("rabbit://h/%2F").virtualHost()).contains("/");
    assertThat(TransportUrl.parse("rabbit://h/nova").virtualHost()).contains("nova");
    assertThat(TransportUrl.parse("rabbit://h/").virtualHost()).isEmpty();
    assertThat(TransportUrl.parse("rabbit://h").virtualHost()).isEmpty();
  }

  @Test
  void queryParametersAndIpv6AndKombuScheme() {
    TransportUrl u = TransportUrl.parse("kombu://[::1]:5673,[fe80::2]/?ssl=1&heartbeat_rate=4");

    assertThat(u.hosts()).extracting(Host::host).containsExactly("::1", "fe80::2");
    assertThat(u.hosts()).extracting(Host::port).containsExactly(5673, 5672);
    assertThat(u.query()).isEqualTo(Map.of("ssl", "1", "heartbeat_rate", "4"));
  }

  @Test
  void noHostIsAllowedAndMeansTheDefaultHost() {
    TransportUrl u = TransportUrl.parse("rabbit://");

    assertThat(u.hosts()).isEmpty();
    assertThat(u.virtualHost()).isEqualTo(Optional.empty());
  }

  @Test
  void rejectsUnknownSchemeBadPortAndUnbracketedIpv6() {
    assertThatThrownBy(() -> TransportUrl.parse("amqp://h1"))
        .hasMessageContaining("unsupported scheme 'amqp'");
    assertThatThrownBy(() -> TransportUrl.parse("rabbit://u:secret@h1:99999/"))
        .hasMessageContaining("port 99999 is out of range")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> TransportUrl.parse("rabbit://h1:abc/"))
        .hasMessageContaining("port 'abc' is not a number");
    assertThatThrownBy(() -> TransportUrl.parse("rabbit://fe80::1/"))
        .hasMessageContaining("brackets");
    assertThatThrownBy(() -> TransportUrl.parse("h1:5672")).hasMessageContaining("rabbit://");
  }

  @Test
  void toStringAndMaskHideEveryPassword() {
    String url = "rabbit://u1:s3cr%2Fet@h1:5672,u2:0ther@h2/vh?ssl=1";

    assertThat(TransportUrl.parse(url).toString())
        .isEqualTo("rabbit://u1:***@h1:5672,u2:***@h2:5672/vh?ssl=1");
    assertThat(TransportUrl.mask(url)).isEqualTo("rabbit://u1:***@h1:5672,u2:***@h2/vh?ssl=1");
    assertThat(TransportUrl.mask("rabbit://u:a/b@h/")).isEqualTo("rabbit://u:***@h/");
  }

  @Test
  void databaseUrlAcceptsAHostListAndMasksThePassword() {
    DatabaseUrl d =
        DatabaseUrl.parse("mysql+pymysql://nova:p%40ss/w@db1:3307,db2/nova?charset=utf8");

    assertThat(d.username()).isEqualTo("nova");
    assertThat(d.password()).isEqualTo("p@ss/w");
    assertThat(d.nodes())
        .containsExactly(new GaleraNode("db1", 3307, 0), new GaleraNode("db2", 3306, 0));
    assertThat(d.database()).isEqualTo("nova");
    assertThat(d.parameters()).containsEntry("charset", "utf8");
    assertThat(d.toString()).doesNotContain("p@ss").contains("nova:***@db1:3307,db2:3306");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:p@h/db"))
        .hasMessageContaining("unsupported database 'postgresql'");
  }

  @Test
  void galeraNodeParsesPriority() {
    assertThat(GaleraNode.parse("db1:3306:2")).isEqualTo(new GaleraNode("db1", 3306, 2));
    assertThat(GaleraNode.parse("db1")).isEqualTo(new GaleraNode("db1", 3306, 0));
    assertThat(GaleraNode.parse("[::1]:3307:-1")).isEqualTo(new GaleraNode("::1", 3307, -1));
    assertThatThrownBy(() -> GaleraNode.parse("db1:3306:x"))
        .hasMessageContaining("priority 'x' is not an integer");
  }
}

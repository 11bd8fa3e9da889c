package io.ha4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.internal.IniParser;
import io.ha4j.config.internal.IniParser.Entry;
import org.junit.jupiter.api.Test;

class IniParserTest {

  @Test
  void readsSectionsKeysCommentsQuotesAndContinuationLinesAsOsloConfigDoes() {
    String text =
        String.join(
            "\n",
            "# a comment",
            "; another comment",
            "[DEFAULT]",
            "transport_url = rabbit://a:p#w@h1/",
            "[oslo_messaging_rabbit]",
            "rabbit_retry_interval: 3",
            "  ",
            "rabbit_hosts = h1:5672,",
            "    h2:5672",
            "ssl_ca_file = \"/etc/ca.pem\"",
            "empty =");

    IniParser.Result r = IniParser.parse("f.conf", text);

    assertThat(r.problems()).isEmpty();
    assertThat(r.entries())
        .containsExactly(
            new Entry("f.conf", 4, "DEFAULT", "transport_url", "rabbit://a:p#w@h1/"),
            new Entry("f.conf", 6, "oslo_messaging_rabbit", "rabbit_retry_interval", "3"),
            new Entry("f.conf", 8, "oslo_messaging_rabbit", "rabbit_hosts", "h1:5672,\nh2:5672"),
            new Entry("f.conf", 10, "oslo_messaging_rabbit", "ssl_ca_file", "/etc/ca.pem"),
            new Entry("f.conf", 11, "oslo_messaging_rabbit", "empty", ""));
  }

  @Test
  void lowerCaseDefaultSectionIsDefault() {
    IniParser.Result r = IniParser.parse("f", "[default]\na = 1\n");

    assertThat(r.entries()).extracting(Entry::section).containsExactly("DEFAULT");
  }

  @Test
  void reportsEverySyntaxErrorWithItsLineAndKeepsReading() {
    String text =
        String.join(
            "\n", "orphan = 1", "[oslo_messaging_rabbit", "[]", "[ok]", "garbage", "= 2", "x = 3");

    IniParser.Result r = IniParser.parse("bad.conf", text);

    assertThat(r.problems())
        .extracting(ConfigProblem::location)
        .containsExactly("bad.conf:1", "bad.conf:2", "bad.conf:3", "bad.conf:5", "bad.conf:6");
    assertThat(r.problems().get(0).message()).contains("before any [section]");
    assertThat(r.problems().get(1).message()).contains("must end with ]");
    assertThat(r.problems().get(3).message()).contains("no '=' or ':'");
    assertThat(r.entries()).extracting(Entry::key).containsExactly("x");
  }

  @Test
  void aMalformedLineIsNotEchoedBecauseItMayBeASecret() {
    IniParser.Result r = IniParser.parse("f", "[x]\nhunter2secret\n");

    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0).toString()).doesNotContain("hunter2secret");
  }
}

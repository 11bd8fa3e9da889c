package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PublicHelpersTest {

  @Test
  void testJsonReadsWhatItWritesInDocumentOrderWithLongsAndNulls() {
    String text = TestJson.write(Map.of("a", List.of(1, 2.5, "x\"y"), "b", Map.of()));

    Map<String, Object> back = TestJson.parseObject("{\"z\":1,\"a\":null,\"m\":{\"k\":[true]}}");

    assertThat(TestJson.parse(text))
        .isEqualTo(Map.of("a", List.of(1L, 2.5, "x\"y"), "b", Map.of()));
    assertThat(back).containsKeys("z", "a", "m").containsEntry("z", 1L).containsEntry("a", null);
    assertThat(back.keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void testJsonRejectsANonObjectAndTrailingText() {
    assertThatThrownBy(() -> TestJson.parseObject("[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> TestJson.parse("{} x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void waitsReturnsOnceTheConditionHoldsAndTimesOutWithTheLastReason() {
    AtomicInteger polls = new AtomicInteger();

    Waits.until(
        "three polls",
        Duration.ofSeconds(10),
        Duration.ofMillis(1),
        () -> polls.incrementAndGet() >= 3 ? Waits.Poll.done() : Waits.Poll.notYet("early"));

    assertThat(polls).hasValue(3);
    assertThatThrownBy(
            () ->
                Waits.until(
                    "never", Duration.ZERO, Duration.ofMillis(1), () -> Waits.Poll.notYet("nope")))
        .isInstanceOf(Waits.TimeoutException.class)
        .hasMessageContaining("waiting for never: nope");
  }

  @Test
  void userInfoPercentEncodesReservedCharacters() {
    assertThat(TestKit.userInfo("guest", "guest")).isEqualTo("guest:guest");
    assertThat(TestKit.userInfo("a@b", "p/w:%,ü")).isEqualTo("a%40b:p%2Fw%3A%25%2C%C3%BC");
  }

  @Test
  void loadRowsAcceptsOnlyPlainTableNames() {
    assertThat(LoadRows.checkTableName("ha4j_load")).isEqualTo("ha4j_load");
    assertThatThrownBy(() -> LoadRows.checkTableName("t; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'t; DROP TABLE x'");
    assertThatThrownBy(() -> LoadRows.checkTableName("1abc"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

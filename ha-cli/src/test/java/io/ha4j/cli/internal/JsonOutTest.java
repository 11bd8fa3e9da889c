package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.testkit.TestJson;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonOutTest {

  enum Kind {
    DEADLOCK
  }

  @Test
  void writesOneLineInInsertionOrderKeepingNullsAndNumbers() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 1);
    m.put("a", null);
    m.put("long", 12_345_678_901L);
    m.put("ratio", 0.75);
    m.put("ok", true);
    m.put("list", List.of("x", 2));

    String json = JsonOut.write(m);

    assertThat(json)
        .isEqualTo(
            "{\"z\":1,\"a\":null,\"long\":12345678901,\"ratio\":0.75,\"ok\":true,"
                + "\"list\":[\"x\",2]}");
  }

  @Test
  void writesOtherValuesAsTheirStringNeverAsBeans() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("d", Duration.ofMillis(1500));
    m.put("k", Kind.DEADLOCK);
    m.put(Kind.DEADLOCK.name().toLowerCase(java.util.Locale.ROOT), Set.of(Duration.ZERO));

    assertThat(JsonOut.write(m))
        .isEqualTo("{\"d\":\"PT1.5S\",\"k\":\"DEADLOCK\",\"deadlock\":[\"PT0S\"]}");
  }

  @Test
  void escapesStringsSoThatAJsonReaderGetsThemBack() {
    String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 ü";

    Object back = TestJson.parse(JsonOut.write(Map.of("s", nasty)));

    assertThat(back).isEqualTo(Map.of("s", nasty));
  }
}

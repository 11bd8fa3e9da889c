package io.ha4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesRabbitmqctlClusterStatusShape() {
    String text =
        "{\"running_nodes\":[\"rabbit1@rnode1\",\"rabbit2@rnode2\"],"
            + "\"partitions\":{},\"versions\":{\"n\":{\"rabbitmq_version\":\"3.10.8\"}},"
            + "\"alarms\":[],\"ok\":true,\"x\":null,\"n\":-12,\"f\":1.5e2}";

    Map<?, ?> m = (Map<?, ?>) Json.parse(text);

    assertThat(m.get("running_nodes")).isEqualTo(List.of("rabbit1@rnode1", "rabbit2@rnode2"));
    assertThat((Map<?, ?>) m.get("partitions")).isEmpty();
    assertThat(m.get("ok")).isEqualTo(Boolean.TRUE);
    assertThat(m.containsKey("x")).isTrue();
    assertThat(m.get("x")).isNull();
    assertThat(m.get("n")).isEqualTo(-12L);
    assertThat(m.get("f")).isEqualTo(150.0);
  }

  @Test
  void writesWhatItParses() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "galera");
    m.put("quote\"and\\slash", "line\nbreak\ttab\u0001");
    m.put("nodes", List.of(Map.of("index", 1), Arrays.asList(true, null, 2.5)));

    String written = Json.write(m);

    assertThat(Json.parse(written))
        .isEqualTo(
            Map.of(
                "kind", "galera",
                "quote\"and\\slash", "line\nbreak\ttab\u0001",
                "nodes", List.of(Map.of("index", 1L), Arrays.asList(true, null, 2.5))));
    assertThat(written).doesNotContain("\n");
  }

  @Test
  void rejectsMalformedInputWithItsOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 7");
    assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("trailing");
    assertThatThrownBy(() -> Json.parse("\"open")).hasMessageContaining("unterminated");
  }
}

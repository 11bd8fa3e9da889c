package io.ha4j.oslo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.oslo.NotificationEndpoint;
import io.ha4j.oslo.NotificationFilter;
import io.ha4j.oslo.NotificationResult;
import io.ha4j.oslo.Priority;
import io.ha4j.oslo.RequestContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationsTest {

  @Test
  void messageHasOslosFieldsWithUpperCasePriorityAndFormattedTimestamp() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-29T10:00:00.250Z"), ZoneOffset.UTC);

    Map<String, Object> m =
        NotifierImpl.message(
            "compute.host1",
            Priority.WARN,
            "compute.instance.create.end",
            Map.of("id", 7),
            Map.of("user_id", "u", "auth_token", "secret-token"),
            clock);

    assertThat(List.copyOf(m.keySet()))
        .containsExactly(
            "message_id",
            "publisher_id",
            "event_type",
            "priority",
            "payload",
            "timestamp",
            "_unique_id",
            "_context_user_id");
    assertThat(m.get("priority")).isEqualTo("WARN");
    assertThat(m.get("timestamp")).isEqualTo("2026-11-29 10:00:00.250000");
    assertThat((String) m.get("message_id")).matches("[0-9a-f-]{36}");
    assertThat(m.get("publisher_id")).isEqualTo("compute.host1");
    assertThat(m.toString()).doesNotContain("secret-token");
  }

  @Test
  void prioritiesParseInAnyCaseAndWarningIsWarn() {
    assertThat(Priority.parse("warning")).isEqualTo(Priority.WARN);
    assertThat(Priority.parse("Info")).isEqualTo(Priority.INFO);
    assertThat(Priority.SAMPLE.lowerName()).isEqualTo("sample");
  }

  @Test
  void listenerConsumesOnlyThePrioritiesAnEndpointOverrides() {
    NotificationEndpoint e =
        new NotificationEndpoint() {
          @Override
          public NotificationResult error(
              RequestContext c, String p, String t, Object payload, Map<String, Object> md) {
            return NotificationResult.HANDLED;
          }
        };

    assertThat(Listener.implementsPriority(e, Priority.ERROR)).isTrue();
    assertThat(Listener.implementsPriority(e, Priority.INFO)).isFalse();
  }

  @Test
  void filterMatchesAtTheStartOfStringValuesAsPythonsReMatch() {
    NotificationFilter f =
        NotificationFilter.builder()
            .publisherId("compute")
            .eventType("^compute\\.instance\\.")
            .context("project_id", "p1$")
            .build();
    RequestContext ctx = RequestContext.of(Map.of("project_id", "p1"));
    Map<String, Object> md = Map.of();

    assertThat(f.matches(ctx, "compute.host1", "compute.instance.create", md, null)).isTrue();
    assertThat(f.matches(ctx, "xcompute", "compute.instance.create", md, null)).isFalse();
    assertThat(f.matches(ctx, "compute.h", "volume.create", md, null)).isFalse();
    assertThat(f.matches(RequestContext.empty(), "compute", "compute.instance.x", md, null))
        .isFalse();
    assertThat(
            f.matches(
                RequestContext.of(Map.of("project_id", 5)),
                "compute",
                "compute.instance.x",
                md,
                null))
        .isFalse();
  }

  @Test
  void contextToStringMasksSecrets() {
    RequestContext c = RequestContext.of(Map.of("auth_token", "T0pSecret", "user_id", "bob"));

    assertThat(c.toString())
        .contains("user_id=bob")
        .contains("auth_token=***")
        .doesNotContain("T0pSecret");
  }
}

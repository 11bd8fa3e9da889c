package io.ha4j.oslo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import io.ha4j.oslo.RemoteException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {

  private static Map<String, Object> outer(byte[] body) {
    return Json.readMap(new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void envelopeHoldsVersionTwoAndTheInnerMessageAsAJsonString() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("method", "add");
    inner.put("args", Map.of("a", 40));

    Map<String, Object> env = outer(Wire.envelope(inner));

    assertThat(env).containsOnlyKeys("oslo.version", "oslo.message");
    assertThat(env.get("oslo.version")).isEqualTo("2.0");
    assertThat(env.get("oslo.message")).isInstanceOf(String.class);
    assertThat(Json.readMap((String) env.get("oslo.message")))
        .containsEntry("method", "add")
        .containsEntry("args", Map.of("a", 40));
  }

  @Test
  void unwrapReturnsTheInnerMessageAndKeepsUnicodeNullAndFloats() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("s", "héllo ✓ 日本");
    inner.put("n", null);
    inner.put("f", 0.1);
    inner.put("nested", Map.of("l", List.of(1, 2.5, "x")));

    Map<String, Object> back = Wire.unwrap(Wire.envelope(inner));

    assertThat(back).isEqualTo(inner);
    assertThat(back).containsKey("n");
  }

  @Test
  void unwrapTakesADictWithoutBothEnvelopeKeysAsABareMessage() {
    byte[] bare =
        "{\"oslo.version\": \"2.0\", \"event_type\": \"x\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(Wire.unwrap(bare)).containsEntry("event_type", "x").containsKey("oslo.version");
  }

  @Test
  void unwrapRejectsAnotherMajorOrAHigherMinorVersion() {
    for (String v : List.of("3.0", "2.1", "1.0")) {
      byte[] body =
          ("{\"oslo.version\": \"" + v + "\", \"oslo.message\": \"{}\"}")
              .getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> Wire.unwrap(body))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(v);
    }
  }

  @Test
  void unwrapRejectsANonObject() {
    assertThatThrownBy(() -> Wire.unwrap("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contextIsFlattenedIntoPrefixedFieldsAndUnpackedBack() {
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("method", "m");
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("user_id", "u1");
    ctx.put("roles", List.of("admin"));
    ctx.put("request_id", "req-1");

    Wire.packContext(msg, ctx);

    assertThat(msg)
        .containsEntry("_context_user_id", "u1")
        .containsEntry("_context_roles", List.of("admin"))
        .containsEntry("_context_request_id", "req-1");
    assertThat(Wire.unpackContext(msg)).isEqualTo(ctx);
    assertThat(msg).containsOnlyKeys("method");
  }

  @Test
  void notificationContextKeepsOnlyOslosWhitelist() {
    Map<String, Object> msg = new LinkedHashMap<>();

    Wire.packNotificationContext(
        msg, Map.of("user_id", "u", "auth_token", "T0ken", "global_request_id", "g", "x", 1));

    assertThat(msg).containsOnlyKeys("_context_user_id", "_context_global_request_id");
  }

  @Test
  void propertiesAreOslosWithExpirationOnlyForCalls() {
    AMQP.BasicProperties call = Wire.properties(Duration.ofSeconds(30));
    AMQP.BasicProperties cast = Wire.properties(null);

    assertThat(call.getContentType()).isEqualTo("application/json");
    assertThat(call.getContentEncoding()).isEqualTo("utf-8");
    assertThat(call.getDeliveryMode()).isEqualTo(2);
    assertThat(call.getPriority()).isZero();
    assertThat(call.getHeaders()).isEmpty();
    assertThat(call.getExpiration()).isEqualTo("30000");
    assertThat(call.getReplyTo()).isNull();
    assertThat(call.getCorrelationId()).isNull();
    assertThat(call.getMessageId()).isNull();
    assertThat(cast.getExpiration()).isNull();
  }

  @Test
  void requestCarriesNamespaceAndVersionOnlyWhenSet() {
    assertThat(Wire.request("m", Map.of("a", 1), null, null)).containsOnlyKeys("method", "args");
    assertThat(Wire.request("m", Map.of(), "ns", "1.3"))
        .containsEntry("namespace", "ns")
        .containsEntry("version", "1.3");
  }

  @Test
  void replyHasResultFailureEndingMsgIdAndUniqueIdWithNullsWritten() {
    String json = Json.write(Wire.reply("abc", null, null, true));

    Map<String, Object> r = Json.readMap(json);
    assertThat(r).containsOnlyKeys("result", "failure", "ending", "_msg_id", "_unique_id");
    assertThat(r.get("result")).isNull();
    assertThat(r.get("failure")).isNull();
    assertThat(r.get("ending")).isEqualTo(true);
    assertThat(r.get("_msg_id")).isEqualTo("abc");
    assertThat((String) r.get("_unique_id")).matches("[0-9a-f]{32}");
  }

  @Test
  void javaExceptionFailureHasSimpleClassPackageMessageAndTraceback() {
    Map<String, Object> f = Json.readMap(Wire.failureOf(new IllegalArgumentException("bad value")));

    assertThat(f).containsOnlyKeys("class", "module", "message", "tb", "args", "kwargs");
    assertThat(f.get("class")).isEqualTo("IllegalArgumentException");
    assertThat(f.get("module")).isEqualTo("java.lang");
    assertThat(f.get("message")).isEqualTo("bad value");
    assertThat(f.get("args")).isEqualTo(List.of("bad value"));
    assertThat(f.get("kwargs")).isEqualTo(Map.of());
    assertThat((List<?>) f.get("tb"))
        .first()
        .asString()
        .startsWith("java.lang.IllegalArgumentException: bad value");
    assertThat((List<?>) f.get("tb"))
        .anySatisfy(l -> assertThat(l).asString().contains("WireTest"));
  }

  @Test
  void dispatcherFailuresAreWordedAsOslos() {
    Map<String, Object> nsm = Json.readMap(Wire.noSuchMethod("frob"));
    Map<String, Object> uv = Json.readMap(Wire.unsupportedVersion("2.0", "frob"));

    assertThat(nsm.get("class")).isEqualTo("NoSuchMethod");
    assertThat(nsm.get("module")).isEqualTo("oslo_messaging.rpc.dispatcher");
    assertThat(nsm.get("message")).isEqualTo("Endpoint does not support RPC method frob");
    assertThat(uv.get("class")).isEqualTo("UnsupportedVersion");
    assertThat(uv.get("message"))
        .isEqualTo("Endpoint does not support RPC version 2.0. Attempted method: frob");
  }

  @Test
  void pythonFailureBecomesRemoteExceptionWithEveryField() {
    String failure =
        "{\"class\": \"ValueError\", \"module\": \"builtins\", \"message\": \"boom\","
            + " \"tb\": [\"Traceback (most recent call last):\\n\", \"ValueError: boom\\n\"],"
            + " \"args\": [\"boom\"], \"kwargs\": {}}";

    RemoteException e = Wire.remoteException(failure);

    assertThat(e.excType()).isEqualTo("ValueError");
    assertThat(e.module()).isEqualTo("builtins");
    assertThat(e.remoteMessage()).isEqualTo("boom");
    assertThat(e.traceback())
        .containsExactly("Traceback (most recent call last):\n", "ValueError: boom\n");
    assertThat(e.getMessage()).contains("ValueError").contains("boom");
  }

  @Test
  void versionCompatibilityFollowsOslosRule() {
    assertThat(Wire.versionCompatible("1.3", "1.0")).isTrue();
    assertThat(Wire.versionCompatible("1.3", "1.3")).isTrue();
    assertThat(Wire.versionCompatible("1.3", "1.4")).isFalse();
    assertThat(Wire.versionCompatible("1.3", "2.0")).isFalse();
    assertThat(Wire.versionCompatible("2.0", "1.0")).isFalse();
    assertThat(Wire.versionCompatible("1.3.1", "1.3.2")).isFalse();
    assertThat(Wire.versionCompatible("1.3.2", "1.3.1")).isTrue();
    assertThat(Wire.versionCompatible("1.4", "1.3.9")).isTrue();
    assertThat(Wire.versionCompatible(null, "7.0")).isTrue();
    assertThat(Wire.versionCompatible("1.0", null)).isFalse();
    assertThatThrownBy(() -> Wire.versionCompatible("1.0", "x.y"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timestampIsUtcWithMicrosecondsDroppedWhenZero() {
    assertThat(Wire.timestamp(Instant.parse("2026-11-29T20:40:01.123456789Z")))
        .isEqualTo("2026-11-29 20:40:01.123456");
    assertThat(Wire.timestamp(Instant.parse("2026-11-29T20:40:01.000050Z")))
        .isEqualTo("2026-11-29 20:40:01.000050");
    assertThat(Wire.timestamp(Instant.parse("2026-11-29T20:40:01Z")))
        .isEqualTo("2026-11-29 20:40:01");
    assertThat(Wire.timestamp(Instant.parse("2026-11-29T20:40:01.000000900Z")))
        .isEqualTo("2026-11-29 20:40:01");
  }

  @Test
  void uuidsHaveOslosShapes() {
    assertThat(Wire.uuidHex()).matches("[0-9a-f]{32}");
    assertThat(Wire.uuidDashed())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
  }
}

package io.ha4j.oslo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.oslo.Endpoint;
import io.ha4j.oslo.Param;
import io.ha4j.oslo.RequestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherTest {

  public static class Calc {
    public long add(long a, long b) {
      return a + b;
    }

    public String who(RequestContext ctx, @Param("greeting") String g) {
      return g + " " + ctx.userId();
    }

    public Object echo(Object value) {
      return value;
    }

    public double half(double x) {
      return x / 2;
    }

    public void fail(String why) {
      throw new IllegalStateException(why);
    }
  }

  @Endpoint(namespace = "admin", version = "1.3")
  public static class Admin {
    public String reset() {
      return "done";
    }
  }

  private final Dispatcher d = new Dispatcher(List.of(new Calc(), new Admin()));
  private final RequestContext ctx = RequestContext.of(Map.of("user_id", "alice"));

  @Test
  void bindsKeywordArgumentsByParameterName() {
    Dispatcher.Outcome o = d.dispatch(ctx, "add", Map.of("b", 2, "a", 40), null, null);

    assertThat(o.failure()).isNull();
    assertThat(o.result()).isEqualTo(42L);
  }

  @Test
  void passesTheContextAndHonoursParamNames() {
    assertThat(d.dispatch(ctx, "who", Map.of("greeting", "hi"), null, "1.0").result())
        .isEqualTo("hi alice");
  }

  @Test
  void passesJsonValuesThroughAndConvertsNumbers() {
    Map<String, Object> nested = Map.of("l", List.of(1, "x"));
    assertThat(d.dispatch(ctx, "echo", Map.of("value", nested), null, null).result())
        .isEqualTo(nested);
    assertThat(d.dispatch(ctx, "half", Map.of("x", 3), null, null).result()).isEqualTo(1.5);
  }

  @Test
  void unknownMethodOfACompatibleEndpointIsNoSuchMethod() {
    Dispatcher.Outcome o = d.dispatch(ctx, "frob", Map.of(), null, null);

    assertThat(Json.readMap(o.failure())).containsEntry("class", "NoSuchMethod");
  }

  @Test
  void noEndpointOfTheNamespaceOrVersionIsUnsupportedVersion() {
    assertThat(Json.readMap(d.dispatch(ctx, "reset", Map.of(), "admin", "1.4").failure()))
        .containsEntry("class", "UnsupportedVersion")
        .containsEntry(
            "message", "Endpoint does not support RPC version 1.4. Attempted method: reset");
    assertThat(Json.readMap(d.dispatch(ctx, "add", Map.of(), "other", null).failure()))
        .containsEntry("class", "UnsupportedVersion");
    assertThat(Json.readMap(d.dispatch(ctx, "add", Map.of(), null, "2.0").failure()))
        .containsEntry("class", "UnsupportedVersion");
  }

  @Test
  void namespaceAndCompatibleVersionReachTheEndpoint() {
    assertThat(d.dispatch(ctx, "reset", Map.of(), "admin", "1.2").result()).isEqualTo("done");
  }

  @Test
  void endpointExceptionBecomesAFailureNamedAfterItsClass() {
    Map<String, Object> f =
        Json.readMap(d.dispatch(ctx, "fail", Map.of("why", "no"), null, null).failure());

    assertThat(f).containsEntry("class", "IllegalStateException").containsEntry("message", "no");
    assertThat(f).containsEntry("module", "java.lang");
  }

  @Test
  void unexpectedOrMissingArgumentsAreFailures() {
    assertThat(d.dispatch(ctx, "add", Map.of("a", 1, "b", 2, "c", 3), null, null).failure())
        .contains("unexpected keyword argument 'c'");
    assertThat(d.dispatch(ctx, "add", Map.of("a", 1), null, null).failure())
        .contains("missing required keyword argument: 'b'");
    assertThat(d.dispatch(ctx, "add", Map.of("a", 1.5, "b", 1), null, null).failure())
        .contains("not an integer");
  }

  @Test
  void refusesAnEndpointWithOverloadedMethods() {
    class Overloaded {
      public void m(int a) {}

      public void m(String a) {}
    }

    assertThatThrownBy(() -> new Dispatcher(List.of(new Overloaded())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two public methods named m");
  }
}

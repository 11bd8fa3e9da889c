package io.ha4j.oslo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The request context of an RPC message or a notification: the {@code _context_*} fields of the
 * message without their prefix ({@code user_id}, {@code project_id}, {@code request_id}, {@code
 * roles}, …). Immutable; {@link #toString()} masks tokens, passwords and secrets.
 *
 * @since 0.1
 */
public final class RequestContext {

  private static final RequestContext EMPTY = new RequestContext(Map.of());

  private final Map<String, Object> values;

  private RequestContext(Map<String, Object> values) {
    this.values = values;
  }

  /** A context with these values (copied, order kept); {@code null} values are kept. */
  public static RequestContext of(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    return new RequestContext(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
  }

  /** The empty context. */
  public static RequestContext empty() {
    return EMPTY;
  }

  /** Every value, in message order. */
  public Map<String, Object> values() {
    return values;
  }

  /** One value, or {@code null}. */
  public Object get(String key) {
    return values.get(key);
  }

  /** {@code user_id}, or {@code null}. */
  public String userId() {
    return string("user_id");
  }

  /** {@code project_id}, or {@code null}. */
  public String projectId() {
    return string("project_id");
  }

  /** {@code request_id}, or {@code null}. */
  public String requestId() {
    return string("request_id");
  }

  private String string(String key) {
    Object v = values.get(key);
    return v == null ? null : v.toString();
  }

  /** Whether a context key holds a secret (never shown by {@code toString()}). */
  static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("token") || k.contains("password") || k.contains("secret");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestContext r && r.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("RequestContext{");
    values.forEach(
        (k, v) ->
            sb.append(k)
                .append('=')
                .append(isSecret(k) && v != null ? "***" : String.valueOf(v))
                .append(", "));
    if (!values.isEmpty()) {
      sb.setLength(sb.length() - 2);
    }
    return sb.append('}').toString();
  }
}

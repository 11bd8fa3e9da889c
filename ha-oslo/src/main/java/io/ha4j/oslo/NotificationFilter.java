package io.ha4j.oslo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Selects notifications by regular expressions, as oslo's {@code NotificationFilter}: each
 * expression must match at the start of the value ({@code re.match}); a context, metadata or
 * payload key that is missing or not a string does not match. Immutable.
 *
 * @since 0.1
 */
public final class NotificationFilter {

  private final Pattern publisherId;
  private final Pattern eventType;
  private final Map<String, Pattern> context;
  private final Map<String, Pattern> metadata;
  private final Map<String, Pattern> payload;

  private NotificationFilter(Builder b) {
    this.publisherId = b.publisherId;
    this.eventType = b.eventType;
    this.context = Map.copyOf(b.context);
    this.metadata = Map.copyOf(b.metadata);
    this.payload = Map.copyOf(b.payload);
  }

  /** A builder of a filter that matches everything. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether a notification passes. */
  public boolean matches(
      RequestContext ctx,
      String publisherId,
      String eventType,
      Map<String, Object> metadata,
      Object payload) {
    if (mismatch(publisherId, this.publisherId) || mismatch(eventType, this.eventType)) {
      return false;
    }
    if (mismatch(ctx.values(), context) || mismatch(metadata, this.metadata)) {
      return false;
    }
    if (!this.payload.isEmpty()) {
      if (!(payload instanceof Map<?, ?> p)) {
        return false;
      }
      return !mismatch(p, this.payload);
    }
    return true;
  }

  private static boolean mismatch(Object value, Pattern p) {
    if (p == null) {
      return false;
    }
    return !(value instanceof String s) || !p.matcher(s).lookingAt();
  }

  private static boolean mismatch(Map<?, ?> data, Map<String, Pattern> patterns) {
    for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
      if (!data.containsKey(e.getKey()) || mismatch(data.get(e.getKey()), e.getValue())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "NotificationFilter[publisher_id="
        + publisherId
        + ", event_type="
        + eventType
        + ", context="
        + context.keySet()
        + ", metadata="
        + metadata.keySet()
        + ", payload="
        + payload.keySet()
        + "]";
  }

  /**
   * Builds a {@link NotificationFilter}; reusable.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Pattern publisherId;
    private Pattern eventType;
    private final Map<String, Pattern> context = new LinkedHashMap<>();
    private final Map<String, Pattern> metadata = new LinkedHashMap<>();
    private final Map<String, Pattern> payload = new LinkedHashMap<>();

    private Builder() {}

    /** A regular expression {@code publisher_id} must match. */
    public Builder publisherId(String regex) {
      this.publisherId = Pattern.compile(Objects.requireNonNull(regex, "publisherId"));
      return this;
    }

    /** A regular expression {@code event_type} must match. */
    public Builder eventType(String regex) {
      this.eventType = Pattern.compile(Objects.requireNonNull(regex, "eventType"));
      return this;
    }

    /** A regular expression a context value must match. */
    public Builder context(String key, String regex) {
      context.put(Objects.requireNonNull(key, "key"), Pattern.compile(regex));
      return this;
    }

    /** A regular expression a metadata value ({@code message_id}, {@code timestamp}) must match. */
    public Builder metadata(String key, String regex) {
      metadata.put(Objects.requireNonNull(key, "key"), Pattern.compile(regex));
      return this;
    }

    /** A regular expression a top-level payload value must match. */
    public Builder payload(String key, String regex) {
      payload.put(Objects.requireNonNull(key, "key"), Pattern.compile(regex));
      return this;
    }

    /** The filter. */
    public NotificationFilter build() {
      return new NotificationFilter(this);
    }
  }
}

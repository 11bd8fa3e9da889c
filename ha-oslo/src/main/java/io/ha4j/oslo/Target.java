package io.ha4j.oslo;

import java.util.Objects;

/**
 * Where RPC messages and notifications go, as oslo.messaging's {@code Target}. Immutable; the
 * {@code with*} methods return copies.
 *
 * @param exchange exchange, or {@code null} for {@code control_exchange}
 * @param topic topic, e.g. {@code compute}
 * @param namespace endpoint namespace, or {@code null}
 * @param version API version {@code X.Y}, or {@code null} (servers: {@code 1.0})
 * @param server one server of the topic, or {@code null} for any
 * @param fanout whether casts go to every server of the topic
 * @since 0.1
 */
public record Target(
    String exchange,
    String topic,
    String namespace,
    String version,
    String server,
    boolean fanout) {

  /** Checks the components. */
  public Target {
    Objects.requireNonNull(topic, "topic");
    if (topic.isEmpty()) {
      throw new IllegalArgumentException("topic must not be empty");
    }
    if (version != null && !version.matches("\\d+\\.\\d+(\\.\\d+)?")) {
      throw new IllegalArgumentException("version must be X.Y, was '" + version + "'");
    }
  }

  /** A target for a topic on {@code control_exchange}. */
  public static Target topic(String topic) {
    return new Target(null, topic, null, null, null, false);
  }

  /** A copy for one server. */
  public Target withServer(String server) {
    return new Target(exchange, topic, namespace, version, server, fanout);
  }

  /** A copy with another namespace. */
  public Target withNamespace(String namespace) {
    return new Target(exchange, topic, namespace, version, server, fanout);
  }

  /** A copy with another version. */
  public Target withVersion(String version) {
    return new Target(exchange, topic, namespace, version, server, fanout);
  }

  /** A copy with another exchange. */
  public Target withExchange(String exchange) {
    return new Target(exchange, topic, namespace, version, server, fanout);
  }

  /** A copy that fans out or not. */
  public Target withFanout(boolean fanout) {
    return new Target(exchange, topic, namespace, version, server, fanout);
  }
}

package io.ha4j.amqp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link HaConnectionFactory#probe}: one connection attempt to one RabbitMQ host,
 * with the factory's credentials, virtual host, TLS, SASL mechanism, heartbeat and time-outs, and
 * what the broker reported. Immutable; never contains a password.
 *
 * @since 0.1
 */
public final class HostProbe {

  private final String host;
  private final Duration duration;
  private final String serverVersion;
  private final String clusterName;
  private final ConnectFailure failure;

  private HostProbe(
      String host,
      Duration duration,
      String serverVersion,
      String clusterName,
      ConnectFailure failure) {
    this.host = Objects.requireNonNull(host, "host");
    this.duration = Objects.requireNonNull(duration, "duration");
    this.serverVersion = serverVersion;
    this.clusterName = clusterName;
    this.failure = failure;
  }

  /**
   * A host that accepted the connection.
   *
   * @param host {@code host:port}
   * @param duration time to connect (TCP, TLS, AMQP handshake, authentication)
   * @param serverVersion the {@code version} server property, or null when not reported
   * @param clusterName the {@code cluster_name} server property, or null when not reported
   */
  public static HostProbe connected(
      String host, Duration duration, String serverVersion, String clusterName) {
    return new HostProbe(host, duration, serverVersion, clusterName, null);
  }

  /**
   * A host that could not be connected to.
   *
   * @param host {@code host:port}
   * @param duration time until the attempt failed
   * @param failure why
   */
  public static HostProbe failed(String host, Duration duration, ConnectFailure failure) {
    return new HostProbe(host, duration, null, null, Objects.requireNonNull(failure, "failure"));
  }

  /** {@code host:port} probed. */
  public String host() {
    return host;
  }

  /** Whether the connection was opened (reachable, TLS accepted, authenticated, vhost allowed). */
  public boolean ok() {
    return failure == null;
  }

  /**
   * Whether a RabbitMQ broker answered on the port: true when {@link #ok()}, and when the broker
   * refused the credentials or the virtual host (the node is up, the configuration is wrong).
   */
  public boolean reachable() {
    return failure == null || failure.kind().brokerAnswered();
  }

  /** Time to connect, or until the attempt failed. */
  public Duration duration() {
    return duration;
  }

  /** The broker's version (server property {@code version}), when connected. */
  public Optional<String> serverVersion() {
    return Optional.ofNullable(serverVersion);
  }

  /** The broker's cluster name (server property {@code cluster_name}), when connected. */
  public Optional<String> clusterName() {
    return Optional.ofNullable(clusterName);
  }

  /** Why the attempt failed; empty when {@link #ok()}. */
  public Optional<ConnectFailure> failure() {
    return Optional.ofNullable(failure);
  }

  /** One sentence, e.g. {@code 10.0.0.1:5672 ok in 12 ms, RabbitMQ 3.10.8, cluster rabbit@a}. */
  @Override
  public String toString() {
    if (failure != null) {
      return host
          + " failed after "
          + duration.toMillis()
          + " ms: "
          + failure.description()
          + " ("
          + failure.kind()
          + ")";
    }
    return host
        + " ok in "
        + duration.toMillis()
        + " ms, RabbitMQ "
        + (serverVersion == null ? "?" : serverVersion)
        + ", cluster "
        + (clusterName == null ? "?" : clusterName);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostProbe p
        && host.equals(p.host)
        && duration.equals(p.duration)
        && Objects.equals(serverVersion, p.serverVersion)
        && Objects.equals(clusterName, p.clusterName)
        && Objects.equals(failure, p.failure);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, duration, serverVersion, clusterName, failure);
  }
}

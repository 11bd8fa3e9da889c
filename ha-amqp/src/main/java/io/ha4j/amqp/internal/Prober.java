package io.ha4j.amqp.internal;

import com.rabbitmq.client.Connection;
import io.ha4j.amqp.ConnectFailure;
import io.ha4j.amqp.HostProbe;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/** One connection attempt to one host, closed at once: what {@code ha4j check} reports. */
public final class Prober {

  private Prober() {}

  /**
   * Connects through {@code connector} (host index 0), reads the server properties and closes.
   *
   * @param host {@code host:port}, for the result
   */
  public static HostProbe probe(Connector connector, String host, LongSupplier nanoTime) {
    return probe(connector, host, "", nanoTime);
  }

  /**
   * As {@link #probe(Connector, String, LongSupplier)}; a refusal names {@code user} (empty for a
   * client certificate) and the host.
   */
  public static HostProbe probe(
      Connector connector, String host, String user, LongSupplier nanoTime) {
    long t0 = nanoTime.getAsLong();
    Connection c;
    try {
      c = connector.connect(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HostProbe.failed(host, since(t0, nanoTime), ConnectFailure.classify(e, user, host));
    } catch (Exception e) {
      return HostProbe.failed(host, since(t0, nanoTime), ConnectFailure.classify(e, user, host));
    }
    try {
      Duration took = since(t0, nanoTime);
      Map<String, Object> props = c.getServerProperties();
      return HostProbe.connected(
          host, took, property(props, "version"), property(props, "cluster_name"));
    } finally {
      Channels.closeQuietly(c);
    }
  }

  private static Duration since(long t0, LongSupplier nanoTime) {
    return Duration.ofNanos(nanoTime.getAsLong() - t0);
  }

  /** amqp-client gives string properties as {@code LongString}; their toString is the text. */
  private static String property(Map<String, Object> props, String name) {
    Object v = props == null ? null : props.get(name);
    return v == null ? null : v.toString();
  }
}

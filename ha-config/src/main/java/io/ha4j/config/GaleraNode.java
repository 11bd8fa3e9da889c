package io.ha4j.config;

import io.ha4j.config.internal.UrlParts;

/**
 * One Galera node: address, MySQL port and writer priority (lower wins; negative means never the
 * writer). Nodes with the same priority are ordered as configured. Immutable.
 *
 * @param host host name or address
 * @param port MySQL port
 * @param priority writer priority
 * @since 0.1
 */
public record GaleraNode(String host, int port, int priority) {

  /** Checks the components. */
  public GaleraNode {
    UrlParts.requireHost(host);
    UrlParts.requirePort(port);
  }

  /**
   * Parses {@code host[:port][:priority]} ({@code [v6]:port:priority} for IPv6).
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static GaleraNode parse(String s) {
    String t = s.strip();
    int priority = 0;
    int last = t.lastIndexOf(':');
    int close = t.lastIndexOf(']');
    boolean twoColons = last > close && t.lastIndexOf(':', last - 1) > close;
    if (twoColons) {
      String p = t.substring(last + 1);
      if (!p.matches("-?\\d{1,9}")) {
        throw new IllegalArgumentException(
            "'" + s + "': priority '" + p + "' is not an integer (expected host:port:priority)");
      }
      priority = Integer.parseInt(p);
      t = t.substring(0, last);
    }
    UrlParts.HostPort hp = UrlParts.hostPort(t, DatabaseUrl.DEFAULT_PORT);
    return new GaleraNode(hp.host(), hp.port(), priority);
  }

  /** {@code host:port}, IPv6 in brackets. */
  public String hostAndPort() {
    return UrlParts.render(host, port);
  }

  /** {@code host:port} and the priority when it is not 0. */
  @Override
  public String toString() {
    return hostAndPort() + (priority == 0 ? "" : " (priority " + priority + ")");
  }
}

package io.ha4j.config;

import io.ha4j.config.internal.UrlParts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An oslo.messaging {@code transport_url}: {@code
 * rabbit://[user[:pass]@]host[:port][,[user[:pass]@]host[:port]...]/[vhost][?opt=value&...]}.
 *
 * <p>User names and passwords are percent-decoded ({@code %40} is {@code @}, {@code %3A} is {@code
 * :}, {@code %2F} is {@code /}, {@code %25} is {@code %}); a raw {@code /}, {@code @} or {@code :}
 * in a password also works, only {@code ,} must be encoded. The virtual host is the path without
 * its first slash, decoded ({@code //} and {@code /%2F} are {@code /}); no path means {@code /}.
 * Immutable; {@link #toString()} masks every password. A parse result, made by {@link
 * #parse(String)}: it has no builder, since a URL is written, not assembled in code (settings built
 * in code go through {@link AmqpSettings#builder()} and {@link AmqpHost#builder()}).
 *
 * @param scheme {@code rabbit} or {@code kombu}
 * @param hosts the hosts in the order written; credentials may be null when a host has none
 * @param virtualHost the virtual host, or empty when the URL names none
 * @param query the query parameters in the order written (a repeated name keeps its last value)
 * @since 0.1
 */
public record TransportUrl(
    String scheme, List<Host> hosts, Optional<String> virtualHost, Map<String, String> query) {

  /**
   * One host of the URL as written (a parse result, hence no builder; {@link AmqpHost} is the
   * checked, buildable form).
   *
   * @param host host name or address
   * @param port port, {@link AmqpHost#DEFAULT_PORT} when not written
   * @param username user name, or null
   * @param password password, or null
   */
  public record Host(String host, int port, String username, String password) {
    @Override
    public String toString() {
      return (username == null ? "" : username + (password == null ? "" : ":***") + "@")
          + UrlParts.render(host, port);
    }
  }

  /** Copies the lists. */
  public TransportUrl {
    hosts = List.copyOf(hosts);
    query = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(query));
  }

  /**
   * Parses a transport URL.
   *
   * @throws IllegalArgumentException saying what is wrong; the message never contains a password
   */
  public static TransportUrl parse(String url) {
    String s = url.strip();
    int sep = s.indexOf("://");
    if (sep <= 0) {
      throw new IllegalArgumentException(
          "expected a URL of the form rabbit://user:pass@host:port/vhost");
    }
    String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
    if (!scheme.equals("rabbit") && !scheme.equals("kombu")) {
      throw new IllegalArgumentException(
          "unsupported scheme '" + scheme + "': expected rabbit:// (or kombu://)");
    }
    String rest = s.substring(sep + 3);
    // The authority ends at the first '/' or '?' after the last '@', so that a raw '/' in a
    // password does not cut it short (oslo.messaging 14.0.3 breaks there).
    int at = rest.lastIndexOf('@');
    int end = rest.length();
    for (int i = at + 1; i < rest.length(); i++) {
      if (rest.charAt(i) == '/' || rest.charAt(i) == '?') {
        end = i;
        break;
      }
    }
    String authority = rest.substring(0, end);
    String tail = rest.substring(end);
    String path = tail;
    String rawQuery = null;
    int q = tail.indexOf('?');
    if (q >= 0) {
      path = tail.substring(0, q);
      rawQuery = tail.substring(q + 1);
    }
    List<Host> hosts = new ArrayList<>();
    for (String h : authority.split(",", -1)) {
      if (h.isEmpty()) {
        continue;
      }
      String user = null;
      String pass = null;
      String hp = h;
      int a = h.lastIndexOf('@');
      if (a >= 0) {
        String userinfo = h.substring(0, a);
        hp = h.substring(a + 1);
        int colon = userinfo.indexOf(':');
        user = UrlParts.decode(colon < 0 ? userinfo : userinfo.substring(0, colon));
        pass = colon < 0 ? null : UrlParts.decode(userinfo.substring(colon + 1));
      }
      UrlParts.HostPort parsed;
      try {
        parsed = UrlParts.hostPort(hp, AmqpHost.DEFAULT_PORT);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad host " + e.getMessage(), e);
      }
      hosts.add(new Host(parsed.host(), parsed.port(), user, pass));
    }
    Optional<String> vhost =
        path.isEmpty() || path.equals("/")
            ? Optional.empty()
            : Optional.of(UrlParts.decode(path.substring(1)));
    return new TransportUrl(scheme, hosts, vhost, UrlParts.query(rawQuery));
  }

  /** The URL with every password replaced by {@code ***}. */
  @Override
  public String toString() {
    return scheme
        + "://"
        + hosts.stream().map(Host::toString).collect(Collectors.joining(","))
        + "/"
        + virtualHost.map(v -> v.equals("/") ? "%2F" : v).orElse("")
        + (query.isEmpty()
            ? ""
            : "?"
                + query.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("&")));
  }

  /**
   * Masks the password of every host in a URL-shaped string without parsing it fully (for showing
   * invalid input): everything between {@code ://} or {@code ,} and the next {@code @} after a
   * {@code :} is replaced.
   */
  public static String mask(String url) {
    if (url == null) {
      return null;
    }
    int sep = url.indexOf("://");
    if (sep < 0) {
      return url.indexOf('@') >= 0 ? "***" : url;
    }
    String rest = url.substring(sep + 3);
    int at = rest.lastIndexOf('@');
    if (at < 0) {
      return url;
    }
    StringBuilder b = new StringBuilder(url.substring(0, sep + 3));
    int end = rest.length();
    for (int i = at + 1; i < rest.length(); i++) {
      if (rest.charAt(i) == '/' || rest.charAt(i) == '?') {
        end = i;
        break;
      }
    }
    List<String> parts = new ArrayList<>();
    for (String h : rest.substring(0, end).split(",", -1)) {
      int a = h.lastIndexOf('@');
      if (a < 0) {
        parts.add(h);
        continue;
      }
      String userinfo = h.substring(0, a);
      int colon = userinfo.indexOf(':');
      parts.add((colon < 0 ? userinfo : userinfo.substring(0, colon) + ":***") + h.substring(a));
    }
    return b.append(String.join(",", parts)).append(rest.substring(end)).toString();
  }
}

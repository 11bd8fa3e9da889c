package io.ha4j.config;

import io.ha4j.config.internal.TransportUrlParser;
import io.ha4j.config.internal.UrlParts;
import java.util.ArrayList;
import java.util.List;
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
   * @throws IllegalArgumentException saying everything that is wrong (problems separated by {@code
   *     ; }); the message never contains a password
   */
  public static TransportUrl parse(String url) {
    TransportUrlParser.Parsed parsed = TransportUrlParser.parse(url);
    if (parsed.url() == null) {
      throw new IllegalArgumentException(String.join("; ", parsed.problems()));
    }
    return parsed.url();
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

package io.ha4j.config.internal;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.TransportUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a {@code transport_url} and collects every problem in it instead of stopping at the first,
 * so that a URL with a wrong scheme and a bad port shows both at once. {@link TransportUrl#parse}
 * throws with all of them; the resolver reports each as an error of its own.
 */
public final class TransportUrlParser {

  private TransportUrlParser() {}

  /**
   * What the parse found.
   *
   * @param url the URL, or null when any problem was found
   * @param problems what is wrong, in the order of the URL; never containing a password
   */
  public record Parsed(TransportUrl url, List<String> problems) {

    /** Copies the list. */
    public Parsed {
      problems = List.copyOf(problems);
    }
  }

  /** Parses {@code url}, reporting every problem. */
  public static Parsed parse(String url) {
    List<String> problems = new ArrayList<>();
    String s = url.strip();
    int sep = s.indexOf("://");
    if (sep <= 0) {
      return new Parsed(
          null, List.of("expected a URL of the form rabbit://user:pass@host:port/vhost"));
    }
    String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
    if (!scheme.equals("rabbit") && !scheme.equals("kombu")) {
      problems.add("unsupported scheme '" + scheme + "': expected rabbit:// (or kombu://)");
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
    List<TransportUrl.Host> hosts = new ArrayList<>();
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
      try {
        UrlParts.HostPort parsed = UrlParts.hostPort(hp, AmqpHost.DEFAULT_PORT);
        hosts.add(new TransportUrl.Host(parsed.host(), parsed.port(), user, pass));
      } catch (IllegalArgumentException e) {
        problems.add("bad host " + e.getMessage());
      }
    }
    Optional<String> vhost =
        path.isEmpty() || path.equals("/")
            ? Optional.empty()
            : Optional.of(UrlParts.decode(path.substring(1)));
    Map<String, String> query = Map.of();
    try {
      query = UrlParts.query(rawQuery);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    return problems.isEmpty()
        ? new Parsed(new TransportUrl(scheme, hosts, vhost, query), problems)
        : new Parsed(null, problems);
  }
}

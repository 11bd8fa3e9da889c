package io.ha4j.config;

import io.ha4j.config.internal.UrlParts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An oslo.db {@code [database] connection} URL for MySQL/MariaDB: {@code
 * mysql+pymysql://user:pass@host[:port][,host[:port]...]/database[?param=value&...]}. ha4j also
 * accepts a comma-separated host list. The dialect must be {@code mysql} or {@code mariadb} (any
 * {@code +driver}). Immutable; {@link #toString()} masks the password. A parse result, made by
 * {@link #parse(String)}: it has no builder, since a URL is written, not assembled in code
 * (settings built in code go through {@link GaleraSettings#builder()}).
 *
 * @param dialect e.g. {@code mysql+pymysql}
 * @param username user name, or empty
 * @param password password, or empty
 * @param nodes the hosts in the order written (port 3306 when not written)
 * @param database the database (schema) name, or empty
 * @param parameters the query parameters (passed to the driver)
 * @since 0.1
 */
public record DatabaseUrl(
    String dialect,
    String username,
    String password,
    List<GaleraNode> nodes,
    String database,
    Map<String, String> parameters) {

  /** The MySQL port assumed when a host has none: {@value}. */
  public static final int DEFAULT_PORT = 3306;

  /** Copies the collections. */
  public DatabaseUrl {
    nodes = List.copyOf(nodes);
    parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
  }

  /**
   * Parses a database URL.
   *
   * @throws IllegalArgumentException saying what is wrong; never contains the password
   */
  public static DatabaseUrl parse(String url) {
    String s = url.strip();
    int sep = s.indexOf("://");
    if (sep <= 0) {
      throw new IllegalArgumentException(
          "expected a URL of the form mysql+pymysql://user:pass@host:port/database");
    }
    String dialect = s.substring(0, sep).toLowerCase(Locale.ROOT);
    String base = dialect.contains("+") ? dialect.substring(0, dialect.indexOf('+')) : dialect;
    if (!base.equals("mysql") && !base.equals("mariadb")) {
      throw new IllegalArgumentException(
          "unsupported database '"
              + dialect
              + "': ha4j talks to MariaDB Galera; expected mysql+pymysql:// (or mysql://, "
              + "mariadb://)");
    }
    String rest = s.substring(sep + 3);
    int at = rest.lastIndexOf('@');
    int end = rest.length();
    for (int i = at + 1; i < rest.length(); i++) {
      if (rest.charAt(i) == '/' || rest.charAt(i) == '?') {
        end = i;
        break;
      }
    }
    String user = "";
    String pass = "";
    if (at >= 0 && at < end) {
      String userinfo = rest.substring(0, at);
      int colon = userinfo.indexOf(':');
      user = UrlParts.decode(colon < 0 ? userinfo : userinfo.substring(0, colon));
      pass = colon < 0 ? "" : UrlParts.decode(userinfo.substring(colon + 1));
    }
    String hostList = rest.substring(at >= 0 && at < end ? at + 1 : 0, end);
    List<GaleraNode> nodes = new ArrayList<>();
    for (String h : hostList.split(",", -1)) {
      if (h.isBlank()) {
        continue;
      }
      UrlParts.HostPort hp;
      try {
        hp = UrlParts.hostPort(h.strip(), DEFAULT_PORT);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad host " + e.getMessage(), e);
      }
      nodes.add(new GaleraNode(hp.host(), hp.port(), 0));
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no host: expected user:pass@host[:port]/database");
    }
    String tail = rest.substring(end);
    String path = tail;
    String q = null;
    int qi = tail.indexOf('?');
    if (qi >= 0) {
      path = tail.substring(0, qi);
      q = tail.substring(qi + 1);
    }
    String db = path.isEmpty() ? "" : UrlParts.decode(path.substring(1));
    return new DatabaseUrl(dialect, user, pass, nodes, db, UrlParts.query(q));
  }

  /** The URL with the password replaced by {@code ***}. */
  @Override
  public String toString() {
    return dialect
        + "://"
        + (username.isEmpty() ? "" : username + (password.isEmpty() ? "" : ":***") + "@")
        + nodes.stream().map(GaleraNode::hostAndPort).collect(Collectors.joining(","))
        + "/"
        + database
        + (parameters.isEmpty()
            ? ""
            : "?"
                + parameters.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("&")));
  }
}

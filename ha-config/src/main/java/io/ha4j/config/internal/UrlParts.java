package io.ha4j.config.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Pieces of URL parsing shared by the transport and database URLs. */
public final class UrlParts {

  private UrlParts() {}

  /** The smallest TCP port: {@value}. */
  public static final int MIN_PORT = 1;

  /** The largest TCP port: {@value}. */
  public static final int MAX_PORT = 65535;

  /**
   * Checks a host name given in code (the one place for this rule of {@code AmqpHost} and {@code
   * GaleraNode}).
   *
   * @throws NullPointerException when null
   * @throws IllegalArgumentException when blank
   */
  public static String requireHost(String host) {
    java.util.Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    return host;
  }

  /** Whether a number is a TCP port. */
  public static boolean isPort(int port) {
    return port >= MIN_PORT && port <= MAX_PORT;
  }

  /**
   * Checks a port given in code.
   *
   * @throws IllegalArgumentException naming the port when it is not 1..65535
   */
  public static int requirePort(int port) {
    if (!isPort(port)) {
      throw new IllegalArgumentException(
          "port out of range: expected a value from "
              + MIN_PORT
              + " to "
              + MAX_PORT
              + ", was "
              + port);
    }
    return port;
  }

  /** A parsed {@code host[:port]}. */
  public record HostPort(String host, int port) {}

  /**
   * Percent-decodes like Python's {@code urllib.parse.unquote}: valid {@code %XX} escapes become
   * bytes (UTF-8), anything else, including a lone {@code %}, is kept as it is.
   */
  public static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 1 < bytes.length && hex(bytes[i + 1]) >= 0) {
        int lo = i + 2 < bytes.length ? hex(bytes[i + 2]) : -1;
        if (lo >= 0) {
          out.write(hex(bytes[i + 1]) * 16 + lo);
          i += 2;
          continue;
        }
      }
      out.write(bytes[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    return Character.digit((char) b, 16);
  }

  /**
   * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}.
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static HostPort hostPort(String s, int defaultPort) {
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + s + "': IPv6 address without closing ]");
      }
      host = s.substring(1, close);
      String after = s.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException("'" + s + "': expected ':port' after ]");
        }
        port = after.substring(1);
      }
    } else {
      int colon = s.indexOf(':');
      if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException(
            "'" + s + "': an IPv6 address must be written in brackets, as [addr]:port");
      }
      host = colon < 0 ? s : s.substring(0, colon);
      port = colon < 0 ? null : s.substring(colon + 1);
    }
    host = decode(host);
    if (host.isBlank()) {
      throw new IllegalArgumentException("'" + s + "': the host name is empty");
    }
    if (!host.matches("[A-Za-z0-9._:%\\-]+")) {
      throw new IllegalArgumentException("'" + s + "': '" + host + "' is not a valid host name");
    }
    return new HostPort(host, port == null ? defaultPort : port(s, port));
  }

  private static int port(String whole, String port) {
    if (!port.matches("\\d{1,5}")) {
      throw new IllegalArgumentException(
          "'" + whole + "': port '" + port + "' is not a number from 1 to 65535");
    }
    int p = Integer.parseInt(port);
    if (!isPort(p)) {
      throw new IllegalArgumentException(
          "'" + whole + "': port " + p + " is out of range (1 to 65535)");
    }
    return p;
  }

  /** Parses {@code a=b&c=d}; {@code +} is a space; a later repeat wins. */
  public static Map<String, String> query(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    if (q == null || q.isEmpty()) {
      return out;
    }
    for (String part : q.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "query parameter '" + decode(part) + "' is not of the form name=value");
      }
      out.put(
          decode(part.substring(0, eq).replace('+', ' ')),
          decode(part.substring(eq + 1).replace('+', ' ')));
    }
    return out;
  }

  /** Renders a host for a URL: IPv6 in brackets. */
  public static String render(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}

package io.ha4j.oslo.internal;

import com.rabbitmq.client.AMQP;
import io.ha4j.oslo.RemoteException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The oslo.messaging wire format (see OSLO-WIRE.md): envelope, context, replies, failures. */
public final class Wire {

  /** Envelope key of the version. */
  public static final String VERSION_KEY = "oslo.version";

  /** Envelope key of the inner message. */
  public static final String MESSAGE_KEY = "oslo.message";

  /** The envelope version sent. */
  public static final String ENVELOPE_VERSION = "2.0";

  /** Prefix of context entries. */
  public static final String CONTEXT_PREFIX = "_context_";

  /** Content type oslo requires. */
  public static final String CONTENT_TYPE = "application/json";

  /** Module oslo's dispatcher failures come from. */
  public static final String DISPATCHER_MODULE = "oslo_messaging.rpc.dispatcher";

  /** Context keys a notification carries (oslo's {@code _sanitize_context} whitelist). */
  public static final Set<String> NOTIFICATION_CONTEXT_KEYS =
      Set.of(
          "user_id",
          "project_id",
          "domain_id",
          "user_domain_id",
          "project_domain_id",
          "is_admin",
          "request_id",
          "roles",
          "user_name",
          "project_name",
          "domain_name",
          "user_domain_name",
          "project_domain_name",
          "service_user_id",
          "service_user_domain_id",
          "service_user_domain_name",
          "service_project_id",
          "service_project_name",
          "service_project_domain_id",
          "service_project_domain_name",
          "service_roles",
          "global_request_id",
          "system_scope",
          "user",
          "domain",
          "user_domain",
          "project_domain");

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Wire() {}

  /** A random uuid4 as 32 hex digits (oslo's {@code uuid.uuid4().hex}). */
  public static String uuidHex() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** A random uuid4 with dashes (notification {@code message_id}). */
  public static String uuidDashed() {
    return UUID.randomUUID().toString();
  }

  /** Wraps an inner message: {@code {"oslo.version": "2.0", "oslo.message": "<json>"}}. */
  public static byte[] envelope(Map<String, Object> inner) {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put(VERSION_KEY, ENVELOPE_VERSION);
    env.put(MESSAGE_KEY, Json.write(inner));
    return Json.write(env).getBytes(StandardCharsets.UTF_8);
  }

  /** A bare (version 1.0) message, as the {@code messaging} notification driver sends. */
  public static byte[] bare(Map<String, Object> inner) {
    return Json.write(inner).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The inner message of a body: the envelope's message, or the body itself when it is an object
   * without both envelope keys (version 1.0).
   *
   * @throws IllegalArgumentException when the body is not a JSON object, or the envelope version
   *     has another major or a higher minor than 2.0
   */
  public static Map<String, Object> unwrap(byte[] body) {
    Map<String, Object> outer = Json.readMap(new String(body, StandardCharsets.UTF_8));
    if (!(outer.containsKey(VERSION_KEY) && outer.containsKey(MESSAGE_KEY))) {
      return outer;
    }
    String version = String.valueOf(outer.get(VERSION_KEY));
    if (!versionCompatible(ENVELOPE_VERSION, version)) {
      throw new IllegalArgumentException("unsupported oslo.version " + version);
    }
    Object inner = outer.get(MESSAGE_KEY);
    if (!(inner instanceof String s)) {
      throw new IllegalArgumentException("oslo.message is not a string");
    }
    return Json.readMap(s);
  }

  /** Adds a context as {@code _context_<key>} entries. */
  public static void packContext(Map<String, Object> msg, Map<String, ?> context) {
    context.forEach((k, v) -> msg.put(CONTEXT_PREFIX + k, v));
  }

  /** Adds the whitelisted keys of a context, as oslo does for notifications. */
  public static void packNotificationContext(Map<String, Object> msg, Map<String, ?> context) {
    context.forEach(
        (k, v) -> {
          if (NOTIFICATION_CONTEXT_KEYS.contains(k)) {
            msg.put(CONTEXT_PREFIX + k, v);
          }
        });
  }

  /** Removes the {@code _context_*} entries of a message and returns them without the prefix. */
  public static Map<String, Object> unpackContext(Map<String, Object> msg) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, Object>> it = msg.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Object> e = it.next();
      if (e.getKey().startsWith(CONTEXT_PREFIX)) {
        ctx.put(e.getKey().substring(CONTEXT_PREFIX.length()), e.getValue());
        it.remove();
      }
    }
    return ctx;
  }

  /**
   * Properties of every oslo publish; {@code expiration} (ms) for RPC calls only.
   *
   * @param expiration call timeout, or {@code null}
   */
  public static AMQP.BasicProperties properties(Duration expiration) {
    AMQP.BasicProperties.Builder b =
        new AMQP.BasicProperties.Builder()
            .contentType(CONTENT_TYPE)
            .contentEncoding("utf-8")
            .deliveryMode(2)
            .priority(0)
            .headers(new LinkedHashMap<>());
    if (expiration != null) {
      b.expiration(Long.toString(expiration.toMillis()));
    }
    return b.build();
  }

  /** An RPC request without routing fields: {@code method}, {@code args}, namespace, version. */
  public static Map<String, Object> request(
      String method, Map<String, ?> args, String namespace, String version) {
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("method", method);
    msg.put("args", new LinkedHashMap<>(args));
    if (namespace != null) {
      msg.put("namespace", namespace);
    }
    if (version != null) {
      msg.put("version", version);
    }
    return msg;
  }

  /**
   * A reply: result, failure (JSON string or null), ending, {@code _msg_id}, {@code _unique_id}.
   */
  public static Map<String, Object> reply(
      String msgId, Object result, String failure, boolean ending) {
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("result", result);
    msg.put("failure", failure);
    msg.put("ending", ending);
    msg.put("_msg_id", msgId);
    msg.put("_unique_id", uuidHex());
    return msg;
  }

  /** A serialized failure as oslo's {@code serialize_remote_exception} writes it. */
  public static String failure(
      String cls, String module, String message, List<String> tb, List<?> args) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("class", cls);
    f.put("module", module);
    f.put("message", message);
    f.put("tb", tb);
    f.put("args", args);
    f.put("kwargs", new LinkedHashMap<>());
    return Json.write(f);
  }

  /**
   * A Java exception as a failure: its simple class name, its package as module, its message and
   * its stack trace lines (each ending with a newline, as Python's traceback lines).
   */
  public static String failureOf(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    Package p = t.getClass().getPackage();
    return failure(
        t.getClass().getSimpleName(),
        p == null ? "" : p.getName(),
        message,
        traceback(t),
        List.of(message));
  }

  /** The stack trace of a Java exception as traceback lines. */
  static List<String> traceback(Throwable t) {
    List<String> lines = new ArrayList<>();
    lines.add(t + "\n");
    for (StackTraceElement e : t.getStackTrace()) {
      lines.add("\tat " + e + "\n");
    }
    Throwable c = t.getCause();
    while (c != null && c != t) {
      lines.add("Caused by: " + c + "\n");
      for (StackTraceElement e : c.getStackTrace()) {
        lines.add("\tat " + e + "\n");
      }
      t = c;
      c = c.getCause();
    }
    return lines;
  }

  /** oslo's {@code NoSuchMethod} failure. */
  public static String noSuchMethod(String method) {
    String message = "Endpoint does not support RPC method " + method;
    return failure("NoSuchMethod", DISPATCHER_MODULE, message, List.of(), List.of(message));
  }

  /** oslo's {@code UnsupportedVersion} failure. */
  public static String unsupportedVersion(String version, String method) {
    String message = "Endpoint does not support RPC version " + version;
    if (method != null) {
      message += ". Attempted method: " + method;
    }
    return failure("UnsupportedVersion", DISPATCHER_MODULE, message, List.of(), List.of(message));
  }

  /** A failure string of a reply as the exception a Java caller sees. */
  public static RemoteException remoteException(String failure) {
    Map<String, Object> f;
    try {
      f = Json.readMap(failure);
    } catch (IllegalArgumentException e) {
      return new RemoteException("RemoteError", "", failure, List.of());
    }
    List<String> tb = new ArrayList<>();
    if (f.get("tb") instanceof List<?> l) {
      l.forEach(x -> tb.add(String.valueOf(x)));
    }
    return new RemoteException(
        string(f.get("class")), string(f.get("module")), string(f.get("message")), tb);
  }

  private static String string(Object o) {
    return o == null ? "" : o.toString();
  }

  /**
   * oslo's version compatibility rule: same major, requested minor not above the implemented one
   * (and at the same minor, requested revision not above). A {@code null} implemented version
   * accepts everything; a {@code null} requested version is accepted by nothing else.
   *
   * @throws IllegalArgumentException when a version is not numeric {@code X.Y[.Z]}
   */
  public static boolean versionCompatible(String implemented, String requested) {
    if (implemented == null) {
      return true;
    }
    if (requested == null) {
      return false;
    }
    int[] imp = parse(implemented);
    int[] req = parse(requested);
    if (req[0] != imp[0]) {
      return false;
    }
    if (req[1] > imp[1]) {
      return false;
    }
    return !(req[1] == imp[1] && req[2] > imp[2]);
  }

  private static int[] parse(String version) {
    String[] p = version.split("\\.");
    if (p.length < 2 || p.length > 3) {
      throw new IllegalArgumentException("version must be X.Y[.Z], was '" + version + "'");
    }
    try {
      return new int[] {
        Integer.parseInt(p[0]), Integer.parseInt(p[1]), p.length == 3 ? Integer.parseInt(p[2]) : 0
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("version must be X.Y[.Z], was '" + version + "'", e);
    }
  }

  /**
   * A timestamp as oslo writes it ({@code str(datetime.utcnow())}): UTC, {@code YYYY-MM-DD
   * HH:MM:SS.ffffff}, without the fraction when the microseconds are 0.
   */
  public static String timestamp(Instant instant) {
    LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    int micros = t.getNano() / 1000;
    String s = SECONDS.format(t);
    return micros == 0 ? s : s + String.format(".%06d", micros);
  }
}

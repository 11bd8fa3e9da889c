package io.ha4j.oslo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.testkit.LocalClusters;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.RabbitCluster.RabbitNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java and Python (Debian's python3-oslo.messaging) processes talking over the test-kit cluster.
 */
@ExtendWith(LocalClusters.class)
class OsloInteropIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?";
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    cleanup.add(c);
    return c;
  }

  /** One oslo-style configuration file, read by the Python peers and by the Java side. */
  private Path config(List<RabbitNode> nodes, String exchange, boolean quorum) throws IOException {
    return config(nodes, exchange, "rabbit_quorum_queue = " + quorum);
  }

  private Path config(List<RabbitNode> nodes, String exchange, String rabbitOptions)
      throws IOException {
    String hosts =
        nodes.stream()
            .map(n -> "guest:guest@" + n.address() + ":" + n.port())
            .collect(Collectors.joining(","));
    Path f = Files.createTempFile(dir, exchange, ".conf");
    Files.writeString(
        f,
        String.join(
            "\n",
            "[DEFAULT]",
            "transport_url = rabbit://" + hosts + "/",
            "control_exchange = " + exchange,
            "rpc_response_timeout = 10",
            "[oslo_messaging_rabbit]",
            rabbitOptions,
            "heartbeat_timeout_threshold = 10",
            ""));
    return f;
  }

  private OsloTransport java(Path config) {
    return java(config, OsloSettings.DEFAULT_NOTIFICATION_TOPICS);
  }

  private OsloTransport java(Path config, List<String> notificationTopics) {
    AmqpSettings amqp =
        HaConfig.load(config).amqp().toBuilder()
            .hostOrder(AmqpSettings.HostOrder.CONFIGURED)
            .reconnectDelay(Duration.ZERO)
            .heartbeatTimeoutThreshold(Duration.ofSeconds(6))
            .build();
    HaConnectionFactory f =
        HaConnectionFactory.builder().settings(amqp).connectionName("oslo-it").build();
    return closeLater(
        OsloTransport.create(
            f, OsloSettings.builder().amqp(amqp).notificationTopics(notificationTopics).build()));
  }

  private PythonPeer python(Path config, String mode, String... args) {
    return closeLater(PythonPeer.start(dir, config, mode, args));
  }

  /** The Java RPC endpoint; Python's twin is {@code Calc} in oslo_peer.py. */
  public static final class Calc {
    final String name;
    final BlockingQueue<Object> casts = new LinkedBlockingQueue<>();

    Calc(String name) {
      this.name = name;
    }

    public long add(long a, long b) {
      return a + b;
    }

    public Object echo(Object value) {
      return value;
    }

    public String whoami() {
      return name;
    }

    public Map<String, Object> context(RequestContext ctx) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (String k : List.of("user_id", "project_id", "request_id", "roles")) {
        m.put(k, ctx.get(k));
      }
      return m;
    }

    public void fail(String message) {
      throw new IllegalArgumentException(message);
    }

    public long slowAdd(long a, long b, long millis) throws InterruptedException {
      Thread.sleep(millis); // a long-running request, not test synchronisation
      return a + b;
    }

    public void record(Object value) {
      casts.add(value);
    }
  }

  /** Namespace admin, version 1.3, as {@code Admin} in oslo_peer.py. */
  @Endpoint(namespace = "admin", version = "1.3")
  public static final class Admin {
    final String name;

    Admin(String name) {
      this.name = name;
    }

    public String reset() {
      return "reset by " + name;
    }
  }

  private static Map<String, Object> req(String topic, String method, Map<String, ?> args) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("topic", topic);
    r.put("method", method);
    r.put("args", args);
    return r;
  }

  private static Map<String, Object> with(Map<String, Object> r, String k, Object v) {
    r.put(k, v);
    return r;
  }

  private static Map<String, Object> nested() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", "naïve 日本語 ✓ \"quoted\" \\ back");
    m.put("none", null);
    m.put("float", 3.25);
    m.put("small", 1.0E-7);
    m.put("negative", -17);
    m.put("big", 12345678901234L);
    m.put("flag", true);
    m.put("list", List.of(1, "two", List.of(3.5), Map.of("k", "v")));
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @ParameterizedTest(name = "rabbit_quorum_queue = {0}")
  @ValueSource(booleans = {false, true})
  void callsCastsAndFailuresWorkBothWays(boolean quorum, RabbitCluster rabbit) throws Exception {
    String q = quorum ? "quorum" : "default";
    Path conf = config(rabbit.nodes(), "it_" + q, quorum);
    String javaTopic = "calc_java_" + q;
    String pyTopic = "calc_py_" + q;
    OsloTransport transport = java(conf);
    Calc calc = new Calc("java1");
    RpcServer server =
        closeLater(
            transport.rpcServer(
                Target.topic(javaTopic).withServer("java1"), calc, new Admin("java1")));
    server.start();
    PythonPeer pyServer = python(conf, "server", pyTopic, "py1");
    PythonPeer client = python(conf, "client");

    // acceptance: a Python oslo client calls the Java server's add(a=40, b=2)
    assertThat(client.request(req(javaTopic, "add", Map.of("a", 40, "b", 2))))
        .containsEntry("ok", 42);

    Map<String, Object> ctx =
        Map.of(
            "user_id",
            "u-1",
            "project_id",
            "p-1",
            "request_id",
            "req-1",
            "roles",
            List.of("admin"));
    for (String topic : List.of(javaTopic, pyTopic)) {
      assertThat(client.request(req(topic, "echo", Map.of("value", nested()))))
          .as(topic)
          .containsEntry("ok", nested());
      assertThat(client.request(with(req(topic, "context", Map.of()), "ctxt", ctx)))
          .as(topic)
          .containsEntry("ok", ctx);
    }
    // the same failures as a Python server: unknown method, incompatible version, namespace
    List<Map<String, Object>> mismatches =
        List.of(
            req("T", "frobnicate", Map.of()),
            with(req("T", "add", Map.of("a", 1, "b", 2)), "version", "2.0"),
            with(with(req("T", "reset", Map.of()), "namespace", "admin"), "version", "1.4"),
            with(req("T", "reset", Map.of()), "namespace", "other"));
    for (Map<String, Object> m : mismatches) {
      Map<String, Object> fromJava =
          error(client.request(with(new LinkedHashMap<>(m), "topic", javaTopic)));
      Map<String, Object> fromPython =
          error(client.request(with(new LinkedHashMap<>(m), "topic", pyTopic)));
      assertThat(fromJava.get("type")).as("%s", m).isEqualTo(fromPython.get("type"));
      assertThat(fromJava.get("exc_type")).as("%s", m).isEqualTo(fromPython.get("exc_type"));
      assertThat(String.valueOf(fromJava.get("str")))
          .as("%s", m)
          .contains(m.get("method").equals("frobnicate") ? "NoSuchMethod" : "UnsupportedVersion");
    }
    assertThat(
            client.request(
                with(
                    with(req(javaTopic, "reset", Map.of()), "namespace", "admin"),
                    "version",
                    "1.2")))
        .containsEntry("ok", "reset by java1");
    // a Java exception reaches Python as RemoteError named after the exception's class
    Map<String, Object> javaFailure =
        error(client.request(req(javaTopic, "fail", Map.of("message", "no way"))));
    assertThat(javaFailure)
        .containsEntry("type", "RemoteError")
        .containsEntry("exc_type", "IllegalArgumentException")
        .containsEntry("value", "no way");
    // a Python caller times out on a slow Java method
    assertThat(
            error(
                client.request(
                    with(
                        req(javaTopic, "slowAdd", Map.of("a", 1, "b", 1, "millis", 3000)),
                        "timeout",
                        1))))
        .containsEntry("type", "MessagingTimeout");
    // server-specific target and cast, Python to Java
    assertThat(client.request(with(req(javaTopic, "whoami", Map.of()), "server", "java1")))
        .containsEntry("ok", "java1");
    client.request(with(req(javaTopic, "record", Map.of("value", nested())), "cast", true));
    assertThat(calc.casts.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(nested());

    // Java to Python
    RpcClient rpc = transport.rpcClient(Target.topic(pyTopic));
    assertThat(rpc.call(ctx, "add", Map.of("a", 40, "b", 2))).isEqualTo(42);
    assertThat(rpc.callAsync(ctx, "echo", Map.of("value", nested())).get(30, TimeUnit.SECONDS))
        .isEqualTo(nested());
    assertThat(rpc.call(ctx, "context", Map.of())).isEqualTo(ctx);
    assertThat(rpc.prepare("py1", null, null, null, null, null).call(ctx, "whoami", Map.of()))
        .isEqualTo("py1");
    assertThat(rpc.prepare(null, "admin", "1.3", null, null, null).call(ctx, "reset", Map.of()))
        .isEqualTo("reset by py1");

    RemoteException valueError =
        catchThrowableOfType(
            RemoteException.class, () -> rpc.call(ctx, "fail", Map.of("message", "bad input")));
    assertThat(valueError.excType()).isEqualTo("ValueError");
    assertThat(valueError.module()).isEqualTo("builtins");
    assertThat(valueError.remoteMessage()).isEqualTo("bad input");
    assertThat(String.join("", valueError.traceback()))
        .contains("Traceback (most recent call last)")
        .contains("ValueError: bad input");
    assertThat(
            catchThrowableOfType(
                    RemoteException.class,
                    () -> rpc.call(ctx, "fail_custom", Map.of("message", "x")))
                .excType())
        .isEqualTo("CustomError");
    assertThat(
            catchThrowableOfType(RemoteException.class, () -> rpc.call(ctx, "frobnicate", Map.of()))
                .excType())
        .isEqualTo("NoSuchMethod");
    assertThat(
            catchThrowableOfType(
                    RemoteException.class,
                    () ->
                        rpc.prepare(null, null, "2.0", null, null, null).call(ctx, "add", Map.of()))
                .excType())
        .isEqualTo("UnsupportedVersion");

    long start = System.nanoTime();
    MessagingTimeoutException timeout =
        catchThrowableOfType(
            MessagingTimeoutException.class,
            () ->
                rpc.prepare(null, null, null, Duration.ofSeconds(1), null, null)
                    .call(ctx, "sleep", Map.of("seconds", 3)));
    assertThat(timeout).isNotNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

    rpc.cast(ctx, "record", Map.of("value", "from java"));
    assertThat(pyServer.next(WAIT)).containsEntry("cast", "from java");
  }

  private static Map<String, Object> error(Map<String, Object> result) {
    assertThat(result).containsKey("error");
    return map(result.get("error"));
  }

  @Test
  void javaAndPythonServersShareATopicAndBothReceiveFanouts(RabbitCluster rabbit) throws Exception {
    Path conf = config(rabbit.nodes(), "it_default", false);
    OsloTransport transport = java(conf);
    Calc calc = new Calc("java1");
    closeLater(transport.rpcServer(Target.topic("shared").withServer("java1"), calc)).start();
    PythonPeer pyServer = python(conf, "server", "shared", "py1");
    PythonPeer client = python(conf, "client");

    Set<Object> answered = new HashSet<>();
    RpcClient rpc = transport.rpcClient(Target.topic("shared"));
    for (int i = 0; i < 20; i++) {
      answered.add(client.request(req("shared", "whoami", Map.of())).get("ok"));
      answered.add(rpc.call(Map.of(), "whoami", Map.of()));
    }
    assertThat(answered).containsExactlyInAnyOrder("java1", "py1");

    rpc.fanout().cast(Map.of(), "record", Map.of("value", "fanout from java"));
    assertThat(calc.casts.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("fanout from java");
    assertThat(pyServer.next(WAIT)).containsEntry("cast", "fanout from java");

    client.request(
        with(
            with(req("shared", "record", Map.of("value", "fanout from python")), "cast", true),
            "fanout",
            true));
    assertThat(calc.casts.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("fanout from python");
    assertThat(pyServer.next(WAIT)).containsEntry("cast", "fanout from python");
  }

  /** Records every notification it gets; requeues "requeue.me" once. */
  static final class Recorder implements NotificationEndpoint {
    final BlockingQueue<Map<String, Object>> got = new LinkedBlockingQueue<>();
    final NotificationFilter filter;
    final AtomicInteger requeued = new AtomicInteger();

    Recorder(NotificationFilter filter) {
      this.filter = filter;
    }

    @Override
    public NotificationFilter filter() {
      return filter;
    }

    private NotificationResult record(
        String priority,
        RequestContext c,
        String pub,
        String type,
        Object payload,
        Map<String, Object> md) {
      if (type.equals("requeue.me") && requeued.getAndIncrement() == 0) {
        return NotificationResult.REQUEUE;
      }
      Map<String, Object> m = new HashMap<>();
      m.put("priority", priority);
      m.put("ctxt", c.values());
      m.put("publisher_id", pub);
      m.put("event_type", type);
      m.put("payload", payload);
      m.put("metadata", md);
      got.add(m);
      return NotificationResult.HANDLED;
    }

    @Override
    public NotificationResult info(
        RequestContext c, String p, String t, Object pl, Map<String, Object> md) {
      return record("info", c, p, t, pl, md);
    }

    @Override
    public NotificationResult error(
        RequestContext c, String p, String t, Object pl, Map<String, Object> md) {
      return record("error", c, p, t, pl, md);
    }
  }

  @Test
  void notificationsGoBothWaysWithEveryField(RabbitCluster rabbit) throws Exception {
    Path conf = config(rabbit.nodes(), "it_default", false);
    OsloTransport transport = java(conf);
    Recorder all = new Recorder(null);
    Recorder computeOnly =
        new Recorder(NotificationFilter.builder().eventType("^compute\\.").build());
    closeLater(
            transport
                .notificationListener()
                .target(Target.topic("notifications"))
                .endpoint(all)
                .endpoint(computeOnly)
                .pool("java_pool")
                .build())
        .start();
    PythonPeer listener = python(conf, "listen", "notifications", "py_pool");
    PythonPeer client = python(conf, "client");
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("user_id", "u-1");
    ctx.put("request_id", "req-9");
    ctx.put("auth_token", "S3cret-token");

    // Java -> Python, every priority
    Notifier notifier = transport.notifier("java.host1");
    for (Priority p : Priority.values()) {
      notifier.notify(ctx, p, "compute.instance." + p.lowerName(), nested());
      Map<String, Object> n = listener.next(WAIT);
      assertThat(n.get("priority")).isEqualTo(p.lowerName());
      assertThat(n.get("publisher_id")).isEqualTo("java.host1");
      assertThat(n.get("event_type")).isEqualTo("compute.instance." + p.lowerName());
      assertThat(n.get("payload")).isEqualTo(nested());
      assertThat(map(n.get("ctxt")))
          .containsEntry("user_id", "u-1")
          .containsEntry("request_id", "req-9")
          .doesNotContainKey("auth_token");
      assertThat(map(n.get("metadata")).get("message_id").toString()).matches(UUID);
      assertThat(map(n.get("metadata")).get("timestamp").toString()).matches(TIMESTAMP);
    }
    // the Java listener got INFO and ERROR (the priorities its endpoints implement)
    assertThat(all.got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).containsEntry("priority", "info");
    assertThat(all.got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).containsEntry("priority", "error");

    // Python -> Java
    Map<String, Object> pyNote = new LinkedHashMap<>();
    pyNote.put("publisher_id", "py.host2");
    pyNote.put("priority", "error");
    pyNote.put("event_type", "volume.delete.end");
    pyNote.put("payload", nested());
    client.request(Map.of("notify", pyNote, "ctxt", ctx));
    Map<String, Object> got = all.got.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(got)
        .containsEntry("priority", "error")
        .containsEntry("publisher_id", "py.host2")
        .containsEntry("event_type", "volume.delete.end")
        .containsEntry("payload", nested());
    assertThat(map(got.get("ctxt")))
        .containsEntry("user_id", "u-1")
        .doesNotContainKey("auth_token");
    assertThat(map(got.get("metadata")).get("message_id").toString()).matches(UUID);
    assertThat(map(got.get("metadata")).get("timestamp").toString()).matches(TIMESTAMP);
    assertThat(listener.next(WAIT)).containsEntry("event_type", "volume.delete.end");
    // the filtered endpoint saw the compute events only
    assertThat(computeOnly.got)
        .extracting(m -> m.get("event_type"))
        .containsExactly("compute.instance.info", "compute.instance.error");

    // an endpoint that asks for a requeue gets the notification again
    pyNote.put("priority", "info");
    pyNote.put("event_type", "requeue.me");
    client.request(Map.of("notify", pyNote, "ctxt", ctx));
    assertThat(all.got.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
        .containsEntry("event_type", "requeue.me");
    assertThat(all.requeued.get()).isEqualTo(2);
  }

  /** name -> "durable auto_delete arguments" as rabbitmqctl prints them. */
  private static Map<String, String> list(RabbitNode node, String what) {
    Map<String, String> m = new HashMap<>();
    String out =
        what.equals("queues")
            ? node.ctl(
                "list_queues",
                "-q",
                "--no-table-headers",
                "name",
                "durable",
                "auto_delete",
                "arguments")
            : node.ctl(
                "list_exchanges",
                "-q",
                "--no-table-headers",
                "name",
                "type",
                "durable",
                "auto_delete",
                "arguments");
    for (String line : out.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        m.put(line.substring(0, tab), line.substring(tab + 1));
      }
    }
    return m;
  }

  private static String only(Map<String, String> entities, String prefix) {
    List<String> found = entities.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    assertThat(found).as(prefix).hasSize(1);
    return entities.get(found.get(0));
  }

  /** Option sets of the [oslo_messaging_rabbit] section, one per run. */
  static List<String> queueOptions() {
    return List.of(
        "rabbit_quorum_queue = false",
        "rabbit_quorum_queue = true\nrabbit_quorum_delivery_limit = 7",
        "amqp_durable_queues = true\nrabbit_ha_queues = true\nrabbit_transient_queues_ttl = 600");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queueOptions")
  void declarationsEqualOslosAndEitherSideMayStartFirst(String options, RabbitCluster rabbit)
      throws Exception {
    boolean quorum = options.contains("rabbit_quorum_queue = true");
    boolean durable = quorum || options.contains("amqp_durable_queues = true");
    String q = quorum ? "quorum" : durable ? "durable" : "default";
    Path conf = config(rabbit.nodes(), "it_decl_" + q, options);
    // reply queues outlive their connections (x-expires): compare only this test's
    Set<String> earlierReplyQueues = list(rabbit.nodes().get(0), "queues").keySet();
    // notification queues do not depend on the exchange: one topic per configuration
    String notifications = "notif_" + q;
    OsloTransport transport = java(conf, List.of(notifications));
    String jt = "decl_j_" + q;
    String pt = "decl_p_" + q;
    closeLater(transport.rpcServer(Target.topic(jt).withServer("s1"), new Calc("j"))).start();
    python(conf, "server", pt, "s1");
    PythonPeer client = python(conf, "client");
    // reply queues: one of each side
    assertThat(client.request(req(pt, "whoami", Map.of()))).containsEntry("ok", "s1");
    assertThat(transport.rpcClient(Target.topic(jt)).call(Map.of(), "whoami", Map.of()))
        .isEqualTo("j");
    // notification queues: audit from Python, sample from Java
    client.request(
        Map.of(
            "notify",
            Map.of(
                "publisher_id",
                "p",
                "priority",
                "audit",
                "event_type",
                "e",
                "payload",
                1,
                "topic",
                notifications)));
    transport.notifier("j").sample(Map.of(), "e", 1);

    RabbitNode node = rabbit.nodes().get(0);
    Map<String, String> queues = list(node, "queues");
    assertThat(queues.get(jt)).isNotNull().isEqualTo(queues.get(pt));
    assertThat(queues.get(jt + ".s1")).isNotNull().isEqualTo(queues.get(pt + ".s1"));
    assertThat(only(queues, jt + "_fanout_")).isEqualTo(only(queues, pt + "_fanout_"));
    assertThat(queues.get(notifications + ".sample"))
        .isNotNull()
        .isEqualTo(queues.get(notifications + ".audit"));
    if (quorum) {
      assertThat(queues.get(jt)).contains("quorum").contains("x-delivery-limit").startsWith("true");
    }
    if (options.contains("rabbit_ha_queues = true")) {
      assertThat(queues.get(jt)).contains("x-ha-policy").startsWith("true");
      assertThat(only(queues, jt + "_fanout_")).contains("x-ha-policy").contains("600000");
    }
    Set<String> replyQueues =
        queues.entrySet().stream()
            .filter(e -> e.getKey().startsWith("reply_"))
            .filter(e -> !earlierReplyQueues.contains(e.getKey()))
            .map(Map.Entry::getValue)
            .collect(Collectors.toSet());
    assertThat(replyQueues).singleElement().asString().contains("x-expires");
    assertThat(
            queues.keySet().stream()
                .filter(k -> k.startsWith("reply_") && !earlierReplyQueues.contains(k))
                .count())
        .as("a Java and a Python reply queue")
        .isEqualTo(2);
    Map<String, String> exchanges = list(node, "exchanges");
    assertThat(exchanges.get(jt + "_fanout")).isNotNull().isEqualTo(exchanges.get(pt + "_fanout"));
    assertThat(exchanges.get("it_decl_" + q)).startsWith("topic\t" + durable);

    // each side starts on the other's queues without a 406
    closeLater(transport.rpcServer(Target.topic(pt).withServer("s2"), new Calc("j2"))).start();
    python(conf, "server", jt, "s3");
    assertThat(client.request(with(req(pt, "whoami", Map.of()), "server", "s2")))
        .containsEntry("ok", "j2");
    assertThat(
            transport
                .rpcClient(Target.topic(jt))
                .prepare("s3", null, null, null, null, null)
                .call(Map.of(), "whoami", Map.of()))
        .isEqualTo("s3");
  }

  @Test
  void pythonCallsSucceedAgainSoonAfterTheJavaServersBrokerIsKilled(RabbitCluster rabbit)
      throws Exception {
    // Java: nodes in configured order, so its server connects to node 0; Python: nodes 1 and 2.
    Path javaConf = config(rabbit.nodes(), "it_kill", false);
    Path pyConf = config(rabbit.nodes().subList(1, 3), "it_kill", false);
    OsloTransport transport = java(javaConf);
    Calc calc = new Calc("java1");
    closeLater(transport.rpcServer(Target.topic("kill").withServer("java1"), calc)).start();
    PythonPeer client = python(pyConf, "client");
    assertThat(client.request(req("kill", "add", Map.of("a", 40, "b", 2)))).containsEntry("ok", 42);

    // a Java call in flight when the broker of the Java client and server dies
    RpcClient rpc = transport.rpcClient(Target.topic("kill"));
    CompletableFuture<Object> inFlight =
        rpc.prepare(null, null, null, Duration.ofSeconds(8), null, null)
            .callAsync(Map.of(), "slowAdd", Map.of("a", 40, "b", 2, "millis", 1000));

    rabbit.nodes().get(0).kill();
    long killed = System.nanoTime();
    Map<String, Object> r;
    int attempts = 0;
    do {
      attempts++;
      r = client.request(with(req("kill", "add", Map.of("a", 1, "b", attempts)), "timeout", 2));
    } while (!r.containsKey("ok") && Duration.ofNanos(System.nanoTime() - killed).toSeconds() < 60);
    Duration recovered = Duration.ofNanos(System.nanoTime() - killed);

    assertThat(r).containsEntry("ok", 1 + attempts);
    assertThat(recovered).isLessThan(Duration.ofSeconds(20));
    // the in-flight call got its reply or timed out; it did not hang
    Object outcome =
        inFlight.handle((v, e) -> v != null ? v : e.getClass()).get(20, TimeUnit.SECONDS);
    assertThat(outcome).isIn(42, MessagingTimeoutException.class);
    // the Java client works again too: call and confirmed cast
    assertThat(rpc.call(Map.of(), "add", Map.of("a", 1, "b", 1))).isEqualTo(2);
    rpc.cast(Map.of(), "record", Map.of("value", "after failover"));
    assertThat(calc.casts.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("after failover");
    System.out.printf("in-flight Java call across the kill ended with %s%n", outcome);
    System.out.printf(
        "python calls to the Java server answered again %d ms after the kill%n",
        recovered.toMillis());
  }
}

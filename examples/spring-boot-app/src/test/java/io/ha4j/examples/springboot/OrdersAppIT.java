package io.ha4j.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.LocalClusters;
import io.ha4j.testkit.LocalNode;
import io.ha4j.testkit.RabbitCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged example app, started with one {@code --ha4j.config-files} argument against the
 * test-kit clusters, under requests from 4 threads for 40 s while the broker of its connection and
 * then the Galera writer are killed -9: every 201 is a row, every row's event is consumed, a 5xx
 * only for a request in flight at a kill, and health is UP again after each fault.
 */
@ExtendWith(LocalClusters.class)
class OrdersAppIT {

  private static final Duration LOAD = Duration.ofSeconds(40);
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private record Outcome(int status, long start, long end) {}

  @Test
  void survivesKillingItsBrokerAndTheGaleraWriterWithNoOrderOrEventLost(
      RabbitCluster rabbit, GaleraCluster galera) throws Exception {
    Path conf = conf(rabbit, galera);
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    Path log = dir.resolve("app.log");
    Process app =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                System.getProperty("ha4j.app.jar"),
                "--ha4j.config-files=" + conf,
                "--server.port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      String health =
          awaitHealth(
              base,
              h -> status(h, "ha4jAmqp").equals("UP") && status(h, "ha4jGalera").equals("UP"),
              Duration.ofMinutes(3),
              app,
              log);
      assertThat(detail(health, "ha4jAmqp", "host")).isNotEmpty();
      assertThat(detail(health, "ha4jGalera", "writer")).isNotEqualTo("none");

      ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
      List<Long> kills = new java.util.concurrent.CopyOnWriteArrayList<>();
      long end = System.nanoTime() + LOAD.toNanos();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      CountDownLatch started = new CountDownLatch(4);
      AtomicInteger seq = new AtomicInteger();
      for (int t = 0; t < 4; t++) {
        clients.submit(
            () -> {
              started.countDown();
              while (System.nanoTime() < end) {
                long s = System.nanoTime();
                int code;
                try {
                  code =
                      http.send(
                              HttpRequest.newBuilder(URI.create(base + "/orders"))
                                  .timeout(Duration.ofMinutes(3))
                                  .header("Content-Type", "application/json")
                                  .POST(
                                      HttpRequest.BodyPublishers.ofString(
                                          "{\"item\":\"i" + seq.incrementAndGet() + "\"}"))
                                  .build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode();
                } catch (IOException e) {
                  code = -1;
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                outcomes.add(new Outcome(code, s, System.nanoTime()));
              }
            });
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

      // 1. the broker this app's connection is on
      awaitCount(outcomes, 50, Duration.ofMinutes(1));
      String broker = detail(get(base + "/actuator/health"), "ha4jAmqp", "host");
      LocalNode brokerNode =
          byHostPort(rabbit.nodes(), broker, n -> ((RabbitCluster.RabbitNode) n).port());
      kills.add(System.nanoTime());
      brokerNode.kill();
      long t0 = System.nanoTime();
      String after =
          awaitHealth(
              base,
              h ->
                  status(h, "ha4jAmqp").equals("UP")
                      && !detail(h, "ha4jAmqp", "host").equals(broker),
              RECOVERY_BOUND,
              app,
              log);
      Duration amqpRecovery = Duration.ofNanos(System.nanoTime() - t0);
      System.out.println(
          "AMQP: killed "
              + broker
              + ", UP on "
              + detail(after, "ha4jAmqp", "host")
              + " after "
              + amqpRecovery.toMillis()
              + " ms");

      // 2. the Galera writer
      int before = outcomes.size();
      awaitCount(outcomes, before + 50, Duration.ofMinutes(1));
      String writer = detail(get(base + "/actuator/health"), "ha4jGalera", "writer");
      LocalNode writerNode =
          byHostPort(galera.nodes(), writer, n -> ((GaleraCluster.GaleraNode) n).port());
      kills.add(System.nanoTime());
      writerNode.kill();
      long t1 = System.nanoTime();
      String afterDb =
          awaitHealth(
              base,
              h ->
                  status(h, "ha4jGalera").equals("UP")
                      && !detail(h, "ha4jGalera", "writer").equals(writer),
              RECOVERY_BOUND,
              app,
              log);
      Duration dbRecovery = Duration.ofNanos(System.nanoTime() - t1);
      System.out.println(
          "Galera: killed writer "
              + writer
              + ", UP with "
              + detail(afterDb, "ha4jGalera", "writer")
              + " after "
              + dbRecovery.toMillis()
              + " ms");

      clients.shutdown();
      assertThat(clients.awaitTermination(4, TimeUnit.MINUTES)).isTrue();

      long created = outcomes.stream().filter(o -> o.status() == 201).count();
      List<Outcome> failed = outcomes.stream().filter(o -> o.status() != 201).toList();
      List<Outcome> notAtAKill = new ArrayList<>();
      for (Outcome o : failed) {
        boolean inFlight = kills.stream().anyMatch(k -> o.start() <= k && k <= o.end());
        if (!inFlight) {
          notAtAKill.add(o);
        }
      }
      // every order's event is eventually consumed
      Map<String, Long> stats =
          awaitStats(
              base, s -> s.get("distinct_consumed").equals(s.get("rows")), Duration.ofMinutes(2));
      System.out.println(
          "requests="
              + outcomes.size()
              + " created(201)="
              + created
              + " failed="
              + failed.size()
              + " (codes "
              + failed.stream().map(o -> Integer.toString(o.status())).distinct().toList()
              + ", all in flight at a kill: "
              + notAtAKill.isEmpty()
              + ") stats="
              + stats);
      assertThat(created).isGreaterThan(100);
      assertThat(stats.get("rows")).isEqualTo(created);
      assertThat(stats.get("distinct_consumed")).isEqualTo(stats.get("rows"));
      assertThat(stats.get("consumed")).isGreaterThanOrEqualTo(stats.get("rows"));
      assertThat(notAtAKill).isEmpty();
      assertThat(amqpRecovery).isLessThan(RECOVERY_BOUND);
      assertThat(dbRecovery).isLessThan(RECOVERY_BOUND);
    } finally {
      app.destroy();
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private Path conf(RabbitCluster rabbit, GaleraCluster galera) throws IOException {
    List<String> brokers = new ArrayList<>();
    for (RabbitCluster.RabbitNode n : rabbit.nodes()) {
      brokers.add("guest:guest@" + n.address() + ":" + n.port());
    }
    List<String> nodes = new ArrayList<>();
    for (GaleraCluster.GaleraNode n : galera.nodes()) {
      nodes.add(n.address() + ":" + n.port());
    }
    Path f = dir.resolve("service.conf");
    Files.writeString(
        f,
        "[DEFAULT]\ntransport_url = rabbit://"
            + String.join(",", brokers)
            + "/\n\n[oslo_messaging_rabbit]\nrabbit_quorum_queue = true\n\n[database]\nconnection = "
            + "mysql+pymysql://"
            + galera.user()
            + ":"
            + galera.password()
            + "@"
            + String.join(",", nodes)
            + "/"
            + galera.database()
            + "\n");
    return f;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static <N extends LocalNode> LocalNode byHostPort(
      List<N> nodes, String hostPort, java.util.function.ToIntFunction<LocalNode> port) {
    for (N n : nodes) {
      if ((n.address() + ":" + port.applyAsInt(n)).equals(hostPort)) {
        return n;
      }
    }
    throw new AssertionError("no node at " + hostPort);
  }

  private String get(String url) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Polls the health endpoint (a state query, not a timed wait) until it satisfies {@code ok}. */
  private String awaitHealth(
      String base, Predicate<String> ok, Duration timeout, Process app, Path log) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!app.isAlive()) {
        throw new AssertionError("app exited: " + Files.readString(log));
      }
      try {
        last = get(base + "/actuator/health");
        if (ok.test(last)) {
          return last;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("health not reached within " + timeout + ": " + last);
  }

  private Map<String, Long> awaitStats(
      String base, Predicate<Map<String, Long>> ok, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Long> last = Map.of();
    while (System.nanoTime() < deadline) {
      try {
        String s = get(base + "/orders/stats");
        Map<String, Long> m = new java.util.HashMap<>();
        Matcher mm = Pattern.compile("\"(\\w+)\":(\\d+)").matcher(s);
        while (mm.find()) {
          m.put(mm.group(1), Long.parseLong(mm.group(2)));
        }
        if (m.containsKey("rows")) {
          last = m;
          if (ok.test(m)) {
            return m;
          }
        }
      } catch (IOException e) {
        // the app answers again shortly
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    return last;
  }

  private static void awaitCount(ConcurrentLinkedQueue<Outcome> outcomes, int n, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outcomes.size() < n) {
      assertThat(System.nanoTime()).as("requests completed").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /** The JSON object of one health component, found by matching braces. */
  private static String component(String health, String name) {
    int i = health.indexOf("\"" + name + "\":{");
    if (i < 0) {
      return "";
    }
    int start = health.indexOf('{', i);
    int depth = 0;
    for (int k = start; k < health.length(); k++) {
      char c = health.charAt(k);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return health.substring(start, k + 1);
      }
    }
    return health.substring(start);
  }

  private static String status(String health, String name) {
    Matcher m = Pattern.compile("\"status\":\"(\\w+)\"").matcher(component(health, name));
    return m.find() ? m.group(1) : "";
  }

  private static String detail(String health, String name, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(component(health, name));
    return m.find() ? m.group(1) : "";
  }
}

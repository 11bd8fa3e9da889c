package io.ha4j.cli.internal;

import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.config.HaConfig;
import io.ha4j.oslo.OsloSettings;
import io.ha4j.oslo.OsloTransport;
import io.ha4j.oslo.RpcClient;
import io.ha4j.oslo.RpcServer;
import io.ha4j.oslo.Target;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.TestKit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import tools.jackson.jr.ob.JSON;

/**
 * {@code ha4j bench rpc}: starts a 3-node test-kit RabbitMQ cluster and measures, in one run on
 * that cluster, RPC {@code call} round trips per second and p50/p99 latency with 1 and 16
 * concurrent callers for Java→Java, Python→Python (oslo.messaging's own client and server),
 * Java→Python and Python→Java; every cell is reported as ratios against Python→Python.
 */
final class RpcBench {

  /** The Python interpreter with Debian's python3-oslo.messaging. */
  static final String PYTHON = "/usr/bin/python3";

  /** Concurrent callers of each cell. */
  static final List<Integer> CALLERS = List.of(1, 16);

  /** Caller→server pairs, in the order they run and are reported. */
  static final List<String> PAIRS =
      List.of("java_java", "python_python", "java_python", "python_java");

  private static final String JAVA_TOPIC = "bench-rpc-java";
  private static final String PYTHON_TOPIC = "bench-rpc-python";
  private static final int WARMUP_CALLS = 500;
  private static final Duration READY = Duration.ofSeconds(60);

  /**
   * Time allowed after a cell's measured seconds for the calls in flight to end: twice the {@code
   * rpc_response_timeout} the benchmark configures (30 s).
   */
  private static final Duration CALL_MARGIN = Duration.ofSeconds(60);

  private final PrintStream out;
  private final PrintStream err;

  RpcBench(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** The measurements of one cell. */
  record Cell(
      long calls, long errors, double elapsedS, double callsPerS, double p50Ms, double p99Ms) {

    /** Summarises the latencies of the successful calls over the elapsed time. */
    static Cell of(List<Double> latenciesMs, long errors, double elapsedS) {
      if (latenciesMs.isEmpty()) {
        return new Cell(0, errors, elapsedS, 0, Double.NaN, Double.NaN);
      }
      return new Cell(
          latenciesMs.size(),
          errors,
          elapsedS,
          latenciesMs.size() / elapsedS,
          BenchCommand.percentile(latenciesMs, 50),
          BenchCommand.percentile(latenciesMs, 99));
    }

    /** This cell as a JSON object, with its ratios against {@code base}. */
    Map<String, Object> report(Cell base) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("calls_s", Math.round(callsPerS));
      m.put("p50_ms", round(p50Ms, 2));
      m.put("p99_ms", round(p99Ms, 2));
      m.put("throughput_ratio", ratio(callsPerS, base.callsPerS));
      m.put("p99_ratio", ratio(p99Ms, base.p99Ms));
      m.put("calls", calls);
      m.put("errors", errors);
      return m;
    }
  }

  /** {@code a / b} to three decimals; null when it is not a number. */
  static Double ratio(double a, double b) {
    double r = a / b;
    return Double.isFinite(r) ? round(r, 3) : null;
  }

  static double round(double x, int decimals) {
    if (!Double.isFinite(x)) {
      return x;
    }
    double f = Math.pow(10, decimals);
    return Math.round(x * f) / f;
  }

  /** {@code ha4j bench rpc}. */
  int run(int seconds, boolean json) throws Exception {
    long t0 = System.nanoTime();
    Map<String, Object> report = new LinkedHashMap<>();
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("seconds", seconds);
    setup.put("callers", CALLERS);
    setup.put("python", PYTHON);
    report.put("setup", setup);
    Path dir = Files.createTempDirectory("ha4j-bench-rpc");
    List<Process> python = new ArrayList<>();
    try {
      Path script = dir.resolve("rpc_bench.py");
      try (InputStream in = RpcBench.class.getResourceAsStream("rpc_bench.py")) {
        Files.copy(in, script);
      }
      progress(json, "starting a 3-node RabbitMQ cluster (test kit) ...");
      try (RabbitCluster rabbit = RabbitCluster.builder().name("bench-rpc").nodes(3).start()) {
        Path conf = dir.resolve("bench.conf");
        Files.writeString(conf, TestKit.osloConfig(rabbit, null) + "rpc_response_timeout = 30\n");
        OsloSettings oslo = OsloSettings.from(HaConfig.load(conf));
        try (OsloTransport serverSide = transport(oslo, "ha4j-bench-server");
            OsloTransport clientSide = transport(oslo, "ha4j-bench-client")) {
          RpcServer javaServer =
              serverSide.rpcServer(
                  Target.topic(JAVA_TOPIC).withServer("bench-java"),
                  new RpcTestEndpoint("bench-java", m -> {}));
          javaServer.start();
          Process pyServer =
              start(
                  python,
                  dir,
                  "server",
                  List.of(script.toString(), conf.toString(), "server", PYTHON_TOPIC));
          awaitReady(pyServer, dir.resolve("server.err"));
          progress(json, "Java and Python RPC servers ready");
          Map<String, Object> cells = new LinkedHashMap<>();
          for (int callers : CALLERS) {
            Map<String, Cell> row = new LinkedHashMap<>();
            for (String pair : PAIRS) {
              String topic = pair.endsWith("_java") ? JAVA_TOPIC : PYTHON_TOPIC;
              Cell c =
                  pair.startsWith("java_")
                      ? javaLoad(clientSide.rpcClient(Target.topic(topic)), callers, seconds)
                      : pythonLoad(python, dir, script, conf, topic, callers, seconds);
              row.put(pair, c);
              progress(
                  json,
                  String.format(
                      "%s, %d caller(s): %.0f calls/s, p50 %.2f ms, p99 %.2f ms, %d error(s)",
                      pair, callers, c.callsPerS(), c.p50Ms(), c.p99Ms(), c.errors()));
            }
            Cell base = row.get("python_python");
            Map<String, Object> r = new LinkedHashMap<>();
            row.forEach((pair, c) -> r.put(pair, c.report(base)));
            cells.put("callers_" + callers, r);
          }
          report.put("results", cells);
          pyServer.getOutputStream().close(); // EOF: the server stops
          if (!pyServer.waitFor(20, TimeUnit.SECONDS)) {
            pyServer.destroyForcibly();
          }
          javaServer.stop(Duration.ofSeconds(10));
        }
      }
    } finally {
      for (Process p : python) {
        if (p.isAlive()) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
      deleteTree(dir);
    }
    report.put("elapsed_s", Math.round((System.nanoTime() - t0) / 1e9));
    if (json) {
      out.println(JsonOut.write(report));
    } else {
      printText(report);
    }
    return 0;
  }

  private static OsloTransport transport(OsloSettings oslo, String name) {
    return OsloTransport.create(
        HaConnectionFactory.builder().settings(oslo.amqp()).connectionName(name).build(), oslo);
  }

  // ---------------------------------------------------------------- Java callers

  private static Cell javaLoad(RpcClient client, int callers, int seconds) throws Exception {
    Map<String, Object> args = Map.of("value", "ping");
    for (int i = 0; i < WARMUP_CALLS; i++) {
      client.call(Map.of(), "echo", args);
    }
    List<List<Double>> latencies = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    for (int i = 0; i < callers; i++) {
      List<Double> mine = new ArrayList<>();
      latencies.add(mine);
      Thread t =
          new Thread(
              () -> {
                while (true) {
                  long s = System.nanoTime();
                  if (s >= end) {
                    return;
                  }
                  try {
                    client.call(Map.of(), "echo", args);
                    mine.add((System.nanoTime() - s) / 1e6);
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                  }
                }
              },
              "bench-rpc-caller-" + i);
      threads.add(t);
      t.start();
    }
    // each call ends within rpc_response_timeout (30 s here); the bound leaves room for that
    long deadline = end + CALL_MARGIN.toNanos();
    for (Thread t : threads) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (Bounded.join(t, left, Duration.ofSeconds(10)) == Bounded.Joined.STUCK) {
        throw new TimeoutException(
            "RPC caller "
                + t.getName()
                + " still running "
                + CALL_MARGIN.toSeconds()
                + " s after the end");
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<Double> all = new ArrayList<>();
    latencies.forEach(all::addAll);
    return Cell.of(all, errors.get(), elapsed);
  }

  // ---------------------------------------------------------------- Python callers

  private Cell pythonLoad(
      List<Process> python,
      Path dir,
      Path script,
      Path conf,
      String topic,
      int callers,
      int seconds)
      throws Exception {
    Process p =
        start(
            python,
            dir,
            "load",
            List.of(
                script.toString(),
                conf.toString(),
                "load",
                topic,
                Integer.toString(callers),
                Integer.toString(seconds),
                Integer.toString(WARMUP_CALLS)));
    p.getOutputStream().close();
    // the output ends when the process does: read it with the same bound as the wait
    Duration bound = Duration.ofSeconds(seconds).plus(CALL_MARGIN).plus(READY);
    long deadline = System.nanoTime() + bound.toNanos();
    String text;
    try {
      text =
          Bounded.call(
                  "reading the Python load generator's output",
                  bound,
                  () -> new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
              .trim();
    } catch (TimeoutException e) {
      p.destroyForcibly();
      throw new TimeoutException(e.getMessage() + ": " + tail(dir.resolve("load.err")));
    }
    if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      p.destroyForcibly();
      throw new TimeoutException(
          "the Python load generator did not finish within " + bound.toSeconds() + " s");
    }
    if (p.exitValue() != 0 || text.isEmpty()) {
      throw new IllegalStateException(
          "the Python load generator failed (exit "
              + p.exitValue()
              + "): "
              + tail(dir.resolve("load.err")));
    }
    return parseLoad(text);
  }

  /** The JSON the Python load generator prints, as a cell. */
  static Cell parseLoad(String json) throws IOException {
    Map<String, Object> m = JSON.std.mapFrom(json);
    List<Double> latencies = new ArrayList<>();
    for (Object x : (List<?>) m.get("latencies_ms")) {
      latencies.add(((Number) x).doubleValue());
    }
    return Cell.of(
        latencies,
        ((Number) m.get("errors")).longValue(),
        ((Number) m.get("elapsed_s")).doubleValue());
  }

  private static Process start(List<Process> python, Path dir, String name, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PYTHON);
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve(name + ".err").toFile()).start();
    python.add(p);
    return p;
  }

  private static void awaitReady(Process p, Path stderr) throws Exception {
    long deadline = System.nanoTime() + READY.toNanos();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Thread reader =
        new Thread(
            () -> {
              try {
                r.readLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "bench-rpc-ready");
    reader.setDaemon(true);
    reader.start();
    reader.join(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    if (reader.isAlive() || !p.isAlive()) {
      throw new IllegalStateException("the Python RPC server did not start: " + tail(stderr));
    }
  }

  private static String tail(Path f) {
    try {
      List<String> lines = Files.readAllLines(f);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no stderr)";
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory
    }
  }

  private void progress(boolean json, String line) {
    (json ? err : out).println(line);
  }

  @SuppressWarnings("unchecked")
  private void printText(Map<String, Object> report) {
    out.println();
    out.println("== ha4j bench rpc: " + report.get("setup"));
    out.println("callers | pair | calls/s | p50 ms | p99 ms | throughput ratio | p99 ratio");
    ((Map<String, Object>) report.get("results"))
        .forEach(
            (callers, row) ->
                ((Map<String, Object>) row)
                    .forEach(
                        (pair, v) -> {
                          Map<String, Object> m = (Map<String, Object>) v;
                          out.printf(
                              "%s | %s | %s | %s | %s | %s | %s%n",
                              callers.substring("callers_".length()),
                              pair,
                              m.get("calls_s"),
                              m.get("p50_ms"),
                              m.get("p99_ms"),
                              m.get("throughput_ratio"),
                              m.get("p99_ratio"));
                        }));
    out.println("elapsed: " + report.get("elapsed_s") + " s");
  }
}

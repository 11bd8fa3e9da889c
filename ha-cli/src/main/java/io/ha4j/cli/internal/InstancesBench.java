package io.ha4j.cli.internal;

import io.ha4j.cli.internal.BenchInstance.Contender;
import io.ha4j.cli.internal.InstanceLines.WriterAt;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.GaleraCluster.GaleraNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ha4j bench instances}: starts a 3-node test-kit Galera cluster and several application
 * instances, each in a JVM of its own ({@link BenchInstance}), all adding to the same few hot rows:
 * first through HikariCP spread over the nodes ({@code hikari_spread}), then through ha4j (every
 * instance picks the same writer). Reports transactions, 1213s, retries and errors per 10,000
 * transactions and the throughput ratio; then, for ha4j, kills the writer node {@code kills} times
 * while all instances run and reports how long the instances named different writers; last, what
 * one probe costs a node ({@link ProbeCost}).
 *
 * <p>Every wait is bounded; an instance that does not answer within a bound is reported, counted
 * and stopped. Every instance is stopped by its PID at the end, on failure and on Ctrl-C.
 */
final class InstancesBench {

  /** What the run measures. */
  record Options(
      int instances,
      int threads,
      int seconds,
      int rows,
      int kills,
      boolean probeCost,
      int probeSeconds,
      boolean json) {
    Options {
      if (instances < 1 || threads < 1 || seconds < 1 || rows < 2 || kills < 0) {
        throw new IllegalArgumentException(
            "instances, threads and seconds must be positive, rows at least 2 and kills not"
                + " negative");
      }
    }
  }

  /** Traffic before the measured time, discarded. */
  static final Duration WARM_UP = Duration.ofSeconds(3);

  /** Bound on an instance's JVM starting and opening its data source. */
  static final Duration READY_BOUND = Duration.ofSeconds(120);

  /** Bound on an instance answering {@code SNAP} or {@code STOP}. */
  static final Duration ANSWER_BOUND = Duration.ofSeconds(30);

  /** Bound on every instance naming the same writer before a kill. */
  static final Duration AGREE_BOUND = Duration.ofSeconds(60);

  /** Bound on every instance naming a new writer after a kill. */
  static final Duration MOVE_BOUND = Duration.ofSeconds(60);

  /** Bound on every instance naming the restored node again (failback). */
  static final Duration FAILBACK_BOUND = Duration.ofSeconds(60);

  /** Traffic counted after the last instance failed back, in the kill phase's failback segment. */
  static final Duration FAILBACK_SETTLE = Duration.ofSeconds(1);

  /** Bound on the cluster being healthy again after a kill (the killed node restarted). */
  static final Duration RESTORE = Duration.ofMinutes(3);

  /** Bound on an instance's JVM ending after STOP, and after being killed. */
  static final Duration EXIT_BOUND = Duration.ofSeconds(15);

  private static final Duration POLL = Duration.ofMillis(10);

  private final PrintStream out;
  private final PrintStream err;
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private boolean json;

  InstancesBench(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** {@code ha4j bench instances}. */
  int run(Options o) throws Exception {
    json = o.json();
    long t0 = System.nanoTime();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("setup", setup(o));
    Path dir = Files.createTempDirectory("ha4j-bench-instances-");
    progress("starting a 3-node Galera cluster (test kit) ...");
    try (GaleraCluster galera = GaleraCluster.builder().name("bench-inst").nodes(3).start();
        Children kids = new Children(dir)) {
      createTable(galera, o.rows());
      Map<String, Object> contenders = new LinkedHashMap<>();
      List<Child> spread = start(kids, galera, Contender.HIKARI_SPREAD, o);
      Map<String, Object> hikari = traffic(spread, o.seconds(), true);
      kids.stop(spread);
      List<Child> ha = start(kids, galera, Contender.HA4J, o);
      Map<String, Object> ha4j = traffic(ha, o.seconds(), o.kills() == 0);
      contenders.put("ha4j", ha4j);
      contenders.put("hikari_spread", hikari);
      report.put("contenders", contenders);
      report.put("ratios", ratios(ha4j, hikari));
      if (o.kills() > 0) {
        report.put("writer_after_kill", kills(galera, ha, o.kills()));
      }
      kids.stop(ha);
      if (o.probeCost()) {
        report.put("probe_cost", ProbeCost.measure(galera, 1, o.probeSeconds(), this::progress));
      }
    } finally {
      deleteTree(dir);
    }
    report.put("load_average_1m_at_end", loadAverage());
    report.put("problems", List.copyOf(problems));
    report.put("elapsed_s", Math.round((System.nanoTime() - t0) / 1e9));
    if (o.json()) {
      out.println(JsonOut.write(report));
    } else {
      printText(report);
    }
    return 0;
  }

  static Map<String, Object> setup(Options o) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("instances", o.instances());
    s.put("threads_per_instance", o.threads());
    s.put("rows", o.rows());
    s.put("seconds", o.seconds());
    s.put("warm_up_s", WARM_UP.toSeconds());
    s.put("kills", o.kills());
    s.put(
        "transaction",
        "UPDATE hot SET v = v + 1 WHERE id = ? on 2 distinct random ids of "
            + o.rows()
            + ", in id order, one transaction");
    s.put("contenders", Stream.of(Contender.values()).map(Contender::id).toList());
    s.put("hikari_spread_retries_of_1213", BenchInstance.PLAIN_RETRIES);
    s.put("cores", Runtime.getRuntime().availableProcessors());
    s.put("load_average_1m_at_start", loadAverage());
    Map<String, Object> bounds = new LinkedHashMap<>();
    bounds.put("ready_s", READY_BOUND.toSeconds());
    bounds.put("answer_s", ANSWER_BOUND.toSeconds());
    bounds.put("agree_s", AGREE_BOUND.toSeconds());
    bounds.put("move_s", MOVE_BOUND.toSeconds());
    bounds.put("failback_s", FAILBACK_BOUND.toSeconds());
    bounds.put("restore_s", RESTORE.toSeconds());
    s.put("bounds", bounds);
    return s;
  }

  private static void createTable(GaleraCluster galera, int rows) throws Exception {
    try (GaleraDataSource ds =
        GaleraDataSource.builder()
            .settings(KitSettings.galera(galera).build())
            .name("bench-setup")
            .build()) {
      ds.run(
          c -> {
            try (Statement st = c.createStatement()) {
              st.execute(
                  "CREATE TABLE IF NOT EXISTS "
                      + BenchInstance.TABLE
                      + " (id INT PRIMARY KEY, v BIGINT NOT NULL)");
              st.execute(
                  "INSERT IGNORE INTO "
                      + BenchInstance.TABLE
                      + " SELECT seq, 0 FROM seq_1_to_"
                      + rows); // MariaDB sequence engine
            }
          });
    }
  }

  // ---------------------------------------------------------------- instances

  /** Starts {@code o.instances()} children; those not ready within the bound are stopped. */
  private List<Child> start(Children kids, GaleraCluster galera, Contender c, Options o)
      throws Exception {
    progress("starting " + o.instances() + " " + c.id() + " instances (one JVM each) ...");
    List<Child> all = new ArrayList<>();
    for (int i = 1; i <= o.instances(); i++) {
      GaleraNode own = galera.node(1 + (i - 1) % galera.nodes().size());
      BenchInstance.Config config =
          new BenchInstance.Config(
              c,
              i,
              o.threads(),
              o.rows(),
              galera.hostsAndPorts(),
              own.jdbcUrl(),
              galera.database(),
              galera.user(),
              galera.password());
      all.add(kids.spawn(config));
    }
    long deadline = System.nanoTime() + READY_BOUND.toNanos();
    List<Child> ready = new ArrayList<>();
    for (Child ch : all) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (ch.ready.await(left, TimeUnit.NANOSECONDS) && ch.process.isAlive()) {
        ready.add(ch);
      } else {
        problem(
            c.id()
                + " instance "
                + ch.index
                + " not ready within "
                + READY_BOUND.toSeconds()
                + " s; stopped: "
                + ch.tail());
        kids.kill(ch);
      }
    }
    if (ready.isEmpty()) {
      throw new IllegalStateException("no " + c.id() + " instance started");
    }
    return ready;
  }

  /**
   * GO, a discarded warm-up, then the measured time: the contender's figures. With {@code stop} the
   * instances are told to stop (their counts are the measured ones); without, they go on.
   */
  private Map<String, Object> traffic(List<Child> cs, int seconds, boolean stop)
      throws InterruptedException {
    String id = cs.get(0).config.contender().id();
    if (cs.get(0).config.contender() == Contender.HA4J) {
      String w = awaitAgreement(cs, AGREE_BOUND);
      progress("ha4j instances agree on writer " + (w == null ? "(none: NOT AGREED)" : w));
    }
    cs.forEach(ch -> ch.send("GO"));
    Thread.sleep(WARM_UP.toMillis());
    collect(cs, "SNAP");
    progress(id + ": warm-up done; measuring " + seconds + " s");
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    Map<String, Object> m =
        aggregate(List.copyOf(collect(cs, stop ? "STOP" : "SNAP").values()), cs.size());
    progress(
        String.format(
            Locale.ROOT,
            "%s: %s tx/s, 1213 per 10k %s, retries per 10k %s, errors per 10k %s",
            id,
            m.get("tx_per_s"),
            m.get("seen_1213_per_10k"),
            m.get("retries_per_10k"),
            m.get("errors_per_10k")));
    return m;
  }

  /**
   * Sends {@code command} to every child and collects their RESULTs, each within the bound, by
   * instance.
   */
  private Map<Integer, InstanceLines.Result> collect(List<Child> cs, String command)
      throws InterruptedException {
    cs.forEach(ch -> ch.send(command));
    long deadline = System.nanoTime() + ANSWER_BOUND.toNanos();
    Map<Integer, InstanceLines.Result> rs = new LinkedHashMap<>();
    for (Child ch : cs) {
      InstanceLines.Result r =
          ch.results.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (r == null) {
        problem(
            "instance "
                + ch.index
                + " did not answer "
                + command
                + " within "
                + ANSWER_BOUND.toSeconds()
                + " s: "
                + ch.tail());
      } else {
        rs.put(ch.index, r);
      }
    }
    return rs;
  }

  /**
   * A contender's figures from its instances' RESULTs: sums, throughput (each instance's
   * transactions over its own measured time, summed), and rates per 10,000 transactions.
   */
  static Map<String, Object> aggregate(List<InstanceLines.Result> rs, int instances) {
    long committed = 0;
    long seen = 0;
    long retries = 0;
    long errors = 0;
    double txPerS = 0;
    double seconds = 0;
    Map<String, Long> kinds = new TreeMap<>();
    for (InstanceLines.Result r : rs) {
      committed += r.get("committed");
      seen += r.get("seen_1213");
      retries += r.get("retries");
      errors += r.get("errors");
      double s = r.get("elapsed_ms") / 1000.0;
      seconds += s;
      if (s > 0) {
        txPerS += r.get("committed") / s;
      }
      r.counts()
          .forEach(
              (k, v) -> {
                if (k.startsWith("errors_")) {
                  kinds.merge(k.substring("errors_".length()), v, Long::sum);
                }
              });
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instances", instances);
    m.put("instances_answered", rs.size());
    m.put("measured_s", rs.isEmpty() ? null : Math.round(seconds / rs.size() * 10) / 10.0);
    m.put("committed", committed);
    m.put("tx_per_s", Math.round(txPerS * 10) / 10.0);
    m.put("seen_1213", seen);
    m.put("retries", retries);
    m.put("errors", errors);
    m.put("errors_by_kind", kinds);
    m.put("seen_1213_per_10k", InstanceLines.per10k(seen, committed));
    m.put("retries_per_10k", InstanceLines.per10k(retries, committed));
    m.put("errors_per_10k", InstanceLines.per10k(errors, committed));
    return m;
  }

  static Map<String, Object> ratios(Map<String, Object> ha4j, Map<String, Object> hikari) {
    double a = ((Number) ha4j.get("tx_per_s")).doubleValue();
    double b = ((Number) hikari.get("tx_per_s")).doubleValue();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("throughput_ha4j_vs_hikari_spread", b > 0 ? Math.round(a / b * 1000) / 1000.0 : null);
    return m;
  }

  // ---------------------------------------------------------------- kills

  /**
   * {@code kills} times: wait for every instance to name the same writer, kill -9 that node, wait
   * for every instance to name a new writer, restore the cluster, wait for them to fail back. Then
   * STOP: the instances' counts over the whole kill phase.
   */
  private Map<String, Object> kills(GaleraCluster galera, List<Child> cs, int kills)
      throws Exception {
    List<Map<String, Object>> samples = new ArrayList<>();
    List<Long> disagreement = new ArrayList<>();
    List<Long> failback = new ArrayList<>();
    List<Long> firstMove = new ArrayList<>();
    List<Long> lastMove = new ArrayList<>();
    int notMeasured = 0;
    int notMovedInstances = 0;
    Segments segments = new Segments();
    for (int k = 1; k <= kills; k++) {
      String victimName = awaitAgreement(cs, AGREE_BOUND);
      GaleraNode victim =
          victimName == null
              ? null
              : galera.nodes().stream()
                  .filter(n -> n.hostAndPort().equals(victimName))
                  .findFirst()
                  .orElse(null);
      if (victim == null) {
        notMeasured++;
        problem(
            "kill "
                + k
                + ": the instances did not agree on a writer of the cluster within "
                + AGREE_BOUND.toSeconds()
                + " s ("
                + writers(cs)
                + "); not killed");
        galera.restoreHealthy(RESTORE);
        continue;
      }
      segments.add("steady", collect(cs, "SNAP"));
      long killedAt = System.currentTimeMillis();
      victim.kill(); // returns once every thread of the server has exited
      long killTook = System.currentTimeMillis() - killedAt;
      boolean allMoved =
          Bounded.SYSTEM.until(
              () -> moves(cs, killedAt, victimName).moved() == cs.size(), MOVE_BOUND, POLL);
      Map<Integer, InstanceLines.Result> failover = collect(cs, "SNAP");
      segments.add("failover", failover);
      progress(
          "kill "
              + k
              + "/"
              + kills
              + ": killed node"
              + victim.index()
              + " at "
              + killedAt
              + " ("
              + victimName
              + "); "
              + (allMoved ? "every instance moved" : "NOT every instance moved")
              + "; restoring the cluster ...");
      galera.restoreHealthy(RESTORE);
      progress(
          "kill " + k + "/" + kills + ": cluster healthy again at " + System.currentTimeMillis());
      Bounded.SYSTEM.until(
          () -> moves(cs, killedAt, victimName).backMs().stream().anyMatch(Objects::nonNull),
          FAILBACK_BOUND,
          POLL);
      Map<Integer, InstanceLines.Result> rejoin = collect(cs, "SNAP");
      segments.add("rejoin", rejoin);
      boolean allBack =
          Bounded.SYSTEM.until(
              () -> moves(cs, killedAt, victimName).backMs().stream().allMatch(Objects::nonNull),
              FAILBACK_BOUND,
              POLL);
      Thread.sleep(FAILBACK_SETTLE.toMillis());
      Map<Integer, InstanceLines.Result> failbackCounts = collect(cs, "SNAP");
      segments.add("failback", failbackCounts);
      InstanceLines.Moves m = moves(cs, killedAt, victimName);
      long notMoved = cs.size() - m.moved();
      notMovedInstances += (int) notMoved;
      if (notMoved > 0) {
        problem(
            "kill "
                + k
                + ": "
                + notMoved
                + " instance(s) named no new writer within "
                + MOVE_BOUND.toSeconds()
                + " s");
      }
      if (!allBack) {
        problem(
            "kill "
                + k
                + ": not every instance failed back to "
                + victimName
                + " within "
                + FAILBACK_BOUND.toSeconds()
                + " s of the restore");
      }
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("kill", k);
      s.put("victim", victimName);
      s.put("kill_took_ms", killTook);
      s.put("new_writers", m.newWriters());
      s.put("moved", m.moved());
      s.put("not_moved", notMoved);
      s.put("first_move_ms", m.firstMoveMs());
      s.put("last_move_ms", m.lastMoveMs());
      s.put("disagreement_ms", m.disagreementMs());
      s.put("failback_disagreement_ms", m.failbackDisagreementMs());
      s.put("moved_ms", m.movedMs());
      s.put("back_ms", m.backMs());
      s.put("seen_1213_failover", sum(failover, "seen_1213"));
      s.put("seen_1213_rejoin", sum(rejoin, "seen_1213"));
      s.put("seen_1213_failback", sum(failbackCounts, "seen_1213"));
      s.put(
          "errors",
          sum(failover, "errors") + sum(rejoin, "errors") + sum(failbackCounts, "errors"));
      samples.add(s);
      add(disagreement, m.disagreementMs());
      add(failback, m.failbackDisagreementMs());
      add(firstMove, m.firstMoveMs());
      add(lastMove, m.lastMoveMs());
      progress(
          String.format(
              Locale.ROOT,
              "kill %d/%d: moved to %s, first %s ms, last %s ms after the kill: instances"
                  + " disagreed %s ms; failback disagreement %s ms",
              k,
              kills,
              m.newWriters(),
              m.firstMoveMs(),
              m.lastMoveMs(),
              m.disagreementMs(),
              m.failbackDisagreementMs()));
    }
    segments.add("steady", collect(cs, "STOP"));
    Map<String, Object> traffic = new LinkedHashMap<>();
    traffic.put("all", aggregate(segments.all(), cs.size()));
    for (String name : List.of("failover", "rejoin", "failback")) {
      traffic.put(name, aggregate(segments.of(name), cs.size()));
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kills", kills);
    r.put("measured", samples.size());
    r.put("not_measured", notMeasured);
    r.put("instances_not_moved", notMovedInstances);
    r.put("disagreement_p50_ms", InstanceLines.percentile(disagreement, 50));
    r.put("disagreement_max_ms", InstanceLines.percentile(disagreement, 100));
    r.put("first_move_p50_ms", InstanceLines.percentile(firstMove, 50));
    r.put("last_move_max_ms", InstanceLines.percentile(lastMove, 100));
    r.put("failback_disagreement_p50_ms", InstanceLines.percentile(failback, 50));
    r.put("failback_disagreement_max_ms", InstanceLines.percentile(failback, 100));
    r.put("traffic_during_kills", traffic);
    r.put("samples", samples);
    return r;
  }

  /**
   * The kill phase's counts by segment: {@code steady} (before, between and after the kills),
   * {@code failover} (a kill to every instance on a new writer), {@code rejoin} (to the first
   * instance back on the restored node), {@code failback} (to every instance back, and {@link
   * #FAILBACK_SETTLE} more); each instance's results of a segment merged over the kills.
   */
  private static final class Segments {
    private final Map<String, Map<Integer, List<InstanceLines.Result>>> byName =
        new LinkedHashMap<>();

    void add(String name, Map<Integer, InstanceLines.Result> rs) {
      Map<Integer, List<InstanceLines.Result>> m =
          byName.computeIfAbsent(name, k -> new TreeMap<>());
      rs.forEach((i, r) -> m.computeIfAbsent(i, k -> new ArrayList<>()).add(r));
    }

    /** Each instance's results of the segment, merged. */
    List<InstanceLines.Result> of(String name) {
      return byName.getOrDefault(name, Map.of()).values().stream()
          .map(InstanceLines::merge)
          .toList();
    }

    /** Each instance's results of every segment, merged. */
    List<InstanceLines.Result> all() {
      Map<Integer, List<InstanceLines.Result>> m = new TreeMap<>();
      byName
          .values()
          .forEach(
              seg ->
                  seg.forEach((i, rs) -> m.computeIfAbsent(i, k -> new ArrayList<>()).addAll(rs)));
      return m.values().stream().map(InstanceLines::merge).toList();
    }
  }

  private static long sum(Map<Integer, InstanceLines.Result> rs, String key) {
    return rs.values().stream().mapToLong(r -> r.get(key)).sum();
  }

  private static void add(List<Long> xs, Long x) {
    if (x != null) {
      xs.add(x);
    }
  }

  private static InstanceLines.Moves moves(List<Child> cs, long killedAt, String victim) {
    return InstanceLines.moves(
        cs.stream().map(ch -> List.copyOf(ch.timeline)).toList(), killedAt, victim);
  }

  /** The writer every instance names, once they agree within the bound; null if they do not. */
  private static String awaitAgreement(List<Child> cs, Duration bound) throws InterruptedException {
    Bounded.SYSTEM.until(() -> agreed(cs) != null, bound, POLL);
    return agreed(cs);
  }

  private static String agreed(List<Child> cs) {
    String w = cs.get(0).writer;
    if (w == null) {
      return null;
    }
    return cs.stream().allMatch(ch -> w.equals(ch.writer)) ? w : null;
  }

  private static String writers(List<Child> cs) {
    StringBuilder b = new StringBuilder();
    for (Child ch : cs) {
      b.append(b.length() == 0 ? "" : ", ").append(ch.index).append(": ").append(ch.writer);
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- children

  /** One instance's JVM, the reader of its stdout and what it said. */
  private final class Child {
    final BenchInstance.Config config;
    final int index;
    final Process process;
    final Path log;
    final CountDownLatch ready = new CountDownLatch(1);
    final BlockingQueue<InstanceLines.Result> results = new LinkedBlockingQueue<>();
    final List<WriterAt> timeline = new CopyOnWriteArrayList<>();
    final PrintStream stdin;
    volatile String writer;

    Child(BenchInstance.Config config, Process process, Path log) {
      this.config = config;
      this.index = config.index();
      this.process = process;
      this.log = log;
      this.stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
      Thread reader = new Thread(this::read, "bench-instance-" + index + "-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          InstanceLines.Line l = InstanceLines.parse(line);
          if (l instanceof InstanceLines.Ready) {
            ready.countDown();
          } else if (l instanceof WriterAt w) {
            timeline.add(w);
            writer = w.writer();
          } else if (l instanceof InstanceLines.Result x) {
            results.add(x);
          } else if (l instanceof InstanceLines.Note n) {
            progress("  " + config.contender().id() + " " + n.text());
          }
        }
      } catch (IOException e) {
        // the process is gone: nothing more to read
      }
    }

    /** Sends one command; a child that is gone is noticed by the bound on its answer. */
    void send(String command) {
      stdin.println(command);
    }

    /** The last lines of its stderr, for a problem report. */
    String tail() {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return (process.isAlive() ? "running" : "exit " + process.exitValue())
            + "; stderr: "
            + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
      } catch (IOException e) {
        return "no stderr log: " + e.getMessage();
      }
    }
  }

  /** Every child JVM started, each stopped by its PID at the end, on failure and on Ctrl-C. */
  private final class Children implements AutoCloseable {
    private final Path dir;
    private final List<Child> all = new CopyOnWriteArrayList<>();
    private final Thread hook;

    Children(Path dir) {
      this.dir = dir;
      this.hook =
          new Thread(
              () -> {
                killAll();
                deleteTree(dir);
              },
              "bench-instances-stop");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    Child spawn(BenchInstance.Config config) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx256m");
      cmd.add("-XX:+UseSerialGC");
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(BenchInstance.class.getName());
      cmd.addAll(config.args());
      Path log = dir.resolve(config.contender().id() + "-" + config.index() + ".err");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
      pb.environment().put(BenchInstance.PASSWORD_ENV, config.password());
      Child ch = new Child(config, pb.start(), log);
      all.add(ch);
      return ch;
    }

    /** Waits (bounded) for each child to end after STOP, then kills what is left. */
    void stop(List<Child> cs) throws InterruptedException {
      long deadline = System.nanoTime() + EXIT_BOUND.toNanos();
      for (Child ch : cs) {
        if (!ch.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          problem(
              "instance "
                  + ch.index
                  + " still running "
                  + EXIT_BOUND.toSeconds()
                  + " s after STOP; killed");
        }
        kill(ch);
      }
    }

    /** Kills the child's JVM by its PID and waits (bounded) for it to be gone. */
    void kill(Child ch) {
      if (ch.process.isAlive()) {
        ch.process.destroyForcibly();
        try {
          if (!ch.process.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            problem("instance " + ch.index + " (pid " + ch.process.pid() + ") did not die");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ch.stdin.close();
    }

    private void killAll() {
      for (Child ch : all) {
        if (ch.process.isAlive()) {
          ch.process.destroyForcibly();
        }
      }
      for (Child ch : all) {
        try {
          ch.process.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    @Override
    public void close() {
      killAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs anyway
      }
    }
  }

  // ---------------------------------------------------------------- output

  /** The report for people: the contenders, the kills, the probe cost, the problems. */
  @SuppressWarnings("unchecked")
  private void printText(Map<String, Object> report) {
    out.println();
    out.println("== ha4j bench instances");
    Map<String, Object> cs = (Map<String, Object>) report.get("contenders");
    if (cs != null) {
      out.printf(
          Locale.ROOT,
          "%-14s %10s %9s %13s %16s %15s%n",
          "contender",
          "committed",
          "tx/s",
          "1213 per 10k",
          "retries per 10k",
          "errors per 10k");
      cs.forEach(
          (name, v) -> {
            Map<String, Object> m = (Map<String, Object>) v;
            out.printf(
                Locale.ROOT,
                "%-14s %10s %9s %13s %16s %15s%n",
                name,
                m.get("committed"),
                m.get("tx_per_s"),
                m.get("seen_1213_per_10k"),
                m.get("retries_per_10k"),
                m.get("errors_per_10k"));
          });
      out.println(
          "throughput ha4j / hikari_spread: "
              + ((Map<String, Object>) report.get("ratios"))
                  .get("throughput_ha4j_vs_hikari_spread"));
    }
    Map<String, Object> k = (Map<String, Object>) report.get("writer_after_kill");
    if (k != null) {
      out.printf(
          Locale.ROOT,
          "writer after %s kill(s), %s measured: disagreement p50 %s ms, max %s ms;"
              + " failback disagreement p50 %s ms, max %s ms%n",
          k.get("kills"),
          k.get("measured"),
          k.get("disagreement_p50_ms"),
          k.get("disagreement_max_ms"),
          k.get("failback_disagreement_p50_ms"),
          k.get("failback_disagreement_max_ms"));
      Map<String, Object> all =
          (Map<String, Object>) ((Map<String, Object>) k.get("traffic_during_kills")).get("all");
      out.printf(
          Locale.ROOT,
          "  during the kills: %s committed, %s 1213, %s retries, %s errors surfaced%n",
          all.get("committed"),
          all.get("seen_1213"),
          all.get("retries"),
          all.get("errors"));
    }
    Map<String, Object> p = (Map<String, Object>) report.get("probe_cost");
    if (p != null) {
      ((Map<String, Object>) p.get("queries"))
          .forEach(
              (q, v) ->
                  out.printf(
                      Locale.ROOT,
                      "probe cost %-18s %10s us of server CPU each%n",
                      q,
                      ((Map<String, Object>) v).get("cpu_us_per_probe")));
      Map<String, Object> c = (Map<String, Object>) p.get("capacity");
      out.println(
          "instances per cluster within 1 % of a node's core at check_interval "
              + c.get("check_interval_ms")
              + " ms: "
              + c.get("max_instances")
              + " ("
              + c.get("formula")
              + ")");
    }
    out.println("problems: " + report.get("problems"));
    out.println("elapsed: " + report.get("elapsed_s") + " s");
  }

  private void problem(String p) {
    problems.add(p);
    progress("PROBLEM: " + p);
  }

  private void progress(String line) {
    (json ? err : out).println(line);
  }

  /** The machine's 1-minute load average (other work on it shows here), null if unknown. */
  private static Double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}

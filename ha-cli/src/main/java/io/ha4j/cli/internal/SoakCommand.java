package io.ha4j.cli.internal;

import io.ha4j.config.AmqpSettings;
import io.ha4j.config.GaleraSettings;
import io.ha4j.testkit.ClusterException;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.GaleraCluster.GaleraNode;
import io.ha4j.testkit.LocalCluster;
import io.ha4j.testkit.LocalNode;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.Waits;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ha4j soak}: two real 3-node clusters, several application instances in this JVM sending
 * messages and writing rows through ha4j, and a seeded mix of faults on one node at a time for the
 * whole run; then a count of what was lost, duplicated or left unknown, the longest stalls, and
 * whether threads and file descriptors came back.
 */
final class SoakCommand {

  /** Messages per second per instance. */
  static final int MESSAGE_RATE = 50;

  /** Units of work per second per instance, at most. */
  static final int COMMIT_RATE = 25;

  /** How long a cluster may take to be healthy again after a fault. */
  static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(150);

  /** The quiet time after a recovery before the next fault, so that clients can settle. */
  static final Duration SETTLE = Duration.ofSeconds(3);

  /** No fault starts unless it ends this long before the end of traffic. */
  static final Duration LAST_FAULT_MARGIN = Duration.ofSeconds(10);

  /** How long the last fault may go on after the end of traffic before the run stops waiting. */
  static final Duration FAULT_OVERRUN = Duration.ofMinutes(6);

  /** Bound on each step of the end: threads stopping, confirms, the drain, resources settling. */
  static final Duration FINAL_WAIT = Duration.ofSeconds(60);

  private static final Duration WRITER_POLL = Duration.ofMillis(50);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private final PrintStream out;
  private final PrintStream err;
  private final List<SoakReport.FaultResult> faults = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Set<Long> serverPids = new java.util.concurrent.ConcurrentSkipListSet<>();
  private final SoakTracking.WriterDisagreement disagreement =
      new SoakTracking.WriterDisagreement();
  private PrintStream live;
  private volatile long trafficStart;
  private volatile String currentFault = "none";
  private volatile boolean stopFaults;

  SoakCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(double minutes, long seed, int instances, boolean json) throws Exception {
    live = json ? err : out;
    try {
      io.ha4j.testkit.TestKit.requireRabbitMq();
      io.ha4j.testkit.TestKit.requireGalera();
    } catch (ClusterException e) {
      err.println("ha4j soak: " + e.getMessage());
      return 1;
    }
    long t0 = System.nanoTime();
    say(
        String.format(
            Locale.ROOT,
            "soak: %.1f min, seed %d, %d instance(s); starting a 3-node RabbitMQ and a 3-node"
                + " Galera cluster on 127.0.0.x ...",
            minutes,
            seed,
            instances));
    CompletableFuture<RabbitCluster> rf =
        CompletableFuture.supplyAsync(() -> RabbitCluster.builder().name("soak").nodes(3).start());
    CompletableFuture<GaleraCluster> gf =
        CompletableFuture.supplyAsync(() -> GaleraCluster.builder().name("soak").nodes(3).start());
    RabbitCluster rabbit;
    GaleraCluster galera;
    try {
      rabbit = rf.join();
    } catch (RuntimeException e) {
      gf.thenAccept(GaleraCluster::close);
      throw e;
    }
    try {
      galera = gf.join();
    } catch (RuntimeException e) {
      rabbit.close();
      throw e;
    }
    // On Ctrl-C the test kit's own shutdown hook kills both clusters' processes and removes their
    // iptables rules; this one only stops new faults and says what happens.
    Thread hook =
        new Thread(
            () -> {
              stopFaults = true;
              err.println("ha4j soak: interrupted; stopping both clusters");
            },
            "soak-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    try (rabbit;
        galera) {
      say(
          String.format(
              Locale.ROOT,
              "clusters up in %.1f s (%s, %s)",
              (System.nanoTime() - t0) / 1e9,
              rabbit.runId(),
              galera.runId()));
      SoakReport report = soak(rabbit, galera, minutes, seed, instances);
      if (json) {
        out.println(JsonOut.write(report.toMap()));
      } else {
        report.print(out);
      }
      return report.exitCode();
    } finally {
      say("clusters stopped");
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down
      }
    }
  }

  private SoakReport soak(
      RabbitCluster rabbit, GaleraCluster galera, double minutes, long seed, int count)
      throws Exception {
    AmqpSettings amqp =
        KitSettings.amqp(rabbit)
            .quorumQueue(true)
            .heartbeatTimeoutThreshold(Duration.ofSeconds(6))
            .build();
    GaleraSettings db = KitSettings.galera(galera).maxPoolSize(2).maxOverflow(2).build();

    // Warm-up: one instance that connects, sends, receives, writes and closes, so that what a
    // first connection loads or starts once per JVM is there before the resources are counted.
    try (SoakInstance warm = new SoakInstance(0, amqp, db, MESSAGE_RATE, COMMIT_RATE, this::say)) {
      warm.open();
      SoakInstance.createTable(warm.dataSource());
      warm.publishOne();
      warm.insertOne(1);
      Waits.until(
          "the warm-up message to come back",
          FINAL_WAIT,
          Duration.ofMillis(50),
          () -> warm.received(1) ? Waits.Poll.done() : Waits.Poll.notYet("not received"));
      if (warm.commits() != 1) {
        throw new IllegalStateException(
            "the warm-up insert failed: " + warm.errors() + ", unknown " + warm.unknownOutcomes());
      }
    }
    recordPids(rabbit, galera);
    int threadsStart = threads();
    int fdsStart = fds();

    List<SoakInstance> instances = new ArrayList<>();
    Thread faultThread = null;
    Thread writerThread = null;
    long trafficEnd;
    try {
      for (int i = 1; i <= count; i++) {
        SoakInstance inst = new SoakInstance(i, amqp, db, MESSAGE_RATE, COMMIT_RATE, this::say);
        instances.add(inst);
        inst.open();
      }
      say("warm-up done: " + threadsStart + " threads, " + fdsStart + " open fds; traffic starts");
      trafficStart = System.nanoTime();
      instances.forEach(SoakInstance::startTraffic);
      long deadline = trafficStart + (long) (minutes * 60e9);

      writerThread = daemon("soak-writers", () -> pollWriters(instances));
      SoakFaults plan = new SoakFaults(seed, 3);
      faultThread =
          daemon("soak-faults", () -> injectFaults(plan, rabbit, galera, instances, deadline));

      long nextTick = trafficStart + PROGRESS_EVERY.toNanos();
      while (System.nanoTime() < deadline || faultThread.isAlive()) {
        long now = System.nanoTime();
        // after the end of traffic, only the progress line is due while the last fault heals
        long wait = (now < deadline ? Math.min(nextTick, deadline) : nextTick) - now;
        if (wait > 0) {
          faultThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        }
        if (System.nanoTime() >= nextTick) {
          progress(instances);
          nextTick += PROGRESS_EVERY.toNanos();
        }
        if (System.nanoTime() >= deadline && faultThread.isAlive()) {
          stopFaults = true;
          if (System.nanoTime() - deadline > FAULT_OVERRUN.toNanos()) {
            problems.add(
                "the last fault was still going on "
                    + FAULT_OVERRUN.toMinutes()
                    + " min after the end of traffic: "
                    + currentFault);
            break;
          }
        }
      }
      trafficEnd = System.nanoTime();
      say("traffic stops; waiting for outstanding confirms, deliveries and units of work ...");
      for (SoakInstance inst : instances) {
        if (!inst.stopTraffic(FINAL_WAIT)) {
          problems.add(
              "instance "
                  + inst.index()
                  + ": traffic did not stop within "
                  + FINAL_WAIT.toSeconds()
                  + " s");
        }
      }
      writerThread.interrupt();
      for (SoakInstance inst : instances) {
        if (!inst.awaitConfirms(FINAL_WAIT)) {
          problems.add(
              "instance "
                  + inst.index()
                  + ": confirms still outstanding after "
                  + FINAL_WAIT.toSeconds()
                  + " s");
        }
      }
      try {
        Waits.until(
            "every confirmed message to be received",
            FINAL_WAIT,
            Duration.ofMillis(100),
            () -> {
              long missing = instances.stream().mapToLong(SoakInstance::missing).sum();
              return missing == 0 ? Waits.Poll.done() : Waits.Poll.notYet(missing + " missing");
            });
      } catch (Waits.TimeoutException e) {
        // counted as lost below
      }
      SoakReport.Messages messages = messages(instances);
      SoakReport.Db dbCounts = dbCounts(instances);
      SoakReport.Stalls stalls =
          new SoakReport.Stalls(
              instances.stream()
                  .mapToLong(i -> i.publisherStall().maxMillis(trafficEnd))
                  .max()
                  .orElse(0),
              instances.stream()
                  .mapToLong(i -> i.consumerStall().maxMillis(trafficEnd))
                  .max()
                  .orElse(0),
              instances.stream().mapToLong(i -> i.dbStall().maxMillis(trafficEnd)).max().orElse(0));
      instances.forEach(SoakInstance::close);
      instances.clear();
      SoakReport.Resources resources = settledResources(threadsStart, fdsStart);
      return new SoakReport(
          seed,
          minutes,
          count,
          (trafficEnd - trafficStart) / 1e9,
          faults,
          messages,
          dbCounts,
          stalls,
          disagreement.longestMillis(),
          resources,
          problems,
          List.of(rabbit.runId(), galera.runId()),
          new ArrayList<>(serverPids));
    } finally {
      stopFaults = true;
      instances.forEach(SoakInstance::close);
      if (writerThread != null) {
        writerThread.interrupt();
      }
    }
  }

  // ------------------------------------------------------------------ faults

  private void injectFaults(
      SoakFaults plan,
      RabbitCluster rabbit,
      GaleraCluster galera,
      List<SoakInstance> instances,
      long deadline) {
    try {
      injectPlanned(plan, rabbit, galera, instances, deadline);
    } catch (RuntimeException e) {
      problems.add("fault injection stopped: " + firstLine(e.getMessage()));
      say("  ! fault injection stopped: " + e);
    }
  }

  private void injectPlanned(
      SoakFaults plan,
      RabbitCluster rabbit,
      GaleraCluster galera,
      List<SoakInstance> instances,
      long deadline) {
    long previousStart = trafficStart;
    long earliest = trafficStart;
    while (!stopFaults) {
      SoakFaults.Fault f = plan.next();
      long start = Math.max(previousStart + TimeUnit.MILLISECONDS.toNanos(f.gapMillis()), earliest);
      if (start + TimeUnit.MILLISECONDS.toNanos(f.durationMillis()) + LAST_FAULT_MARGIN.toNanos()
          > deadline) {
        return;
      }
      while (System.nanoTime() < start) {
        if (stopFaults) {
          return;
        }
        Waits.pause(Duration.ofNanos(Math.min(start - System.nanoTime(), 200_000_000L)));
      }
      SoakReport.FaultResult r = inject(f, rabbit, galera, instances);
      faults.add(r);
      if (!r.recovered()) {
        say(
            "  ! fault #"
                + f.number()
                + " left the cluster unhealthy: no more faults ("
                + r.error()
                + ")");
        return;
      }
      previousStart = start;
      earliest = System.nanoTime() + SETTLE.toNanos();
    }
  }

  /** Injects one fault, ends it after its duration, and waits for the cluster to heal. */
  SoakReport.FaultResult inject(
      SoakFaults.Fault f,
      RabbitCluster rabbit,
      GaleraCluster galera,
      List<SoakInstance> instances) {
    double startS = since();
    long t0 = System.nanoTime();
    LocalCluster<?> cluster = f.target() == SoakFaults.Target.RABBIT ? rabbit : galera;
    LocalNode node;
    if (f.kind() == SoakFaults.Kind.DESYNC) {
      // the writer as the first instance sees it; the plan's node if it sees none right now
      node = writerNode(galera, instances).orElse(galera.node(f.node()));
    } else {
      node = f.target() == SoakFaults.Target.RABBIT ? rabbit.node(f.node()) : galera.node(f.node());
    }
    int index = node.index();
    currentFault =
        "#" + f.number() + " " + f.kind().label() + " " + f.target().label() + " node " + index;
    say(
        String.format(
            Locale.ROOT,
            "  ! t=%.1fs fault #%d: %s (node %d)",
            startS,
            f.number(),
            f.describe(),
            index));
    String error = null;
    Duration d = Duration.ofMillis(f.durationMillis());
    try {
      // A killed, paused or isolated node is brought back by the test kit's recovery below:
      // it starts, resumes or heals the node itself, and knowing which node was faulted, it
      // restarts a RabbitMQ node that a long pause or isolation left partitioned without waiting
      // for pause_minority first.
      switch (f.kind()) {
        case KILL -> {
          node.kill();
          Waits.pause(d);
        }
        case PAUSE -> {
          node.pause();
          Waits.pause(d);
        }
        case ISOLATE -> {
          node.isolate();
          Waits.pause(d);
        }
        case RESTART -> {
          node.stop();
          node.start();
        }
        case DESYNC -> {
          GaleraNode g = (GaleraNode) node;
          g.sql("SET GLOBAL wsrep_desync=ON");
          try {
            Waits.pause(d);
          } finally {
            g.sql("SET GLOBAL wsrep_desync=OFF");
          }
        }
      }
    } catch (RuntimeException e) {
      error = "the fault failed: " + firstLine(e.getMessage());
    }
    long t1 = System.nanoTime();
    currentFault = "#" + f.number() + " recovering " + f.target().label();
    boolean recovered = true;
    try {
      cluster.restoreHealthy(RECOVERY_TIMEOUT);
    } catch (RuntimeException e) {
      recovered = false;
      error =
          (error == null ? "" : error + "; ")
              + "not healthy again within "
              + RECOVERY_TIMEOUT.toSeconds()
              + " s: "
              + firstLine(e.getMessage());
    }
    long t2 = System.nanoTime();
    currentFault = "none";
    recordPids(rabbit, galera);
    say(
        String.format(
            Locale.ROOT,
            "  ! fault #%d over after %.1f s; %s healthy again after %.1f s%s",
            f.number(),
            (t1 - t0) / 1e9,
            f.target().label(),
            (t2 - t1) / 1e9,
            error == null ? "" : " (" + error + ")"));
    return new SoakReport.FaultResult(
        f, index, startS, (t1 - t0) / 1e9, (t2 - t1) / 1e9, recovered && error == null, error);
  }

  private void recordPids(RabbitCluster rabbit, GaleraCluster galera) {
    Stream.concat(rabbit.nodes().stream(), galera.nodes().stream())
        .forEach(n -> n.serverPid().ifPresent(serverPids::add));
  }

  /** The Galera node the first instance writes to now. */
  private static Optional<LocalNode> writerNode(
      GaleraCluster galera, List<SoakInstance> instances) {
    Optional<String> w = instances.get(0).dataSource().writer();
    if (w.isEmpty()) {
      return Optional.empty();
    }
    for (GaleraNode n : galera.nodes()) {
      if (n.hostAndPort().equals(w.get())) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------ observation

  private void pollWriters(List<SoakInstance> instances) {
    while (!Thread.currentThread().isInterrupted()) {
      List<Optional<String>> writers = new ArrayList<>();
      for (SoakInstance i : instances) {
        writers.add(i.dataSource().writer());
      }
      disagreement.observe(System.nanoTime(), writers);
      try {
        Thread.sleep(WRITER_POLL.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void progress(List<SoakInstance> instances) {
    Set<String> writers = new TreeSet<>();
    instances.forEach(i -> writers.add(i.dataSource().writer().orElse("(none)")));
    say(
        String.format(
            Locale.ROOT,
            "t=%4ds fault %-32s | msgs confirmed %7d received %7d | db commits %6d unknown %d"
                + " errors %d | faults %d | writers %s",
            (System.nanoTime() - trafficStart) / 1_000_000_000L,
            currentFault,
            instances.stream().mapToLong(SoakInstance::confirmed).sum(),
            instances.stream().mapToLong(SoakInstance::receivedDistinct).sum(),
            instances.stream().mapToLong(SoakInstance::commits).sum(),
            instances.stream().mapToLong(SoakInstance::unknownOutcomes).sum(),
            instances.stream().mapToLong(SoakInstance::errorCount).sum(),
            faults.size(),
            String.join(" ", writers)));
  }

  private static SoakReport.Messages messages(List<SoakInstance> instances) {
    long published = 0;
    long confirmed = 0;
    long notConfirmed = 0;
    long received = 0;
    long lost = 0;
    long duplicates = 0;
    for (SoakInstance i : instances) {
      published += i.published();
      confirmed += i.confirmed();
      notConfirmed += i.notConfirmed();
      received += i.receivedDistinct();
      lost += i.missing();
      duplicates += i.duplicates();
    }
    return new SoakReport.Messages(published, confirmed, notConfirmed, received, lost, duplicates);
  }

  /** Counts the table's rows by client id and compares them with the commits that returned. */
  private SoakReport.Db dbCounts(List<SoakInstance> instances) {
    long commits = 0;
    long unknown = 0;
    Map<String, Long> errors = new HashMap<>();
    Set<Long> committed = new HashSet<>();
    Set<Long> unknownIds = new HashSet<>();
    for (SoakInstance i : instances) {
      unknownIds.addAll(i.unknownIds());
      commits += i.commits();
      unknown += i.unknownOutcomes();
      i.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
      committed.addAll(i.committedIds());
    }
    Map<Long, Integer> rows;
    try {
      rows = instances.get(0).dataSource().call(SoakCommand::rowsById);
    } catch (SQLException | RuntimeException e) {
      problems.add("could not count the rows: " + e);
      return new SoakReport.Db(commits, -1, -1, -1, unknown, -1, errors);
    }
    long total = rows.values().stream().mapToLong(Integer::longValue).sum();
    long duplicated = rows.values().stream().filter(n -> n > 1).count();
    long lost = committed.stream().filter(id -> !rows.containsKey(id)).count();
    long unknownCommitted = unknownIds.stream().filter(rows::containsKey).count();
    return new SoakReport.Db(commits, total, lost, duplicated, unknown, unknownCommitted, errors);
  }

  private static Map<Long, Integer> rowsById(java.sql.Connection c) throws SQLException {
    Map<Long, Integer> rows = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT client_id, COUNT(*) FROM "
                    + SoakInstance.TABLE
                    + " WHERE instance > 0 GROUP BY client_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.put(rs.getLong(1), rs.getInt(2));
      }
    }
    return rows;
  }

  /**
   * Threads and descriptors after the instances closed; closing finishes on background threads, so
   * wait (bounded) for the counts to come back within the margin before taking them.
   */
  private static SoakReport.Resources settledResources(int threadsStart, int fdsStart) {
    try {
      Waits.until(
          "threads and file descriptors to come back",
          FINAL_WAIT,
          Duration.ofMillis(250),
          () ->
              threads() <= threadsStart + SoakReport.THREAD_MARGIN
                      && fds() <= fdsStart + SoakReport.FD_MARGIN
                  ? Waits.Poll.done()
                  : Waits.Poll.notYet("not yet"));
    } catch (Waits.TimeoutException e) {
      // reported as a leak by the report's rule
    }
    return new SoakReport.Resources(threadsStart, threads(), fdsStart, fds());
  }

  /** Live threads of this JVM. */
  static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /** Open file descriptors of this process, -1 where {@code /proc/self/fd} does not exist. */
  static int fds() {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return (int) s.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  // ------------------------------------------------------------------ output

  private double since() {
    return (System.nanoTime() - trafficStart) / 1e9;
  }

  private void say(String line) {
    PrintStream p = live == null ? out : live;
    synchronized (p) {
      p.println(line);
      p.flush();
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}

package io.ha4j.cli.internal;

import com.rabbitmq.client.AMQP;
import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.testkit.ClusterException;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.LoadRows;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.RabbitCluster.RabbitNode;
import io.ha4j.testkit.TestKit;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ha4j demo}: two real 3-node clusters on this machine, messages and database writes flowing
 * through ha4j while nodes are killed and paused on a fixed timetable, and a final count of what
 * was lost (nothing, or the exit code says so).
 */
final class DemoCommand {

  private static final String QUEUE = "ha4j-demo";
  private static final int RATE = 400; // messages per second

  private final PrintStream out;
  private final PrintStream err;
  private final long t0 = System.nanoTime();
  private final List<Map<String, Object>> failovers = new CopyOnWriteArrayList<>();
  private final List<Map<String, Object>> writerChanges = new CopyOnWriteArrayList<>();
  private final List<Map<String, Object>> faults = new CopyOnWriteArrayList<>();
  private volatile long trafficStart;
  private PrintStream live;

  DemoCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(int seconds, boolean json) throws Exception {
    live = json ? err : out;
    try {
      TestKit.requireRabbitMq();
      TestKit.requireGalera();
    } catch (ClusterException e) {
      err.println("ha4j demo: " + e.getMessage());
      err.println("ha4j demo: scripts/demo installs the servers first, then runs the demo");
      return 1;
    }
    say("starting a 3-node RabbitMQ cluster and a 3-node Galera cluster on 127.0.0.x ...");
    CompletableFuture<RabbitCluster> rf =
        CompletableFuture.supplyAsync(() -> RabbitCluster.builder().name("demo").nodes(3).start());
    CompletableFuture<GaleraCluster> gf =
        CompletableFuture.supplyAsync(() -> GaleraCluster.builder().name("demo").nodes(3).start());
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
    try (rabbit;
        galera) {
      say(String.format("clusters up in %.1f s", (System.nanoTime() - t0) / 1e9));
      return demo(rabbit, galera, seconds, json);
    } finally {
      say("clusters stopped");
    }
  }

  private int demo(RabbitCluster rabbit, GaleraCluster galera, int seconds, boolean json)
      throws Exception {
    AmqpSettings amqp =
        KitSettings.amqp(rabbit)
            .quorumQueue(true)
            .heartbeatTimeoutThreshold(Duration.ofSeconds(6))
            .build();
    GaleraSettings db = KitSettings.galera(galera).maxPoolSize(4).maxOverflow(4).build();

    AtomicLong sent = new AtomicLong();
    AtomicLong confirmed = new AtomicLong();
    AtomicLong nacked = new AtomicLong();
    Set<Long> confirmedIds = ConcurrentHashMap.newKeySet();
    Set<Long> received = ConcurrentHashMap.newKeySet();
    AtomicLong deliveries = new AtomicLong();
    AtomicLong commits = new AtomicLong();
    AtomicLong dbErrors = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();

    HaConnectionFactory pubFactory =
        HaConnectionFactory.builder()
            .settings(amqp)
            .connectionName("demo-publisher")
            .listener(e -> amqpEvent("publisher", e))
            .build();
    HaConnectionFactory subFactory =
        HaConnectionFactory.builder()
            .settings(amqp)
            .connectionName("demo-consumer")
            .listener(e -> amqpEvent("consumer", e))
            .build();
    try (HaConnection pubConn = pubFactory.newConnection();
        HaConnection subConn = subFactory.newConnection();
        GaleraDataSource ds =
            GaleraDataSource.builder().settings(db).name("demo").listener(this::dbEvent).build()) {
      pubConn.declare(QueueSpec.of(QUEUE, amqp));
      subConn.declare(QueueSpec.of(QUEUE, amqp));
      subConn.consume(
          QUEUE,
          d -> {
            deliveries.incrementAndGet();
            received.add(Long.parseLong(d.properties().getMessageId()));
            d.ack();
          });
      String table = "demo_orders";
      DbCommand.prepareTable(ds, table);
      long runId = System.currentTimeMillis() * 1000;
      AtomicLong nextRow = new AtomicLong(runId);
      HaPublisher publisher = pubConn.publisher();

      trafficStart = System.nanoTime();
      Thread pub =
          daemon(
              "demo-publisher",
              () -> {
                long id = 0;
                while (!stop.get()) {
                  long due = trafficStart + (id * 1_000_000_000L) / RATE;
                  long wait = due - System.nanoTime();
                  if (wait > 0) {
                    sleepNanos(wait);
                    continue;
                  }
                  long mid = ++id;
                  AMQP.BasicProperties props =
                      new AMQP.BasicProperties.Builder()
                          .deliveryMode(2)
                          .messageId(Long.toString(mid))
                          .build();
                  try {
                    publisher
                        .publish(
                            "", QUEUE, props, ("order " + mid).getBytes(StandardCharsets.UTF_8))
                        .whenComplete(
                            (v, ex) -> {
                              if (ex == null) {
                                confirmed.incrementAndGet();
                                confirmedIds.add(mid);
                              } else {
                                nacked.incrementAndGet();
                              }
                            });
                    sent.incrementAndGet();
                  } catch (InterruptedException e) {
                    return;
                  } catch (RuntimeException e) {
                    nacked.incrementAndGet();
                  }
                }
              });
      List<Thread> writers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        writers.add(
            daemon(
                "demo-db-" + i,
                () -> {
                  while (!stop.get()) {
                    long rowId = nextRow.incrementAndGet();
                    try {
                      ds.callIdempotent(c -> LoadRows.insertOnce(c, table, rowId));
                      commits.incrementAndGet();
                    } catch (SQLException | RuntimeException e) {
                      dbErrors.incrementAndGet();
                    }
                  }
                }));
      }

      Thread faultsThread =
          daemon("demo-faults", () -> timetable(rabbit, galera, pubConn, subConn, ds, seconds));
      long end = trafficStart + TimeUnit.SECONDS.toNanos(seconds);
      long nextTick = trafficStart + TimeUnit.SECONDS.toNanos(1);
      long lastRecv = 0;
      long lastCommits = 0;
      while (System.nanoTime() < end) {
        sleepNanos(Math.min(end, nextTick) - System.nanoTime());
        long now = System.nanoTime();
        if (now < nextTick) {
          continue;
        }
        long recvNow = received.size();
        long commitsNow = commits.get();
        live.printf(
            "t=%3ds  rabbitmq %-17s confirmed %6d received %6d (%4d msg/s) | galera writer %-17s"
                + " commits %6d (%5d/s) retries %3d errors %d%n",
            (now - trafficStart) / 1_000_000_000L,
            pubConn.currentHost().orElse("(recovering)"),
            confirmed.get(),
            recvNow,
            recvNow - lastRecv,
            ds.writer().orElse("(none)"),
            commitsNow,
            commitsNow - lastCommits,
            ds.retries().values().stream().mapToLong(Long::longValue).sum(),
            dbErrors.get());
        live.flush();
        lastRecv = recvNow;
        lastCommits = commitsNow;
        nextTick = Math.max(nextTick + TimeUnit.SECONDS.toNanos(1), now);
      }
      faultsThread.join(TimeUnit.MINUTES.toMillis(3));
      stop.set(true);
      say("traffic stopped; waiting for outstanding confirms and deliveries ...");
      pub.join();
      for (Thread w : writers) {
        w.join();
      }
      publisher.awaitConfirms(Duration.ofSeconds(60));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!received.containsAll(confirmedIds) && System.nanoTime() < deadline) {
        sleepNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
      long rows = DbCommand.countRows(ds, table, runId);
      Set<Long> missing = ConcurrentHashMap.newKeySet();
      missing.addAll(confirmedIds);
      missing.removeAll(received);
      long lostMessages = missing.size();
      long lostRows = commits.get() - rows;

      Map<String, Object> report = new LinkedHashMap<>();
      Map<String, Object> msgs = new LinkedHashMap<>();
      msgs.put("sent", sent.get());
      msgs.put("confirmed", confirmed.get());
      msgs.put("not_confirmed", nacked.get());
      msgs.put("received", received.size());
      msgs.put("duplicated", deliveries.get() - received.size());
      msgs.put("lost", lostMessages);
      msgs.put("republished", publisher.republished());
      report.put("messages", msgs);
      report.put("amqp_failovers", failovers);
      Map<String, Object> rowsMap = new LinkedHashMap<>();
      rowsMap.put("commits", commits.get());
      Map<String, Object> retries = new LinkedHashMap<>();
      ds.retries()
          .forEach(
              (k, v) -> {
                if (v > 0) {
                  retries.put(k.name().toLowerCase(java.util.Locale.ROOT), v);
                }
              });
      rowsMap.put("retries", retries);
      rowsMap.put("errors", dbErrors.get());
      rowsMap.put("rows_verified", rows);
      rowsMap.put("lost", lostRows);
      report.put("database", rowsMap);
      report.put("writer_changes", writerChanges);
      report.put("faults", faults);
      report.put("traffic_seconds", seconds);
      boolean ok = lostMessages == 0 && lostRows == 0 && rows == commits.get();
      report.put("result", ok ? "nothing lost" : "LOSS");
      if (json) {
        out.println(JsonOut.write(report));
      } else {
        printReport(report);
      }
      return ok ? 0 : 1;
    }
  }

  /**
   * The faults, at fixed fractions of the traffic time, never more than one RabbitMQ node down at
   * once (two would leave the third in a minority, which {@code pause_minority} stops): kill the
   * publisher's broker, kill the Galera writer, start the broker again, pause another broker,
   * resume it and start the Galera node again.
   */
  private void timetable(
      RabbitCluster rabbit,
      GaleraCluster galera,
      HaConnection pubConn,
      HaConnection subConn,
      GaleraDataSource ds,
      int seconds) {
    RabbitNode killed = null;
    RabbitNode paused = null;
    GaleraCluster.GaleraNode dbKilled = null;
    try {
      waitUntil(seconds, 10);
      killed = nodeOf(rabbit, pubConn.currentHost().orElse(""));
      if (killed != null) {
        killed.kill();
        fault("kill -9 RabbitMQ node " + killed.index() + " (the publisher's broker)");
      }
      waitUntil(seconds, 20);
      String w = ds.writer().orElse("");
      for (GaleraCluster.GaleraNode n : galera.nodes()) {
        if ((n.address() + ":" + n.port()).equals(w)) {
          dbKilled = n;
          n.kill();
          fault("kill -9 Galera node " + n.index() + " (the writer)");
        }
      }
      waitUntil(seconds, 30);
      if (killed != null) {
        killed.start();
        fault("RabbitMQ node " + killed.index() + " started again");
      }
      waitUntil(seconds, 45);
      String pubHost = pubConn.currentHost().orElse("");
      String subHost = subConn.currentHost().orElse("");
      for (RabbitNode n : rabbit.nodes()) {
        String hp = n.address() + ":" + n.port();
        if (!hp.equals(pubHost) && (hp.equals(subHost) || paused == null)) {
          paused = n; // prefer the consumer's broker: its heartbeat notices the silence
        }
      }
      if (paused != null) {
        paused.pause();
        fault(
            "SIGSTOP RabbitMQ node "
                + paused.index()
                + ((paused.address() + ":" + paused.port()).equals(subHost)
                    ? " (the consumer's broker)"
                    : ""));
      }
      waitUntil(seconds, 62);
      if (paused != null) {
        paused.resume();
        fault("SIGCONT RabbitMQ node " + paused.index());
      }
      if (dbKilled != null) {
        dbKilled.start();
        fault("Galera node " + dbKilled.index() + " started again (IST)");
      }
    } catch (RuntimeException e) {
      fault("fault injection failed: " + e.getMessage());
      if (paused != null && paused.isPaused()) {
        paused.resume();
      }
    }
  }

  private void waitUntil(int seconds, int percent) {
    sleepNanos(
        trafficStart + TimeUnit.SECONDS.toNanos(seconds) * percent / 100 - System.nanoTime());
  }

  @SuppressWarnings("unchecked")
  private void printReport(Map<String, Object> r) {
    Map<String, Object> m = (Map<String, Object>) r.get("messages");
    Map<String, Object> d = (Map<String, Object>) r.get("database");
    out.println();
    out.println("== ha4j demo report (" + r.get("traffic_seconds") + " s of traffic)");
    out.printf(
        "messages: sent %s, confirmed %s, received %s, lost %s, duplicated %s (re-sent after"
            + " failover: %s, not confirmed: %s)%n",
        m.get("sent"),
        m.get("confirmed"),
        m.get("received"),
        m.get("lost"),
        m.get("duplicated"),
        m.get("republished"),
        m.get("not_confirmed"));
    for (Map<String, Object> f : failovers) {
      out.printf(
          "  AMQP %s failover %s -> %s in %s ms%n",
          f.get("connection"), f.get("from"), f.get("to"), f.get("duration_ms"));
    }
    out.printf(
        "database: commits %s, retries %s, errors %s, rows verified %s, lost %s%n",
        d.get("commits"), d.get("retries"), d.get("errors"), d.get("rows_verified"), d.get("lost"));
    for (Map<String, Object> w : writerChanges) {
      out.printf(
          "  Galera writer %s -> %s in %s ms (%s)%n",
          w.get("from"), w.get("to"), w.get("duration_ms"), w.get("reason"));
    }
    out.println("result: " + r.get("result"));
  }

  private void amqpEvent(String connection, AmqpEvent e) {
    if (e instanceof AmqpEvent.Recovered rec) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("t_s", since());
      m.put("connection", connection);
      m.put("from", rec.from());
      m.put("to", rec.to());
      m.put("duration_ms", rec.duration().toMillis());
      m.put("republished", rec.republished());
      failovers.add(m);
      say("  AMQP " + connection + ": " + rec);
    } else if (e instanceof AmqpEvent.ConnectionLost lost) {
      say("  AMQP " + connection + ": " + lost);
    }
  }

  private void dbEvent(GaleraEvent e) {
    if (e instanceof GaleraEvent.WriterChanged w && w.from() != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("t_s", since());
      m.put("from", w.from());
      m.put("to", w.to());
      m.put("duration_ms", w.duration().toMillis());
      m.put("reason", w.reason());
      writerChanges.add(m);
      say("  Galera: " + w);
    }
  }

  private void fault(String what) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("t_s", since());
    m.put("fault", what);
    faults.add(m);
    say("  ! " + what);
  }

  private double since() {
    long base = trafficStart == 0 ? t0 : trafficStart;
    return Math.round((System.nanoTime() - base) / 1e8) / 10.0;
  }

  private void say(String line) {
    PrintStream p = live == null ? out : live;
    synchronized (p) {
      p.println(line);
      p.flush();
    }
  }

  private static RabbitNode nodeOf(RabbitCluster rabbit, String host) {
    for (RabbitNode n : rabbit.nodes()) {
      if ((n.address() + ":" + n.port()).equals(host)) {
        return n;
      }
    }
    return null;
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void sleepNanos(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

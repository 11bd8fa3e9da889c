package io.ha4j.cli.internal;

import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.testkit.GaleraCluster;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ha4j bench markers}: starts a 3-node test-kit Galera cluster and measures, in one run on
 * that cluster, the throughput of single-row insert units of work ({@link GaleraDataSource#run})
 * with commit markers and without them, as a ratio: the price of having a lost COMMIT answer
 * resolved instead of thrown. The rounds alternate which variant runs first.
 */
final class MarkerBench {

  private static final String TABLE = "bench_markers";

  private final PrintStream out;
  private final PrintStream err;

  MarkerBench(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(int threads, int seconds, int rounds, boolean json) throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("threads", threads);
    setup.put("seconds", seconds);
    setup.put("rounds", rounds);
    setup.put("cpus", Runtime.getRuntime().availableProcessors());
    report.put("setup", setup);
    long t0 = System.nanoTime();
    progress(json, "starting a 3-node Galera cluster (test kit) ...");
    try (GaleraCluster galera = GaleraCluster.builder().name("bench-markers").nodes(3).start()) {
      GaleraSettings s = KitSettings.galera(galera).maxPoolSize(threads).maxOverflow(0).build();
      try (GaleraDataSource on =
              GaleraDataSource.builder()
                  .settings(s)
                  .commitMarkers(true)
                  .name("bench-markers-on")
                  .build();
          GaleraDataSource off =
              GaleraDataSource.builder()
                  .settings(s)
                  .commitMarkers(false)
                  .name("bench-markers-off")
                  .build()) {
        try (Connection c = off.getConnection();
            Statement st = c.createStatement()) {
          st.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + TABLE
                  + " (seq BIGINT AUTO_INCREMENT PRIMARY KEY, v BIGINT NOT NULL)");
        }
        List<Double> withMarkers = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {
          double a;
          double b;
          if (r % 2 == 0) {
            a = ops(on, threads, seconds);
            b = ops(off, threads, seconds);
          } else {
            b = ops(off, threads, seconds);
            a = ops(on, threads, seconds);
          }
          if (r > 0) {
            withMarkers.add(a);
            without.add(b);
            ratios.add(a / b);
          }
          progress(
              json,
              String.format(
                  "round %d%s: with markers %.0f units/s, without %.0f units/s, ratio %.3f",
                  r, r == 0 ? " (warm-up)" : "", a, b, a / b));
        }
        double a = BenchCommand.median(withMarkers);
        double b = BenchCommand.median(without);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("with_markers_units_s", Math.round(a));
        m.put("without_markers_units_s", Math.round(b));
        m.put("ratio", Math.round(a / b * 1000) / 1000.0);
        m.put("round_ratios", ratios.stream().map(x -> Math.round(x * 1000) / 1000.0).toList());
        m.put(
            "commit_resolutions", on.commitResolutions().values().stream().mapToLong(x -> x).sum());
        report.put("insert_unit_of_work", m);
        try (Connection c = off.getConnection();
            Statement st = c.createStatement()) {
          st.execute("DROP TABLE IF EXISTS " + TABLE);
        }
      }
    }
    report.put("elapsed_s", Math.round((System.nanoTime() - t0) / 1e9));
    if (json) {
      out.println(JsonOut.write(report));
    } else {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) report.get("insert_unit_of_work");
      out.println();
      out.printf(
          "== ha4j bench markers: single-row insert units of work, %d threads, %d x %d s:"
              + " with markers %s/s, without %s/s, ratio %s (round ratios %s)%n",
          threads,
          rounds,
          seconds,
          m.get("with_markers_units_s"),
          m.get("without_markers_units_s"),
          m.get("ratio"),
          m.get("round_ratios"));
    }
    return 0;
  }

  /** Units of work per second: each one inserts one row in its own transaction and commits. */
  private static double ops(GaleraDataSource ds, int threads, int seconds) throws Exception {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> fs = new ArrayList<>();
    long t = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      fs.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  long v = ThreadLocalRandom.current().nextLong();
                  ds.run(
                      c -> {
                        try (PreparedStatement ps =
                            c.prepareStatement("INSERT INTO " + TABLE + " (v) VALUES (?)")) {
                          ps.setLong(1, v);
                          ps.executeUpdate();
                        }
                      });
                  done.incrementAndGet();
                }
                return null;
              }));
    }
    try {
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return done.get() / ((System.nanoTime() - t) / 1e9);
  }

  private void progress(boolean json, String line) {
    (json ? err : out).println(line);
  }
}

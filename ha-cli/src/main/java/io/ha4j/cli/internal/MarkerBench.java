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
 * resolved instead of thrown. The variants alternate in one-second slices.
 */
final class MarkerBench {

  private static final String TABLE = "bench_markers";

  /** Length of one measured slice; the variants alternate slice by slice. */
  private static final long SLICE_MS = 1000;

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
          // one-second slices, alternating: a machine whose load drifts (other builds) weighs on
          // both variants alike
          long[] on1 = new long[2];
          long[] off1 = new long[2];
          for (int i = 0; i < seconds; i++) {
            if ((i + r) % 2 == 0) {
              add(on1, slice(on, threads));
              add(off1, slice(off, threads));
            } else {
              add(off1, slice(off, threads));
              add(on1, slice(on, threads));
            }
          }
          double a = on1[0] / (on1[1] / 1e9);
          double b = off1[0] / (off1[1] / 1e9);
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
        // the median of the rounds' ratios: each round's two variants ran under the same load
        m.put("ratio", Math.round(BenchCommand.median(ratios) * 1000) / 1000.0);
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

  private static void add(long[] sum, long[] slice) {
    sum[0] += slice[0];
    sum[1] += slice[1];
  }

  /**
   * One slice of {@link #SLICE_MS}: {@code threads} threads run units of work that each insert one
   * row in their own transaction and commit.
   *
   * @return units of work done and nanoseconds taken
   */
  private static long[] slice(GaleraDataSource ds, int threads) throws Exception {
    AtomicLong done = new AtomicLong();
    long t = System.nanoTime();
    long end = t + TimeUnit.MILLISECONDS.toNanos(SLICE_MS);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> fs = new ArrayList<>();
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
    return new long[] {done.get(), System.nanoTime() - t};
  }

  private void progress(boolean json, String line) {
    (json ? err : out).println(line);
  }
}

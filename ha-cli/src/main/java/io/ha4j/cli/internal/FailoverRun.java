package io.ha4j.cli.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The failover part of a benchmark for one contender: {@code kills} kills in a row, each one either
 * a sample (milliseconds) or "not recovered". A kill the contender does not get through within the
 * benchmark's bounds is counted, its reason kept and its sample left out; the contender is closed
 * (bounded) and a fresh one opened for the next kill. The cluster is restored after every kill; a
 * cluster that cannot be restored ends the run with that error.
 *
 * @param <C> the contender (a client, a data source)
 */
final class FailoverRun<C> {

  /** A contender that did not get through a kill within the bounds. */
  static final class NotRecoveredException extends Exception {
    private static final long serialVersionUID = 1L;

    NotRecoveredException(String message) {
      super(message);
    }
  }

  /** Opens a contender. */
  interface Opener<C> {
    C open() throws Exception;
  }

  /** One kill against the contender: the failover time in milliseconds, or an exception. */
  interface Kill<C> {
    double measure(C contender) throws Exception;
  }

  /** Closes a contender. */
  interface Closer<C> {
    void close(C contender) throws Exception;
  }

  private final String name;
  private final Opener<C> opener;
  private final Kill<C> kill;
  private final Closer<C> closer;
  private final Runnable restore;
  private final Duration connectBound;
  private final Consumer<String> progress;

  FailoverRun(
      String name,
      Opener<C> opener,
      Kill<C> kill,
      Closer<C> closer,
      Runnable restore,
      Duration connectBound,
      Consumer<String> progress) {
    this.name = name;
    this.opener = opener;
    this.kill = kill;
    this.closer = closer;
    this.restore = restore;
    this.connectBound = connectBound;
    this.progress = progress;
  }

  /**
   * Runs the kills and returns the contender's report: {@code p50_ms}, {@code p99_ms} (null without
   * a sample), {@code kills}, {@code recovered}, {@code not_recovered}, {@code samples_ms}, {@code
   * not_recovered_reasons}.
   */
  Map<String, Object> run(int kills) throws InterruptedException {
    List<Double> ms = new ArrayList<>();
    List<String> notRecovered = new ArrayList<>();
    C c = null;
    try {
      for (int k = 1; k <= kills; k++) {
        try {
          if (c == null) {
            c = Bounded.call("opening " + name, connectBound, opener::open);
          }
          double sample = kill.measure(c);
          ms.add(sample);
          progress.accept(
              String.format("failover %s, kill %d/%d: %.0f ms", name, k, kills, sample));
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          notRecovered.add("kill " + k + ": " + e.getMessage());
          progress.accept(
              String.format(
                  "failover %s, kill %d/%d: NOT RECOVERED (%s); opening a fresh %s",
                  name, k, kills, e.getMessage(), name));
          close(c);
          c = null;
        }
        restore.run();
      }
    } finally {
      close(c);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50_ms", ms.isEmpty() ? null : Math.round(BenchCommand.percentile(ms, 50)));
    m.put("p99_ms", ms.isEmpty() ? null : Math.round(BenchCommand.percentile(ms, 99)));
    m.put("kills", kills);
    m.put("recovered", ms.size());
    m.put("not_recovered", notRecovered.size());
    m.put("samples_ms", ms.stream().map(Math::round).toList());
    m.put("not_recovered_reasons", notRecovered);
    return m;
  }

  /** Closes a contender within the connect bound; a close that hangs is left behind. */
  private void close(C c) {
    if (c == null) {
      return;
    }
    try {
      Bounded.call(
          "closing " + name,
          connectBound,
          () -> {
            closer.close(c);
            return null;
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      progress.accept("failover " + name + ": " + e.getMessage());
    }
  }
}

package io.ha4j.cli.internal;

import io.ha4j.amqp.ConnectSchedule;
import io.ha4j.config.AmqpSettings.FailoverStrategy;
import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.RetrySettings;
import io.ha4j.jdbc.DbRetryTimetable;
import io.ha4j.jdbc.GaleraErrors;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ha4j reference amqp-schedule|db-retry}: the retry timetables of ha-amqp ({@link
 * ConnectSchedule}) and ha-jdbc ({@link DbRetryTimetable}) as JSON lines, without any network.
 *
 * <p>One line per attempt: {@code {"attempt":1,"host":0,"sleep_s":0,"at_s":0}} ({@code host} only
 * for AMQP; {@code after} and {@code jitter} only for the database), then {@code
 * {"give_up":true,"attempts":N,"at_s":T}}. A schedule that retries forever is one line instead:
 * {@code {"forever":true,"steps":[…],"repeat_last":P}}: the attempts listed, after which the last P
 * of them repeat forever with the same host, sleep and jitter (attempt and at_s go on counting).
 */
final class Reference {

  /** Steps computed at most while looking for the repeating part of a forever schedule. */
  static final int MAX_STEPS = 100_000;

  /** The database failure kinds by their command-line names. */
  static final Map<String, GaleraErrors.Kind> KINDS = kinds();

  private final PrintStream out;

  Reference(Io io) {
    this.out = io.out();
  }

  private static Map<String, GaleraErrors.Kind> kinds() {
    Map<String, GaleraErrors.Kind> m = new LinkedHashMap<>();
    m.put("deadlock", GaleraErrors.Kind.DEADLOCK);
    m.put("connection", GaleraErrors.Kind.CONNECTION_LOST);
    m.put("node-not-ready", GaleraErrors.Kind.NODE_NOT_READY);
    m.put("lock-wait-timeout", GaleraErrors.Kind.LOCK_WAIT_TIMEOUT);
    m.put("not-retryable", GaleraErrors.Kind.NOT_RETRYABLE);
    m.put("other", GaleraErrors.Kind.OTHER);
    return m;
  }

  /** The command-line name of a kind. */
  static String kindName(GaleraErrors.Kind kind) {
    return KINDS.entrySet().stream()
        .filter(e -> e.getValue() == kind)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(kind.name().toLowerCase(Locale.ROOT));
  }

  /** Seconds as a JSON number: an integer when whole. */
  static Number seconds(Duration d) {
    long nanos = d.toNanos();
    return nanos % 1_000_000_000L == 0 ? (Number) (nanos / 1_000_000_000L) : nanos / 1e9;
  }

  // ------------------------------------------------------------------ AMQP

  int amqp(int hosts, RetrySettings retry) {
    ConnectSchedule s = ConnectSchedule.of(retry, hosts, FailoverStrategy.ROUND_ROBIN);
    boolean forever = retry.maxRetries().isEmpty();
    List<Map<String, Object>> steps = new ArrayList<>();
    Duration at = Duration.ZERO;
    steps.add(amqpStep(s.attempt(), s.host(), Duration.ZERO, at));
    while (true) {
      if (forever) {
        Integer cut = repeating(steps, hosts, 0);
        if (cut != null) {
          printForever(steps.subList(0, cut), hosts);
          return 0;
        }
        checkLimit(steps);
      }
      Optional<Duration> sleep = s.failed();
      if (sleep.isEmpty()) {
        break;
      }
      at = at.plus(sleep.get());
      steps.add(amqpStep(s.attempt(), s.host(), sleep.get(), at));
    }
    steps.forEach(this::print);
    print(giveUp(steps.size(), at));
    return 0;
  }

  private static Map<String, Object> amqpStep(int attempt, int host, Duration sleep, Duration at) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("attempt", attempt);
    m.put("host", host);
    m.put("sleep_s", seconds(sleep));
    m.put("at_s", seconds(at));
    return m;
  }

  // ------------------------------------------------------------------ database

  int db(DbRetrySettings settings, List<GaleraErrors.Kind> failures, boolean lockWaitRetried) {
    boolean forever = settings.maxRetries().isEmpty();
    // the last kind repeats: up to the retry budget, or far enough to find the repeating part
    int length =
        forever
            ? Math.max(failures.size(), 1) + 2_000
            : Math.max(failures.size(), settings.maxRetries().getAsInt() + 1);
    List<GaleraErrors.Kind> all = new ArrayList<>(failures);
    while (all.size() < length) {
      all.add(failures.get(failures.size() - 1));
    }
    List<DbRetryTimetable.Retry> retries = DbRetryTimetable.of(settings, all, lockWaitRetried);
    List<Map<String, Object>> steps = new ArrayList<>();
    Duration at = Duration.ZERO;
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("attempt", 1);
    first.put("sleep_s", 0);
    first.put("at_s", 0);
    steps.add(first);
    for (DbRetryTimetable.Retry r : retries) {
      at = at.plus(r.sleep());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("attempt", r.attempt());
      m.put("after", kindName(r.after()));
      m.put("sleep_s", seconds(r.sleep()));
      m.put("jitter", r.jittered());
      m.put("at_s", seconds(at));
      steps.add(m);
      if (forever && retries.size() == all.size()) {
        // retried to the end of the list: every failure is retried, forever
        Integer cut = repeating(steps, 1, failures.size() + 1);
        if (cut != null) {
          printForever(steps.subList(0, cut), 1);
          return 0;
        }
      }
    }
    if (forever && retries.size() == all.size()) {
      throw new UsageException("the schedule does not settle within " + all.size() + " retries");
    }
    steps.forEach(this::print);
    print(giveUp(steps.size(), at));
    return 0;
  }

  // ------------------------------------------------------------------ shared

  /**
   * When the last {@code period} steps repeat the {@code period} before them (host, sleep, kind,
   * jitter) and none of them lies before {@code from}: the number of steps to list, ending with the
   * first occurrence of the repeating part; else null.
   */
  static Integer repeating(List<Map<String, Object>> steps, int period, int from) {
    int n = steps.size();
    if (n < 2 * period || n - 2 * period < from || n % period != 0) {
      return null;
    }
    for (int i = n - period; i < n; i++) {
      if (!shape(steps.get(i)).equals(shape(steps.get(i - period)))) {
        return null;
      }
    }
    return n - period;
  }

  private static Map<String, Object> shape(Map<String, Object> step) {
    Map<String, Object> m = new LinkedHashMap<>(step);
    m.remove("attempt");
    m.remove("at_s");
    return m;
  }

  private static void checkLimit(List<Map<String, Object>> steps) {
    if (steps.size() > MAX_STEPS) {
      throw new UsageException("the schedule does not settle within " + MAX_STEPS + " attempts");
    }
  }

  private void printForever(List<Map<String, Object>> steps, int period) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("forever", true);
    m.put("steps", steps);
    m.put("repeat_last", period);
    print(m);
  }

  private static Map<String, Object> giveUp(int attempts, Duration at) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("give_up", true);
    m.put("attempts", attempts);
    m.put("at_s", seconds(at));
    return m;
  }

  private void print(Map<String, Object> m) {
    out.println(JsonOut.write(m));
  }
}

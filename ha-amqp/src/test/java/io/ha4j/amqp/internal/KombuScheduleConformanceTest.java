package io.ha4j.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ha4j.config.AmqpSettings.FailoverStrategy;
import io.ha4j.config.RetrySettings;
import io.ha4j.testkit.TestJson;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs kombu's own {@code ensure_connection} (the installed Debian {@code python3-kombu}, through
 * {@code /usr/bin/python3}) against always-refusing hosts for a matrix of settings and checks that
 * {@link RetrySchedule} picks the same host and sleeps the same time after every attempt, and gives
 * up after the same attempt.
 */
class KombuScheduleConformanceTest {

  private static final String PYTHON = "/usr/bin/python3";
  private static final int LIMIT = 40;

  record Case(int hosts, double interval, double backoff, double max, Integer maxRetries) {
    String line() {
      return hosts
          + " "
          + interval
          + " "
          + backoff
          + " "
          + max
          + " "
          + (maxRetries == null ? "none" : maxRetries)
          + " "
          + LIMIT;
    }
  }

  @Test
  void scheduleEqualsKombusForEveryCombination(@TempDir Path tmp) throws Exception {
    List<Case> cases = new ArrayList<>();
    for (int hosts : new int[] {1, 2, 3, 5}) {
      for (double[] ibm :
          new double[][] {
            {1, 2, 30},
            {0, 2, 30},
            {0.5, 1.5, 10},
            {2, 0, 30},
            {1, 2, 4},
            {0.1, 0.1, 0.3},
            {3, 7, 0}
          }) {
        for (Integer retries : new Integer[] {null, 1, 2, 5, 14, 30}) {
          cases.add(new Case(hosts, ibm[0], ibm[1], ibm[2], retries));
        }
      }
    }

    List<Map<String, Object>> kombu = runKombu(cases, tmp);

    assertThat(kombu).hasSize(cases.size());
    for (int c = 0; c < cases.size(); c++) {
      Case k = cases.get(c);
      List<String> expected = describe(kombu.get(c));
      List<String> actual = simulate(k);
      assertThat(actual).as("schedule for %s", k).isEqualTo(expected);
    }
  }

  private static List<String> simulate(Case k) {
    RetrySettings r =
        new RetrySettings(
            seconds(k.interval()),
            seconds(k.backoff()),
            seconds(k.max()),
            RetrySettings.maxRetriesOf(k.maxRetries()));
    RetrySchedule s = new RetrySchedule(r, k.hosts(), FailoverStrategy.ROUND_ROBIN, 0, b -> 0);
    List<String> out = new ArrayList<>();
    for (int a = 0; a < LIMIT; a++) {
      int host = s.host();
      Optional<Duration> sleep = s.failed();
      out.add(host + "/" + sleep.map(d -> micros(d.toNanos() / 1e9)).orElse(micros(0)));
      if (sleep.isEmpty()) {
        out.add("gave up");
        break;
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> describe(Map<String, Object> result) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<Object>) result.get("attempts")) {
      List<Object> a = (List<Object>) o;
      out.add(((Number) a.get(0)).intValue() + "/" + micros(((Number) a.get(1)).doubleValue()));
    }
    if (Boolean.TRUE.equals(result.get("gave_up"))) {
      out.add("gave up");
    }
    return out;
  }

  /** Seconds to the microsecond: kombu sleeps whole seconds and the rest separately. */
  private static String micros(double seconds) {
    return Long.toString(Math.round(seconds * 1e6));
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> runKombu(List<Case> cases, Path tmp) throws Exception {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      fail(PYTHON + " is missing; install the kombu peer with: sudo scripts/install-servers");
    }
    Path script = tmp.resolve("kombu_schedule.py");
    try (InputStream in =
        KombuScheduleConformanceTest.class.getResourceAsStream("kombu_schedule.py")) {
      Files.copy(in, script);
    }
    Process p = new ProcessBuilder(PYTHON, script.toString()).redirectErrorStream(true).start();
    StringBuilder input = new StringBuilder();
    cases.forEach(c -> input.append(c.line()).append('\n'));
    p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail(
          "kombu schedule script failed (is python3-kombu installed? sudo scripts/install-servers):\n"
              + out);
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        results.add((Map<String, Object>) TestJson.parse(line));
      }
    }
    return results;
  }
}

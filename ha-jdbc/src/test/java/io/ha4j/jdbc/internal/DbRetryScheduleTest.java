package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.DbRetrySettings;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbRetryScheduleTest {

  @TempDir Path dir;

  private static DbRetrySettings settings(double interval, boolean inc, double max, int retries) {
    return new DbRetrySettings(
        Duration.ofMillis(Math.round(interval * 1000)),
        inc,
        Duration.ofMillis(Math.round(max * 1000)),
        retries < 0 ? OptionalInt.empty() : OptionalInt.of(retries));
  }

  @Test
  void defaultsSleepOneTwoFourEightThenTheCap() {
    DbRetrySchedule s = new DbRetrySchedule(DbRetrySettings.ofDefaults(), () -> 0.5);
    List<Long> sleeps = new ArrayList<>();
    while (s.canRetry()) {
      sleeps.add(s.next(false).toMillis());
    }
    assertThat(sleeps).hasSize(20).startsWith(1000L, 2000L, 4000L, 8000L, 10000L, 10000L);
  }

  @Test
  void deadlocksJitterTheNextSleepOverTheWholeInterval() {
    DbRetrySchedule s = new DbRetrySchedule(DbRetrySettings.ofDefaults(), () -> 0.25);
    assertThat(s.next(true)).isEqualTo(Duration.ofSeconds(1)); // the first sleep never jitters
    assertThat(s.next(true)).isEqualTo(Duration.ofMillis(500)); // 0.25 × 2
    assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(1)); // 0.25 × 4
    assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void emptyMaximumRetriesForever() {
    DbRetrySchedule s = new DbRetrySchedule(settings(1, true, 10, -1), () -> 0);
    for (int i = 0; i < 10_000; i++) {
      assertThat(s.canRetry()).isTrue();
      s.next(false);
    }
    assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(10));
  }

  /** The sleeps equal what the installed oslo.db's wrap_db_retry asks for, case by case. */
  @Test
  void sleepsEqualTheInstalledOsloDb() throws Exception {
    Path script = dir.resolve("oslo_db_retry.py");
    try (InputStream in = getClass().getResourceAsStream("oslo_db_retry.py")) {
      Files.copy(in, script);
    }
    Path python = Path.of("/usr/bin/python3");
    Path input = dir.resolve("cases.jsonl");
    Random rnd = new Random(42);
    List<double[]> randomsPerCase = new ArrayList<>();
    List<DbRetrySettings> cases = new ArrayList<>();
    List<List<String>> errorsPerCase = new ArrayList<>();
    try (Writer w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
      for (double interval : new double[] {0, 0.5, 1, 2}) {
        for (boolean inc : new boolean[] {true, false}) {
          for (double max : new double[] {1, 10, 60}) {
            for (int retries : new int[] {0, 1, 3, 20}) {
              for (List<String> errors :
                  List.of(
                      List.of("deadlock"), List.of("lost"), List.of("deadlock", "lost", "lost"))) {
                double[] r = new double[retries + 1];
                for (int i = 0; i < r.length; i++) {
                  r[i] = rnd.nextDouble();
                }
                cases.add(settings(interval, inc, max, retries));
                randomsPerCase.add(r);
                errorsPerCase.add(errors);
                StringBuilder js = new StringBuilder();
                js.append(
                    String.format(
                        Locale.ROOT,
                        "{\"interval\": %s, \"inc\": %s, \"max_interval\": %s, \"max_retries\": %d,"
                            + " \"errors\": [%s], \"randoms\": [",
                        interval,
                        inc ? "true" : "false",
                        max,
                        retries,
                        String.join(", ", errors.stream().map(e -> "\"" + e + "\"").toList())));
                for (int i = 0; i < r.length; i++) {
                  js.append(i == 0 ? "" : ", ").append(Double.toString(r[i]));
                }
                w.write(js.append("]}\n").toString());
              }
            }
          }
        }
      }
    }
    // input from a file: a pipe both ways could fill up and stall both processes
    Process p =
        new ProcessBuilder(python.toString(), script.toString())
            .redirectInput(input.toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l; (l = r.readLine()) != null; ) {
        lines.add(l);
      }
    }
    String stderr = Files.readString(dir.resolve("stderr.txt"));
    assertThat(p.waitFor())
        .as("oslo.db must be installed (apt-get install python3-oslo.db): %s", stderr)
        .isZero();
    assertThat(lines).hasSize(cases.size());
    Pattern number = Pattern.compile("-?[0-9.]+(?:e-?[0-9]+)?");
    for (int c = 0; c < cases.size(); c++) {
      String line = lines.get(c);
      String sleepsPart = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
      List<Long> expected = new ArrayList<>();
      Matcher m = number.matcher(sleepsPart);
      while (m.find()) {
        expected.add(Math.round(Double.parseDouble(m.group()) * 1e9));
      }
      int calls = Integer.parseInt(line.replaceAll(".*\"calls\": ([0-9]+).*", "$1"));
      double[] r = randomsPerCase.get(c);
      int[] next = {0};
      DbRetrySchedule s = new DbRetrySchedule(cases.get(c), () -> r[next[0]++]);
      List<String> errors = errorsPerCase.get(c);
      List<Long> actual = new ArrayList<>();
      int made = 1;
      while (s.canRetry()) {
        boolean deadlock = errors.get((made - 1) % errors.size()).equals("deadlock");
        actual.add(s.next(deadlock).toNanos());
        made++;
      }
      assertThat(made).as("calls for case %s %s", cases.get(c), errors).isEqualTo(calls);
      assertThat(actual.size()).isEqualTo(expected.size());
      for (int i = 0; i < actual.size(); i++) {
        assertThat((double) actual.get(i))
            .as("sleep %d of case %s %s", i, cases.get(c), errors)
            .isCloseTo(expected.get(i), org.assertj.core.data.Offset.offset(1000.0));
      }
    }
  }
}

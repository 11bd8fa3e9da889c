package io.ha4j.config.internal;

import io.ha4j.config.ConfigProblem;
import io.ha4j.config.ConfigProblem.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The problems one resolution finds. Every part of the resolver reports here instead of throwing,
 * so that one run lists every problem, and the list comes out in the order a reader of the files
 * expects.
 */
final class ProblemList {

  private final List<ConfigProblem> problems = new ArrayList<>();

  /** Positions in {@link #problems} of unknown options of ha4j's sections (strict mode). */
  private final List<Integer> unknownOptions = new ArrayList<>();

  void error(String location, String section, String key, String value, String message) {
    problems.add(new ConfigProblem(Severity.ERROR, location, section, key, value, message));
  }

  void warn(String location, String section, String key, String value, String message) {
    problems.add(new ConfigProblem(Severity.WARNING, location, section, key, value, message));
  }

  /** An unknown option in one of ha4j's sections: a warning, an error in strict mode. */
  void unknownOption(String location, String section, String key, String message) {
    unknownOptions.add(problems.size());
    warn(location, section, key, "", message);
  }

  /** Strict mode: every unknown option of ha4j's sections becomes an error. */
  void escalateUnknownOptions() {
    for (int i : unknownOptions) {
      ConfigProblem p = problems.get(i);
      problems.set(
          i,
          p.toBuilder()
              .severity(Severity.ERROR)
              .message(p.message() + " (an error in strict mode)")
              .build());
    }
  }

  void addAll(List<ConfigProblem> found) {
    problems.addAll(found);
  }

  /** Every problem, in the order of the files and by line within a file. */
  List<ConfigProblem> inReportOrder() {
    Map<String, Integer> fileOrder = new LinkedHashMap<>();
    problems.forEach(p -> fileOrder.putIfAbsent(file(p.location()), fileOrder.size()));
    List<ConfigProblem> sorted = new ArrayList<>(problems);
    sorted.sort(
        Comparator.comparing((ConfigProblem p) -> fileOrder.get(file(p.location())))
            .thenComparingInt(p -> line(p.location())));
    return List.copyOf(sorted);
  }

  /** The file part of a {@code file:line} location (problems are reported in file order). */
  private static String file(String location) {
    int c = location.lastIndexOf(':');
    return c > 0 && location.substring(c + 1).matches("\\d+") ? location.substring(0, c) : location;
  }

  private static int line(String location) {
    int c = location.lastIndexOf(':');
    return c > 0 && location.substring(c + 1).matches("\\d+")
        ? Integer.parseInt(location.substring(c + 1))
        : 0;
  }
}

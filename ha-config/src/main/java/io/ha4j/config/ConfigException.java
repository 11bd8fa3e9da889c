package io.ha4j.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration is invalid. Carries every problem found (not only the first), each with its
 * location; the message lists the errors one per line, then the warnings, which often explain them
 * (an option refused as "[galera] nodes needs [database] connection" next to "unknown option
 * conection; did you mean connection?"). Never contains a secret.
 *
 * @since 0.1
 */
public class ConfigException extends HaException {

  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  /** An exception for the given problems; at least one of them is an error. */
  public ConfigException(List<ConfigProblem> problems) {
    super(render(problems));
    this.problems = List.copyOf(problems);
  }

  /** A single problem that is not tied to a file location (e.g. a builder argument). */
  public ConfigException(String location, String message) {
    this(List.of(new ConfigProblem(ConfigProblem.Severity.ERROR, location, "", "", "", message)));
  }

  /** Every problem, errors and warnings, in the order found. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /** The errors only. */
  public List<ConfigProblem> errors() {
    return problems.stream().filter(ConfigProblem::isError).toList();
  }

  private static String render(List<ConfigProblem> problems) {
    long errors = problems.stream().filter(ConfigProblem::isError).count();
    String warnings =
        problems.stream()
            .filter(p -> !p.isError())
            .map(p -> "  " + p)
            .collect(Collectors.joining("\n"));
    return "invalid configuration ("
        + errors
        + (errors == 1 ? " error" : " errors")
        + "):\n"
        + problems.stream()
            .filter(ConfigProblem::isError)
            .map(p -> "  " + p)
            .collect(Collectors.joining("\n"))
        + (warnings.isEmpty() ? "" : "\nwarnings, which may explain the errors:\n" + warnings);
  }
}

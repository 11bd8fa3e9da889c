package io.ha4j.jdbc.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What slf4j-simple (the test binding, INFO and above, written to {@code System.err} as it is at
 * the time of each line) logs while open. Tests run one at a time in the module's JVM.
 */
final class LogCapture implements AutoCloseable {

  private final PrintStream saved = System.err;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  LogCapture() {
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  /** Every line so far. */
  List<String> lines() {
    String s = bytes.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\R"));
  }

  /** The lines of one level ({@code INFO}, {@code WARN} …). */
  List<String> at(String level) {
    return lines().stream().filter(l -> l.contains(" " + level + " ")).toList();
  }

  /** Lines of a stack trace. */
  List<String> stackTraceLines() {
    return lines().stream()
        .filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by"))
        .toList();
  }

  @Override
  public void close() {
    System.setErr(saved);
  }
}

package io.ha4j.cli;

import io.ha4j.cli.internal.Cli;
import java.io.PrintStream;

/**
 * The {@code ha4j} command. Exit codes: 0 ok, 1 the operation failed, 2 bad input (bad flags or
 * invalid configuration, with every problem named).
 *
 * @since 0.1
 */
public final class Main {

  private Main() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command without exiting.
   *
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return new Cli(out, err, System.getenv()).run(args);
  }
}

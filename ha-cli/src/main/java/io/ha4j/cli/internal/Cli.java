package io.ha4j.cli.internal;

import io.ha4j.config.ConfigException;
import io.ha4j.config.ConfigProblem;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Parses {@code ha4j <command> [options]} with picocli, runs the command and maps failures to exit
 * codes: 0 ok, 1 the operation failed, 2 bad input. Bad flags give one line naming the problem and
 * the command's {@code --help}; invalid configuration gives one line per problem. No stack traces.
 */
public final class Cli {

  private final Io io;

  /** A command line writing to the given streams, reading this environment. */
  public Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.io = new Io(out, err, env);
  }

  /** Runs and returns the exit code. */
  public int run(String[] argv) {
    CommandLine cl = Commands.commandLine(io);
    PrintWriter out = new PrintWriter(io.out(), true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(io.err(), true, StandardCharsets.UTF_8);
    cl.setOut(out);
    cl.setErr(err);
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    // A repeated flag keeps its last value, as before picocli; --config-file and --config-dir
    // collect every occurrence in order.
    cl.setOverwrittenOptionsAllowed(true);
    // "@name" is a file name like any other, not a file of more arguments
    cl.setExpandAtFiles(false);
    cl.setParameterExceptionHandler((e, args) -> badInput(e.getCommandLine(), describe(e)));
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd));
    try {
      if (argv.length == 0) {
        cl.usage(err);
        return 2;
      }
      return cl.execute(argv);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int badInput(CommandLine cmd, String message) {
    io.err()
        .println(
            "ha4j: " + message + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
    return 2;
  }

  private int failed(Exception e, CommandLine cmd) {
    if (e instanceof UsageException) {
      return badInput(cmd, e.getMessage());
    }
    if (e instanceof ConfigException c) {
      printProblems(io.err(), c.problems());
      return 2;
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      io.err().println("ha4j: interrupted");
      return 1;
    }
    io.err().println("ha4j " + topCommand(cmd) + ": " + e);
    return 1;
  }

  /** The first word after {@code ha4j}: {@code db} for {@code ha4j db load}. */
  private static String topCommand(CommandLine cmd) {
    CommandLine c = cmd;
    while (c.getParent() != null && c.getParent().getParent() != null) {
      c = c.getParent();
    }
    return c.getCommandName();
  }

  /** One short sentence for a picocli parse error. */
  static String describe(ParameterException e) {
    CommandLine cmd = e.getCommandLine();
    if (e instanceof UnmatchedArgumentException u) {
      String arg = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
      if (arg.startsWith("-")) {
        List<String> near = u.getSuggestions();
        return "unknown option '"
            + arg
            + "'"
            + (near.isEmpty() ? "" : ", did you mean '" + near.get(0) + "'?");
      }
      if (!cmd.getSubcommands().isEmpty()) {
        return cmd.getParent() == null
            ? "unknown command '" + arg + "'"
            : "unknown " + cmd.getCommandName() + " subcommand '" + arg + "'";
      }
      return "unexpected argument '" + arg + "'";
    }
    if (e instanceof MissingParameterException m) {
      String names = m.getMissing().stream().map(Cli::name).collect(Collectors.joining(", "));
      return e.getMessage().startsWith("Missing required option")
          ? (m.getMissing().size() == 1
              ? "option " + names + " is required"
              : "options " + names + " are required")
          : "option " + names + " needs a value";
    }
    if (e.getCause() instanceof TypeConversionException t && e.getArgSpec() != null) {
      return "option " + name(e.getArgSpec()) + " " + t.getMessage();
    }
    String m = String.valueOf(e.getMessage());
    return m.isEmpty() ? m : m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
  }

  private static String name(ArgSpec a) {
    return a instanceof OptionSpec o ? "'" + o.longestName() + "'" : "'" + a.paramLabel() + "'";
  }

  /** Prints problems one per line, errors first. */
  static void printProblems(PrintStream err, List<ConfigProblem> problems) {
    problems.stream().filter(ConfigProblem::isError).forEach(err::println);
    problems.stream().filter(p -> !p.isError()).forEach(err::println);
    long errors = problems.stream().filter(ConfigProblem::isError).count();
    if (errors > 0) {
      err.println(
          "ha4j: invalid configuration (" + errors + (errors == 1 ? " error)" : " errors)"));
    }
  }
}

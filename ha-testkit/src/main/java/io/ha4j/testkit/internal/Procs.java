package io.ha4j.testkit.internal;

import io.ha4j.testkit.Waits;
import java.io.IOException;
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
import java.util.stream.Stream;

/**
 * Process handling through {@code /proc} and signals. Every server the kit starts runs in a process
 * group of its own (started through {@code setsid}), so that the whole group can be killed by its
 * id and nothing else on the machine is ever touched.
 */
public final class Procs {

  private Procs() {}

  /** A process identified by pid and kernel start time, so that a reused pid is never hit. */
  public record ProcId(long pid, long startTime) {

    /** Parses {@code "pid startTime"}. */
    public static ProcId parse(String s) {
      String[] parts = s.trim().split("\\s+");
      return new ProcId(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    /** Returns the identity of a live process, or empty when it is gone. */
    public static Optional<ProcId> of(long pid) {
      return stat(pid).filter(st -> !st.zombie()).map(st -> new ProcId(pid, st.startTime()));
    }

    /** Whether this very process (same start time) still runs and is no zombie. */
    public boolean alive() {
      return stat(pid).filter(st -> !st.zombie() && st.startTime() == startTime).isPresent();
    }

    @Override
    public String toString() {
      return pid + " " + startTime;
    }
  }

  /** The fields of {@code /proc/PID/stat} the kit uses. */
  public record Stat(long pid, String comm, char state, long pgrp, long startTime) {
    boolean zombie() {
      return state == 'Z' || state == 'X';
    }
  }

  /** Reads {@code /proc/PID/stat}; empty when the process does not exist. */
  public static Optional<Stat> stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int open = s.indexOf('(');
      int close = s.lastIndexOf(')');
      String comm = s.substring(open + 1, close);
      String[] f = s.substring(close + 2).split(" ");
      // f[0] is field 3 (state); pgrp is field 5, starttime field 22.
      return Optional.of(
          new Stat(pid, comm, f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[19])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether every thread of the process has exited. A multi-threaded process whose main thread is a
   * zombie may still have threads tearing down and still hold its files (listening sockets); those
   * are released only when the last thread has exited.
   */
  public static boolean allThreadsExited(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (Stream<Path> dirs = Files.list(tasks)) {
      return dirs.allMatch(
          t -> {
            try {
              String s = Files.readString(t.resolve("stat"));
              char state = s.charAt(s.lastIndexOf(')') + 2);
              return state == 'Z' || state == 'X';
            } catch (IOException | RuntimeException e) {
              return true; // the thread is gone
            }
          });
    } catch (IOException e) {
      return true; // the process is gone
    }
  }

  /**
   * Whether every live thread of the process is stopped by a signal. SIGSTOP is delivered
   * asynchronously, one thread after another; a process is paused only once all of them are.
   */
  public static boolean allThreadsStopped(long pid) {
    return threadStates(pid).stream().allMatch(s -> s == 'T' || s == 'Z' || s == 'X');
  }

  /** Whether no thread of the process is stopped by a signal any more (after SIGCONT). */
  public static boolean noThreadStopped(long pid) {
    return threadStates(pid).stream().noneMatch(s -> s == 'T');
  }

  private static List<Character> threadStates(long pid) {
    List<Character> states = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      dirs.forEach(
          t -> {
            try {
              String s = Files.readString(t.resolve("stat"));
              states.add(s.charAt(s.lastIndexOf(')') + 2));
            } catch (IOException | RuntimeException e) {
              // the thread is gone
            }
          });
    } catch (IOException e) {
      // the process is gone
    }
    return states;
  }

  /** Live (non-zombie) members of a process group. */
  public static List<Stat> groupMembers(long pgid) {
    List<Stat> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
      dirs.map(p -> p.getFileName().toString())
          .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
          .forEach(
              n ->
                  stat(Long.parseLong(n))
                      .filter(st -> st.pgrp() == pgid && !st.zombie())
                      .ifPresent(out::add));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc", e);
    }
    return out;
  }

  /** Sends a signal to one process. Returns false when it is gone already. */
  public static boolean signal(long pid, String signal) {
    return run(List.of("kill", "-" + signal, Long.toString(pid)), Duration.ofSeconds(5)).ok();
  }

  /** Sends a signal to a whole process group. */
  public static boolean signalGroup(long pgid, String signal) {
    return run(List.of("kill", "-" + signal, "--", "-" + pgid), Duration.ofSeconds(5)).ok();
  }

  /**
   * Kills a group started by the kit, if its leader is still the process recorded, and waits until
   * no member is left. Members of a group outlive their leader, so the group is killed while any
   * member is alive, as long as the leader identity matched at some point.
   */
  public static void killGroup(ProcId leader, Duration timeout) {
    boolean ours = leader.alive() || !groupMembers(leader.pid()).isEmpty() && !pidReused(leader);
    if (!ours) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!groupMembers(leader.pid()).isEmpty()) {
      signalGroup(leader.pid(), "KILL");
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "process group " + leader.pid() + " still has members after SIGKILL");
      }
      Waits.pause(Duration.ofMillis(50));
    }
  }

  /** The group's leader pid now belongs to another process than the one recorded. */
  private static boolean pidReused(ProcId leader) {
    return stat(leader.pid()).filter(st -> st.startTime() != leader.startTime()).isPresent();
  }

  /** Result of a finished command. */
  public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
    /** Exit code 0 and no time-out. */
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }

    /** A one-line description for error messages. */
    public String describe() {
      String err = stderr.isBlank() ? stdout : stderr;
      return (timedOut ? "timed out" : "exit " + exitCode) + ": " + err.strip();
    }
  }

  /** Runs a command to completion (or time-out, then kills it) and captures its output. */
  public static Result run(List<String> command, Duration timeout) {
    return run(command, Map.of(), timeout);
  }

  /** Runs a command with extra environment variables. */
  public static Result run(List<String> command, Map<String, String> env, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Result(127, "", "cannot run " + command.get(0) + ": " + e.getMessage(), false);
    }
    StreamCollector out = new StreamCollector(p.getInputStream());
    StreamCollector err = new StreamCollector(p.getErrorStream());
    out.start();
    err.start();
    boolean done;
    try {
      done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String o = out.text();
    String e = err.text();
    return new Result(done ? p.exitValue() : -1, o, e, !done);
  }

  /**
   * Starts a long-running server in a new session and process group ({@code setsid}), with stdin
   * from /dev/null and output appended to {@code log}. The returned pid is the group id.
   */
  public static ProcId spawn(List<String> command, Map<String, String> env, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("setsid");
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    long pid = p.pid();
    // setsid does not fork when its caller is no group leader (true for a child of the JVM),
    // so the pid is the new group's id. Check it rather than assume it.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      Optional<Stat> st = stat(pid);
      if (st.isEmpty() || st.get().zombie()) {
        throw new IOException(
            "process exited at once: " + String.join(" ", command) + "; see " + log);
      }
      if (st.get().pgrp() == pid) {
        return new ProcId(pid, st.get().startTime());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("setsid did not make " + pid + " a group leader");
      }
      Waits.pause(Duration.ofMillis(5));
    }
  }

  /** Last {@code lines} lines of a file, or a note that it does not exist. */
  public static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(no log at " + file + ")";
    }
  }

  /** Whether the current user is root. */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static final class StreamCollector extends Thread {
    private final InputStream in;
    private volatile String text = "";

    StreamCollector(InputStream in) {
      super("ha4j-testkit-output");
      setDaemon(true);
      this.in = in;
    }

    @Override
    public void run() {
      try {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        text = "";
      }
    }

    String text() {
      try {
        join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return text;
    }
  }

  /** Unchecked wrapper used where a listing of /proc fails. */
  public static final class UncheckedIOException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedIOException(String message, IOException cause) {
      super(message, cause);
    }
  }
}

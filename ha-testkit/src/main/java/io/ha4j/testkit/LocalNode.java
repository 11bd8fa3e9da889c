package io.ha4j.testkit;

import io.ha4j.testkit.internal.Iptables;
import io.ha4j.testkit.internal.Procs;
import io.ha4j.testkit.internal.Procs.ProcId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What RabbitMQ and Galera nodes share: a process group recorded in a pid file, signals to the
 * server process, and isolation by address.
 *
 * @since 0.1.0
 */
public abstract class LocalNode implements ClusterNode {

  final LocalCluster<?> cluster;
  final int index;
  final String address;
  final Path dir;

  /** {@link System#nanoTime()} of the last kill, pause or isolation; 0 before the first. */
  private volatile long lastFault;

  LocalNode(LocalCluster<?> cluster, int index, String address, Path dir) {
    this.cluster = cluster;
    this.index = index;
    this.address = address;
    this.dir = dir;
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public String address() {
    return address;
  }

  /** The node's directory (configuration, data, logs). */
  public Path directory() {
    return dir;
  }

  /** Name of the server executable as the kernel reports it ({@code comm}). */
  abstract String serverComm();

  /** Command and environment that start the server in the foreground. */
  abstract List<String> launchCommand(List<String> extraArgs);

  abstract Map<String, String> launchEnvironment();

  /** Waits until this node's server answers; fails with the log tail if it dies. */
  abstract void awaitServerReady(Duration timeout);

  /** File holding the process group leader as {@code "pid starttime"}. */
  Path groupFile() {
    return dir.resolve("group.pid");
  }

  Optional<ProcId> group() {
    try {
      return Files.exists(groupFile())
          ? Optional.of(ProcId.parse(Files.readString(groupFile())))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Starts the server process in a new process group and records the group. */
  void launch(List<String> extraArgs) {
    killLeftovers();
    try {
      ProcId id =
          Procs.spawn(launchCommand(extraArgs), launchEnvironment(), dir.resolve("stdout.log"));
      Files.writeString(groupFile(), id.toString());
    } catch (IOException e) {
      throw new ClusterException(describe() + " could not be started: " + e.getMessage(), e);
    }
  }

  /** Kills whatever is left of this node's recorded process group. */
  void killLeftovers() {
    group().ifPresent(g -> Procs.killGroup(g, Duration.ofSeconds(30)));
  }

  @Override
  public OptionalLong serverPid() {
    Optional<ProcId> g = group();
    if (g.isEmpty()) {
      return OptionalLong.empty();
    }
    return Procs.groupMembers(g.get().pid()).stream()
        .filter(st -> st.comm().equals(serverComm()))
        .mapToLong(Procs.Stat::pid)
        .findFirst();
  }

  @Override
  public boolean isRunning() {
    return serverPid().isPresent();
  }

  @Override
  public boolean isPaused() {
    OptionalLong pid = serverPid();
    return pid.isPresent() && !Procs.noThreadStopped(pid.getAsLong());
  }

  @Override
  public boolean isIsolated() {
    return Iptables.isIsolated(address, cluster.tag());
  }

  /**
   * When this node was last killed, paused or isolated, as {@link System#nanoTime()}; empty if it
   * never was. Peers may still act on such a fault (a Galera eviction) after it was repaired.
   */
  OptionalLong lastFault() {
    long t = lastFault;
    return t == 0 ? OptionalLong.empty() : OptionalLong.of(t);
  }

  private void faulted() {
    long t = System.nanoTime();
    lastFault = t == 0 ? 1 : t;
  }

  @Override
  public void kill() {
    long pid = requirePid("kill");
    faulted();
    Procs.signal(pid, "KILL");
    Waits.until(
        describe() + " to die after SIGKILL",
        Duration.ofSeconds(10),
        Duration.ofMillis(20),
        () -> Procs.allThreadsExited(pid) ? Waits.Poll.done() : Waits.Poll.notYet("still alive"));
  }

  @Override
  public void pause() {
    long pid = requirePid("pause");
    faulted();
    Procs.signal(pid, "STOP");
    Waits.until(
        describe() + " to stop after SIGSTOP",
        Duration.ofSeconds(10),
        Duration.ofMillis(10),
        () ->
            Procs.allThreadsStopped(pid)
                ? Waits.Poll.done()
                : Waits.Poll.notYet("some threads still run"));
  }

  @Override
  public void resume() {
    long pid = requirePid("resume");
    Procs.signal(pid, "CONT");
    Waits.until(
        describe() + " to continue after SIGCONT",
        Duration.ofSeconds(10),
        Duration.ofMillis(10),
        () ->
            Procs.noThreadStopped(pid)
                ? Waits.Poll.done()
                : Waits.Poll.notYet("some threads still stopped"));
  }

  @Override
  public void stop() {
    OptionalLong pid = serverPid();
    if (pid.isEmpty()) {
      killLeftovers();
      return;
    }
    // A paused server would never see SIGTERM.
    Procs.signal(pid.getAsLong(), "CONT");
    Procs.signal(pid.getAsLong(), "TERM");
    try {
      Waits.until(
          describe() + " to shut down",
          Duration.ofSeconds(60),
          Duration.ofMillis(50),
          () -> isRunning() ? Waits.Poll.notYet("server still running") : Waits.Poll.done());
    } finally {
      killLeftovers();
    }
  }

  @Override
  public void isolate() {
    faulted();
    try {
      Iptables.isolate(address, cluster.tag());
    } catch (IllegalStateException e) {
      throw new ClusterException(describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void heal() {
    Iptables.heal(address, cluster.tag());
  }

  @Override
  public String logTail(int lines) {
    return Procs.tail(logFile(), lines);
  }

  long requirePid(String action) {
    OptionalLong pid = serverPid();
    if (pid.isEmpty()) {
      throw new ClusterException("cannot " + action + " " + describe() + ": it is not running");
    }
    return pid.getAsLong();
  }

  /** Fails with the log tail when the process group died while waiting for it. */
  Waits.Poll deadOrNotYet(String missing) {
    Optional<ProcId> g = group();
    if (g.isEmpty() || Procs.groupMembers(g.get().pid()).isEmpty()) {
      throw new ClusterException(
          describe() + " exited while starting; last lines of " + logFile() + ":\n" + logTail(30));
    }
    return Waits.Poll.notYet(missing);
  }

  /** Waits for a condition on this node, adding the log tail to a time-out. */
  void await(String what, Duration timeout, java.util.function.Supplier<Waits.Poll> condition) {
    try {
      Waits.until(describe() + " " + what, timeout, Duration.ofMillis(200), condition);
    } catch (Waits.TimeoutException e) {
      throw new ClusterException(
          e.getMessage() + "; last lines of " + logFile() + ":\n" + logTail(30), e);
    }
  }

  /** "rabbit node 2 (127.0.0.12:20012) of cluster x". */
  String describe() {
    return cluster.kind()
        + " node "
        + index
        + " ("
        + hostAndPort()
        + ") of cluster "
        + cluster.name();
  }

  /** Fields shared by both kinds for JSON output. */
  Map<String, Object> baseJson() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("index", index);
    m.put("address", address);
    m.put("port", port());
    OptionalLong pid = serverPid();
    m.put("pid", pid.isPresent() ? pid.getAsLong() : null);
    m.put("state", !isRunning() ? "stopped" : isPaused() ? "paused" : "running");
    m.put("isolated", isIsolated());
    m.put("log", logFile().toString());
    return m;
  }

  @Override
  public String toString() {
    return describe();
  }
}

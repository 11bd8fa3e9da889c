package io.ha4j.cli.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@code ha4j soak} run found, the rule that turns it into an exit code, and its text and
 * JSON forms. Immutable.
 *
 * @param seed the fault plan's seed
 * @param minutes the traffic time asked for
 * @param instances the number of application instances
 * @param elapsedSeconds traffic time actually run (the last fault's recovery may add to it)
 * @param faults every fault injected, in order
 * @param messages the message counts, summed over the instances
 * @param db the database counts, summed over the instances
 * @param stalls the longest stall per client kind, the maximum over the instances
 * @param writerDisagreementMs the longest time two instances named different Galera writers
 * @param resources threads and open file descriptors of the JVM
 * @param problems what went wrong with the run itself (a drain that timed out, a failed query)
 * @param runIds the test kit's run ids of both clusters (the comment on their iptables rules)
 * @param serverPids every server process the clusters ran, restarts included
 */
record SoakReport(
    long seed,
    double minutes,
    int instances,
    double elapsedSeconds,
    List<FaultResult> faults,
    Messages messages,
    Db db,
    Stalls stalls,
    long writerDisagreementMs,
    Resources resources,
    List<String> problems,
    List<String> runIds,
    List<Long> serverPids) {

  /** Threads that may be left over at the end without counting as a leak. */
  static final int THREAD_MARGIN = 5;

  /** Open file descriptors that may be left over at the end without counting as a leak. */
  static final int FD_MARGIN = 10;

  SoakReport {
    faults = List.copyOf(faults);
    problems = List.copyOf(problems);
    runIds = List.copyOf(runIds);
    serverPids = List.copyOf(serverPids);
  }

  /**
   * One fault as it happened.
   *
   * @param fault what the plan asked for
   * @param node the node it hit (for a desync: the writer at that moment), 0 if none was found
   * @param startSeconds when it started, seconds from the start of traffic
   * @param activeSeconds how long the node was faulted (until restarted, resumed, healed)
   * @param recoverySeconds from the end of the fault until the cluster was healthy again
   * @param recovered whether the cluster was healthy again in time
   * @param error why the fault or its recovery failed, or null
   */
  record FaultResult(
      SoakFaults.Fault fault,
      int node,
      double startSeconds,
      double activeSeconds,
      double recoverySeconds,
      boolean recovered,
      String error) {}

  /**
   * Message counts.
   *
   * @param published messages handed to the publishers
   * @param confirmed messages the broker confirmed
   * @param notConfirmed messages nacked or failed (not a loss: the publisher was told)
   * @param receivedDistinct distinct messages the consumers received
   * @param lost confirmed messages never received, after the final drain
   * @param duplicates messages received more than once
   */
  record Messages(
      long published,
      long confirmed,
      long notConfirmed,
      long receivedDistinct,
      long lost,
      long duplicates) {}

  /**
   * Database counts.
   *
   * @param commits units of work whose {@code call} returned
   * @param rows rows counted in the table at the end
   * @param lost units of work that returned but whose row is missing
   * @param duplicateRows client ids found in more than one row
   * @param unknownOutcomes {@code CommitOutcomeUnknownException}s that reached the caller
   * @param unknownCommitted how many of those had in fact committed (their row is there)
   * @param errors other exceptions out of {@code call}, by class name
   */
  record Db(
      long commits,
      long rows,
      long lost,
      long duplicateRows,
      long unknownOutcomes,
      long unknownCommitted,
      Map<String, Long> errors) {
    Db {
      errors = Map.copyOf(errors);
    }
  }

  /**
   * Longest stalls in milliseconds, the maximum over the instances.
   *
   * @param publisher longest gap between two confirms
   * @param consumer longest gap between two deliveries
   * @param db longest gap between two commits
   */
  record Stalls(long publisher, long consumer, long db) {}

  /**
   * Threads and open file descriptors of this JVM.
   *
   * @param threadsStart live threads after the warm-up, before the instances opened
   * @param threadsEnd live threads after the instances closed
   * @param fdsStart open descriptors after the warm-up
   * @param fdsEnd open descriptors after the instances closed
   */
  record Resources(int threadsStart, int threadsEnd, int fdsStart, int fdsEnd) {}

  /** Why the run failed; empty when it passed. */
  List<String> reasons() {
    List<String> r = new ArrayList<>();
    if (messages.lost() > 0) {
      r.add(messages.lost() + " confirmed message(s) lost");
    }
    if (db.lost() > 0) {
      r.add(db.lost() + " committed row(s) lost");
    }
    if (db.duplicateRows() > 0) {
      r.add(db.duplicateRows() + " client id(s) written more than once");
    }
    if (db.unknownOutcomes() > 0) {
      r.add(db.unknownOutcomes() + " commit outcome(s) unknown to the caller");
    }
    if (resources.threadsEnd() > resources.threadsStart() + THREAD_MARGIN) {
      r.add(
          "threads not back: "
              + resources.threadsStart()
              + " at start, "
              + resources.threadsEnd()
              + " at the end (margin "
              + THREAD_MARGIN
              + ")");
    }
    if (resources.fdsEnd() > resources.fdsStart() + FD_MARGIN) {
      r.add(
          "file descriptors not back: "
              + resources.fdsStart()
              + " at start, "
              + resources.fdsEnd()
              + " at the end (margin "
              + FD_MARGIN
              + ")");
    }
    for (FaultResult f : faults) {
      if (!f.recovered()) {
        r.add("fault #" + f.fault().number() + " (" + f.fault().describe() + "): " + f.error());
      }
    }
    r.addAll(problems);
    return r;
  }

  /** Whether the run passed: {@link #reasons()} is empty. */
  boolean ok() {
    return reasons().isEmpty();
  }

  /** The exit code: 0 passed, 1 failed. */
  int exitCode() {
    return ok() ? 0 : 1;
  }

  /** The JSON document, as maps and lists in a fixed order. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", seed);
    m.put("minutes", minutes);
    m.put("instances", instances);
    m.put("elapsed_s", round1(elapsedSeconds));
    List<Object> fs = new ArrayList<>();
    for (FaultResult f : faults) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("n", f.fault().number());
      j.put("t_s", round1(f.startSeconds()));
      j.put("kind", f.fault().kind().label());
      j.put("cluster", f.fault().target().label());
      j.put("node", f.node());
      j.put("duration_s", round1(f.activeSeconds()));
      j.put("recovery_s", round1(f.recoverySeconds()));
      j.put("recovered", f.recovered());
      j.put("error", f.error());
      fs.add(j);
    }
    m.put("faults", fs);
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("confirmed", messages.confirmed());
    msg.put("received_distinct", messages.receivedDistinct());
    msg.put("lost", messages.lost());
    msg.put("duplicates", messages.duplicates());
    msg.put("published", messages.published());
    msg.put("not_confirmed", messages.notConfirmed());
    m.put("messages", msg);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("commits", db.commits());
    d.put("rows", db.rows());
    d.put("lost", db.lost());
    d.put("duplicate_rows", db.duplicateRows());
    d.put("unknown_outcomes", db.unknownOutcomes());
    d.put("unknown_committed", db.unknownCommitted());
    d.put("errors", new java.util.TreeMap<>(db.errors()));
    m.put("db", d);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("publisher", stalls.publisher());
    s.put("consumer", stalls.consumer());
    s.put("db", stalls.db());
    m.put("max_stall_ms", s);
    m.put("writer_disagreement_ms", writerDisagreementMs);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("threads_start", resources.threadsStart());
    r.put("threads_end", resources.threadsEnd());
    r.put("fds_start", resources.fdsStart());
    r.put("fds_end", resources.fdsEnd());
    m.put("resources", r);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("run_ids", runIds);
    c.put("server_pids", serverPids);
    m.put("clusters", c);
    m.put("ok", ok());
    m.put("reasons", reasons());
    return m;
  }

  /** The report for a terminal. */
  void print(PrintStream out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "== ha4j soak report: %.1f s of traffic, %d instance(s), seed %d%n",
        elapsedSeconds,
        instances,
        seed);
    out.println("faults:");
    if (faults.isEmpty()) {
      out.println("  (none)");
    }
    for (FaultResult f : faults) {
      out.printf(
          Locale.ROOT,
          "  #%-2d t=%6.1fs %-8s %-8s node %d  faulted %5.1f s, healthy again after %5.1f s%s%n",
          f.fault().number(),
          f.startSeconds(),
          f.fault().kind().label(),
          f.fault().target().label(),
          f.node(),
          f.activeSeconds(),
          f.recoverySeconds(),
          f.recovered() ? "" : "  NOT RECOVERED: " + f.error());
    }
    out.printf(
        "messages: confirmed %d, received distinct %d, lost %d, duplicates %d (published %d,"
            + " not confirmed %d)%n",
        messages.confirmed(),
        messages.receivedDistinct(),
        messages.lost(),
        messages.duplicates(),
        messages.published(),
        messages.notConfirmed());
    out.printf(
        "database: commits %d, rows %d, lost %d, duplicate rows %d, unknown outcomes %d (%d of"
            + " them committed), errors %s%n",
        db.commits(),
        db.rows(),
        db.lost(),
        db.duplicateRows(),
        db.unknownOutcomes(),
        db.unknownCommitted(),
        db.errors().isEmpty() ? "none" : new java.util.TreeMap<>(db.errors()));
    out.printf(
        "longest stall: publisher %d ms, consumer %d ms, database %d ms%n",
        stalls.publisher(), stalls.consumer(), stalls.db());
    out.printf("longest writer disagreement between instances: %d ms%n", writerDisagreementMs);
    out.printf(
        "JVM: threads %d at start, %d at the end; open fds %d at start, %d at the end%n",
        resources.threadsStart(), resources.threadsEnd(), resources.fdsStart(), resources.fdsEnd());
    List<String> reasons = reasons();
    if (reasons.isEmpty()) {
      out.println("result: ok");
    } else {
      out.println("result: FAILED");
      reasons.forEach(x -> out.println("  - " + x));
    }
    out.flush();
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}

package io.ha4j.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Isolation of one loopback address with iptables rules on {@code lo}. Every rule carries a comment
 * with the cluster's run id; only rules with that exact comment are ever removed, and the chain is
 * never flushed: {@code lo} is shared by every process on the machine.
 */
public final class Iptables {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Iptables() {}

  /** Drops every packet from or to {@code address} on {@code lo}. Idempotent. */
  public static void isolate(String address, String tag) {
    if (isIsolated(address, tag)) {
      return;
    }
    // -w waits for the xtables lock instead of failing when another process holds it.
    for (String dir : List.of("-s", "-d")) {
      Procs.Result r = Procs.run(command("-I", rule(dir, address, tag)), TIMEOUT);
      if (!r.ok()) {
        heal(address, tag);
        throw new IllegalStateException(
            "iptables could not isolate " + address + " (" + r.describe() + ")" + rootHint());
      }
    }
  }

  /** Removes this tag's rules for {@code address}. */
  public static void heal(String address, String tag) {
    for (String dir : List.of("-s", "-d")) {
      while (Procs.run(command("-C", rule(dir, address, tag)), TIMEOUT).ok()) {
        Procs.Result r = Procs.run(command("-D", rule(dir, address, tag)), TIMEOUT);
        if (!r.ok()) {
          throw new IllegalStateException(
              "iptables could not remove the rule for " + address + ": " + r.describe());
        }
      }
    }
  }

  /** Whether this tag's rules for {@code address} are in place. */
  public static boolean isIsolated(String address, String tag) {
    return Procs.run(command("-C", rule("-s", address, tag)), TIMEOUT).ok();
  }

  /** Removes every rule carrying exactly this tag, whatever its address. */
  public static void removeAll(String tag) {
    for (String line : rulesWithTag(tag)) {
      // "-A INPUT …" → "-D INPUT …"; arguments contain no spaces (the kit's tags have none).
      List<String> args = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
      args.set(0, "-D");
      List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "5"));
      cmd.addAll(args);
      Procs.run(cmd, TIMEOUT);
    }
  }

  /** The {@code iptables -S INPUT} lines that carry exactly this tag. */
  public static List<String> rulesWithTag(String tag) {
    Procs.Result r = Procs.run(List.of("iptables", "-w", "5", "-S", "INPUT"), TIMEOUT);
    List<String> out = new ArrayList<>();
    if (!r.ok()) {
      return out;
    }
    for (String line : r.stdout().split("\n")) {
      if (line.contains("--comment " + tag + " ") || line.endsWith("--comment " + tag)) {
        out.add(line);
      }
    }
    return out;
  }

  private static List<String> rule(String dir, String address, String tag) {
    return List.of(
        "INPUT", "-i", "lo", dir, address + "/32", "-m", "comment", "--comment", tag, "-j", "DROP");
  }

  private static List<String> command(String op, List<String> rule) {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "5", op));
    cmd.addAll(rule);
    return cmd;
  }

  private static String rootHint() {
    return Procs.isRoot() ? "" : "; isolation needs root (iptables)";
  }
}

package io.ha4j.cli.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The phases of ha4j's AMQP failovers in {@code bench amqp}, per kill and as p50/p99: noticing the
 * loss, the recovery's own steps (from {@code AmqpEvent.Recovered}), then until the first message
 * published after the kill is confirmed; separately, until the consumer's first delivery.
 */
final class FailoverSplit {

  private FailoverSplit() {}

  /** The phases in report order: JSON key prefix and text label. */
  static final Map<String, String> PHASES = phases();

  private static Map<String, String> phases() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("detection", "detection (kill -> ConnectionLost)");
    m.put("delay", "kombu_reconnect_delay (incl. hand-off to the recovery thread)");
    m.put("connect", "connect (-> new connection open)");
    m.put("topology", "topology (-> re-declared)");
    m.put("publishers", "publishers (new channel, unconfirmed re-sent)");
    m.put("consumers", "consumers (re-attached)");
    m.put("confirm", "confirm (recovered -> first new message confirmed)");
    m.put("total", "total (kill -> first new message confirmed)");
    m.put("first_delivery", "first delivery (kill -> consumer's first delivery)");
    m.put("cluster_stall", "cluster stall (kill -> raw client on a survivor confirmed)");
    m.put("ha4j_share", "ha4j's share (total - cluster stall, at least 0)");
    return m;
  }

  /**
   * One failover, in milliseconds. {@code detection + delay + connect + topology + publishers +
   * consumers + confirm = total}; {@code firstDelivery} is NaN without a consumer; {@code
   * clusterStall} (NaN when not measured) is the same span for a raw client that was connected to a
   * surviving node all along: the cluster's own floor.
   */
  record Sample(
      double detection,
      double delay,
      double connect,
      double topology,
      double publishers,
      double consumers,
      double confirm,
      double total,
      double firstDelivery,
      double clusterStall) {

    /** This sample with the cluster's stall measured alongside. */
    Sample withClusterStall(double ms) {
      return new Sample(
          detection,
          delay,
          connect,
          topology,
          publishers,
          consumers,
          confirm,
          total,
          firstDelivery,
          ms);
    }

    /** What ha4j added to the cluster's stall (0 when it was as quick); NaN without the stall. */
    double ha4jShare() {
      return Double.isNaN(clusterStall) ? Double.NaN : Math.max(0, total - clusterStall);
    }

    double get(String phase) {
      return switch (phase) {
        case "detection" -> detection;
        case "delay" -> delay;
        case "connect" -> connect;
        case "topology" -> topology;
        case "publishers" -> publishers;
        case "consumers" -> consumers;
        case "confirm" -> confirm;
        case "total" -> total;
        case "first_delivery" -> firstDelivery;
        case "cluster_stall" -> clusterStall;
        case "ha4j_share" -> ha4jShare();
        default -> throw new IllegalArgumentException(phase);
      };
    }
  }

  /**
   * {@code samples}, then {@code <phase>_p50_ms} and {@code <phase>_p99_ms} for every phase (null
   * without a value), then {@code samples_ms}: every sample's phases.
   */
  static Map<String, Object> summary(List<Sample> samples) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", samples.size());
    for (String phase : PHASES.keySet()) {
      List<Double> xs = values(samples, s -> s.get(phase));
      m.put(phase + "_p50_ms", xs.isEmpty() ? null : round(BenchCommand.percentile(xs, 50)));
      m.put(phase + "_p99_ms", xs.isEmpty() ? null : round(BenchCommand.percentile(xs, 99)));
    }
    List<Map<String, Object>> each = new ArrayList<>();
    for (Sample s : samples) {
      Map<String, Object> one = new LinkedHashMap<>();
      for (String phase : PHASES.keySet()) {
        double v = s.get(phase);
        one.put(phase, Double.isNaN(v) ? null : round(v));
      }
      each.add(one);
    }
    m.put("samples_ms", each);
    return m;
  }

  private static List<Double> values(List<Sample> samples, ToDoubleFunction<Sample> f) {
    List<Double> xs = new ArrayList<>();
    for (Sample s : samples) {
      double v = f.applyAsDouble(s);
      if (!Double.isNaN(v)) {
        xs.add(v);
      }
    }
    return xs;
  }

  /** To a tenth of a millisecond. */
  static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }

  /** The summary as a table: one line per phase, p50 and p99. */
  static void printText(PrintStream out, String title, Map<String, Object> summary) {
    out.printf("failover split, %s (%s samples), p50 / p99 ms:%n", title, summary.get("samples"));
    PHASES.forEach(
        (phase, label) ->
            out.printf(
                "  %-66s %8s / %8s%n",
                label, summary.get(phase + "_p50_ms"), summary.get(phase + "_p99_ms")));
  }
}

package io.ha4j.jdbc.micrometer;

import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.jdbc.GaleraListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;

/**
 * Turns the events of one named {@link io.ha4j.jdbc.GaleraDataSource} into Micrometer meters, all
 * tagged {@code datasource}: counter {@code ha4j.db.writer.changes} (tags {@code from}, {@code to};
 * "none" for no writer), timer {@code ha4j.db.writer.switch} (how long no writer was lent), counter
 * {@code ha4j.db.node.state.changes} (tags {@code node}, {@code state}), counter {@code
 * ha4j.db.retries} (tag {@code kind}: deadlock, node_not_ready, connection_lost …), counter {@code
 * ha4j.db.commit.resolutions} (tag {@code outcome}: committed, not_committed; COMMITs whose lost
 * answer was resolved). Register it with {@code GaleraDataSource.builder().listener(metrics)}.
 * Thread-safe.
 *
 * @since 0.1
 */
public final class MicrometerGaleraMetrics implements GaleraListener {

  private final MeterRegistry registry;
  private final Tags tags;
  private final Timer switches;

  /** Meters for the data source called {@code name} in {@code registry}. */
  public MicrometerGaleraMetrics(MeterRegistry registry, String name) {
    this.registry = registry;
    this.tags = Tags.of("datasource", name);
    this.switches =
        Timer.builder("ha4j.db.writer.switch")
            .description("time without a writer during a switch")
            .tags(tags)
            .register(registry);
  }

  @Override
  public void onEvent(GaleraEvent event) {
    if (event instanceof GaleraEvent.WriterChanged w) {
      registry
          .counter(
              "ha4j.db.writer.changes", tags.and("from", orNone(w.from()), "to", orNone(w.to())))
          .increment();
      switches.record(w.duration());
    } else if (event instanceof GaleraEvent.NodeStateChanged n) {
      registry
          .counter(
              "ha4j.db.node.state.changes",
              tags.and("node", n.node(), "state", n.to().name().toLowerCase(Locale.ROOT)))
          .increment();
    } else if (event instanceof GaleraEvent.Retry r) {
      registry
          .counter("ha4j.db.retries", tags.and("kind", r.kind().name().toLowerCase(Locale.ROOT)))
          .increment();
    } else if (event instanceof GaleraEvent.CommitResolved c) {
      registry
          .counter(
              "ha4j.db.commit.resolutions",
              tags.and("outcome", c.committed() ? "committed" : "not_committed"))
          .increment();
    }
  }

  private static String orNone(String s) {
    return s == null ? "none" : s;
  }
}

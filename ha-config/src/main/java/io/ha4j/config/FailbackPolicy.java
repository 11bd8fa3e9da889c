package io.ha4j.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When the writer moves back to a better-priority node that became healthy again. {@link
 * #IMMEDIATE} is deterministic across application instances (they all pick the same node); {@link
 * #afterStable(Duration)} avoids flapping on a node that keeps failing; {@link #NEVER} keeps the
 * current writer until it fails. Immutable.
 *
 * @param mode the policy
 * @param stableTime how long the better node must stay healthy ({@code AFTER_STABLE} only)
 * @since 0.1
 */
public record FailbackPolicy(Mode mode, Duration stableTime) {

  /** The kinds of policy. */
  public enum Mode {
    /** Switch back as soon as the better node is healthy. */
    IMMEDIATE,
    /** Switch back after the better node stayed healthy for {@code stableTime}. */
    AFTER_STABLE,
    /** Never switch back. */
    NEVER
  }

  /** Switch back at once (default). */
  public static final FailbackPolicy IMMEDIATE = new FailbackPolicy(Mode.IMMEDIATE, Duration.ZERO);

  /** Never switch back. */
  public static final FailbackPolicy NEVER = new FailbackPolicy(Mode.NEVER, Duration.ZERO);

  /** Checks the components. */
  public FailbackPolicy {
    Objects.requireNonNull(mode, "mode");
    RetrySettings.nonNegative("stableTime", stableTime);
  }

  /** Switch back after the better node stayed healthy this long. */
  public static FailbackPolicy afterStable(Duration stableTime) {
    return new FailbackPolicy(Mode.AFTER_STABLE, stableTime);
  }
}

package io.ha4j.config;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Thrown by a settings builder's {@code build()} when settings break a rule between them (or a
 * required one is missing): every broken rule, each naming the builder settings involved, so that a
 * caller such as {@link HaConfig} can point at the options they came from. Never carries a secret.
 *
 * @since 0.1
 */
public final class InvalidSettingsException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * One broken rule.
   *
   * @param settings the builder settings involved, the one to change first (e.g. {@code
   *     quorumQueue}, {@code haQueues})
   * @param message what is wrong and how to fix it
   */
  public record Violation(List<String> settings, String message) {
    /** Checks and copies. */
    public Violation {
      settings = List.copyOf(settings);
      Objects.requireNonNull(message, "message");
      if (settings.isEmpty()) {
        throw new IllegalArgumentException("settings must not be empty");
      }
    }
  }

  private final transient List<Violation> violations;

  /**
   * An exception listing broken rules.
   *
   * @param violations at least one
   */
  public InvalidSettingsException(List<Violation> violations) {
    super(message(violations));
    this.violations = List.copyOf(violations);
  }

  private static String message(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("violations must not be empty");
    }
    return violations.stream().map(Violation::message).collect(Collectors.joining("; "));
  }

  /** The broken rules, in the order checked. */
  public List<Violation> violations() {
    return violations;
  }
}

package io.ha4j.config.internal;

import io.ha4j.config.internal.OptionSpec.Alias;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every option ha4j reads, with oslo.messaging 14.0.3 / oslo.db defaults, and the lookups by name
 * and alias. The rows are written in {@link AmqpOptions} and {@link DatabaseOptions}, in the order
 * of {@code ha4j config} output (messaging first). Defaults are taken from the settings classes'
 * {@code DEFAULT_*} constants (the one place where each is written), converted to the option's
 * type.
 *
 * <p>Bounds: an option that feeds a settings builder has none here; the builder checks the value
 * and the resolver reports its message at the option's location. Only options whose value is not
 * handed to a builder as it is keep bounds: the retry counts whose {@code -1} or {@code 0} means
 * "forever" before conversion, and the legacy {@code rabbit_port}, a default port that is checked
 * even when {@code transport_url} makes it unused. Choices are the conversion from text to an enum,
 * so they live here too.
 */
public final class Options {

  public static final String DEFAULT = "DEFAULT";
  public static final String RABBIT = "oslo_messaging_rabbit";
  public static final String HA4J_AMQP = "ha4j_amqp";
  public static final String DATABASE = "database";
  public static final String GALERA = "galera";

  /** ha4j's own loader options ({@code strict}). */
  public static final String HA4J = "ha4j";

  /**
   * Sections whose unknown keys earn a warning, an error in strict mode (DEFAULT only for near
   * misses).
   */
  public static final List<String> SECTIONS =
      List.of(DEFAULT, RABBIT, HA4J_AMQP, DATABASE, GALERA, HA4J);

  private static final List<OptionSpec> ALL;
  private static final Map<String, OptionSpec> BY_NAME = new LinkedHashMap<>();
  private static final Map<String, OptionSpec> BY_ALIAS = new LinkedHashMap<>();

  static {
    List<OptionSpec> l = new ArrayList<>(AmqpOptions.rows());
    l.addAll(DatabaseOptions.rows());
    l.add(
        OptionRows.bool(
                HA4J,
                "strict",
                false,
                "unknown options in ha4j's sections are errors instead of warnings")
            .spec());
    ALL = Collections.unmodifiableList(l);
    for (OptionSpec s : ALL) {
      BY_NAME.put(s.qualifiedName(), s);
      for (Alias a : s.aliases()) {
        BY_ALIAS.put(a.section() + "." + a.name(), s);
      }
    }
    // oslo.messaging once read every rabbit option from [DEFAULT] too (deprecated_group).
    for (OptionSpec s : ALL) {
      if (s.section().equals(RABBIT)) {
        BY_ALIAS.putIfAbsent(DEFAULT + "." + s.name(), s);
        for (Alias a : s.aliases()) {
          BY_ALIAS.putIfAbsent(DEFAULT + "." + a.name(), s);
        }
      }
    }
  }

  private Options() {}

  /** Every known option. */
  public static List<OptionSpec> all() {
    return ALL;
  }

  /** The option of that name in that section, or empty. */
  public static Optional<OptionSpec> find(String section, String name) {
    return Optional.ofNullable(BY_NAME.get(section + "." + name));
  }

  /** The option an alias stands for, or empty. */
  public static Optional<OptionSpec> findAlias(String section, String name) {
    return Optional.ofNullable(BY_ALIAS.get(section + "." + name));
  }

  /** Whether an alias is deprecated (earns a warning). */
  public static boolean isDeprecatedAlias(String section, String name) {
    Optional<OptionSpec> spec = findAlias(section, name);
    if (spec.isEmpty()) {
      return false;
    }
    if (section.equals(DEFAULT) && spec.get().section().equals(RABBIT)) {
      return true;
    }
    return spec.get().aliases().stream()
        .anyMatch(a -> a.section().equals(section) && a.name().equals(name) && a.deprecated());
  }

  /** Every name that can be written in a section: option names and aliases. */
  public static List<String> namesIn(String section) {
    List<String> out = new ArrayList<>();
    for (OptionSpec s : ALL) {
      if (s.section().equals(section)) {
        out.add(s.name());
      }
    }
    for (String k : BY_ALIAS.keySet()) {
      if (k.startsWith(section + ".")) {
        out.add(k.substring(section.length() + 1));
      }
    }
    return out;
  }

  /** Options that oslo.messaging 14 removed; reading them earns a deprecation warning. */
  public static boolean isLegacy(OptionSpec s) {
    return s.section().equals(RABBIT)
        && List.of(
                "rabbit_hosts",
                "rabbit_host",
                "rabbit_port",
                "rabbit_userid",
                "rabbit_password",
                "rabbit_virtual_host",
                "rabbit_max_retries")
            .contains(s.name());
  }

  /** What replaces a legacy option, for the deprecation warning. */
  public static String replacementOf(OptionSpec s) {
    if (s.name().equals("rabbit_max_retries")) {
      return "[" + HA4J_AMQP + "] max_retries";
    }
    return "[DEFAULT] transport_url";
  }
}

package io.ha4j.config.internal;

import io.ha4j.config.AmqpSettings;
import io.ha4j.config.internal.OptionSpec.Alias;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shorthand the option tables ({@link AmqpOptions}, {@link DatabaseOptions}) are written in: a
 * row builder and the conversions of the settings' {@code DEFAULT_*} constants to an option's type.
 * It keeps each row down to what differs between options.
 */
final class OptionRows {

  private OptionRows() {}

  /** Whole seconds of a default, for an integer option (a fraction would be a bug here). */
  static long secs(Duration d) {
    if (d.getNano() != 0) {
      throw new IllegalArgumentException("not whole seconds: " + d);
    }
    return d.getSeconds();
  }

  /** Seconds of a default, for a float option. */
  static double fsecs(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  /** How an enum default is written in a file: lower case, {@code -} for {@code _}. */
  static String text(Enum<?> e) {
    String t = e.name().toLowerCase(Locale.ROOT);
    return e instanceof AmqpSettings.FailoverStrategy ? t.replace('_', '-') : t;
  }

  static OptionSpec str(String section, String name, String def, boolean secret, String help) {
    return b(section, name, OptionType.STRING, def, help).secret(secret).spec();
  }

  /**
   * An integer option without bounds of its own: the settings builder that receives it checks the
   * value (one place per rule), and the resolver reports its message at the option's location.
   */
  static OptionSpec integer(String section, String name, long def, String help) {
    return b(section, name, OptionType.INTEGER, def, help).spec();
  }

  static B bool(String section, String name, boolean def, String help) {
    return b(section, name, OptionType.BOOLEAN, def, help);
  }

  static B b(String section, String name, OptionType type, Object def, String help) {
    return new B(section, name, type, def, help);
  }

  /** One row being written: the option's fixed parts, then what only some options have. */
  static final class B {
    final String section;
    final String name;
    final OptionType type;
    final Object def;
    final String help;
    boolean secret;
    Double min;
    Double max;
    List<String> choices = List.of();
    final List<Alias> aliases = new ArrayList<>();

    B(String section, String name, OptionType type, Object def, String help) {
      this.section = section;
      this.name = name;
      this.type = type;
      this.def = def;
      this.help = help;
    }

    B secret(boolean secret) {
      this.secret = secret;
      return this;
    }

    B range(Number min, Number max) {
      this.min = min == null ? null : min.doubleValue();
      this.max = max == null ? null : max.doubleValue();
      return this;
    }

    B choices(String... c) {
      this.choices = List.of(c);
      return this;
    }

    B alias(String section, String name) {
      return alias(section, name, true);
    }

    B alias(String section, String name, boolean deprecated) {
      aliases.add(new Alias(section, name, deprecated));
      return this;
    }

    OptionSpec spec() {
      return new OptionSpec(
          section, name, type, def, secret, min, max, choices, List.copyOf(aliases), help);
    }
  }
}

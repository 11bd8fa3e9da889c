package io.ha4j.config.internal;

import io.ha4j.config.TransportUrl;
import io.ha4j.config.internal.Resolver.Value;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The effective value of every option: starts from the defaults and lets each assignment that names
 * an option (directly or by an alias) replace the value when its source ranks at least as high. On
 * the way it interpolates file values, converts and checks the text, and warns about deprecated
 * names and unknown ones (with a "did you mean"). The settings are built from what is left here, so
 * this is the one place that decides which source wins.
 */
final class EffectiveValues {

  private final ProblemList problems;
  private final Set<String> warnedDeprecated = new HashSet<>();
  private final Map<String, Value> winners = new LinkedHashMap<>();

  /** Values as written in the files, by section and key, for interpolation. */
  private final Map<String, Map<String, String>> fileRaw = new LinkedHashMap<>();

  private EffectiveValues(ProblemList problems) {
    this.problems = problems;
  }

  /** The defaults, overridden by each assignment in turn. */
  static EffectiveValues resolve(List<RawAssignment> raws, ProblemList problems) {
    EffectiveValues values = new EffectiveValues(problems);
    for (RawAssignment r : raws) {
      if (r.fromFile()) {
        values
            .fileRaw
            .computeIfAbsent(r.section(), s -> new LinkedHashMap<>())
            .put(r.key(), r.text());
      }
    }
    for (OptionSpec spec : Options.all()) {
      values.winners.put(
          spec.qualifiedName(),
          new Value(
              spec,
              spec.defaultValue(),
              "default",
              "default",
              Resolver.DEFAULT_RANK,
              spec.section(),
              spec.name(),
              shown(spec, OptionType.osloText(spec.defaultValue()))));
    }
    for (RawAssignment r : raws) {
      values.accept(r);
    }
    return values;
  }

  /** Every option's value, in the order of the option table. */
  List<Value> all() {
    return List.copyOf(winners.values());
  }

  Value get(String section, String name) {
    return winners.get(section + "." + name);
  }

  /** Records a value unless a source that ranks higher has already set the option. */
  void offer(Value v) {
    Value current = winners.get(v.spec().qualifiedName());
    if (v.rank() >= current.rank()) {
      winners.put(v.spec().qualifiedName(), v);
    }
  }

  /** Maps a raw assignment to its option, converts it, and records it if it wins. */
  private void accept(RawAssignment r) {
    Optional<OptionSpec> direct = Options.find(r.section(), r.key());
    OptionSpec spec = direct.orElseGet(() -> Options.findAlias(r.section(), r.key()).orElse(null));
    if (spec == null) {
      unknown(r);
      return;
    }
    if (direct.isEmpty() && Options.isDeprecatedAlias(r.section(), r.key())) {
      String replacement =
          Options.isLegacy(spec)
              ? Options.replacementOf(spec)
              : "[" + spec.section() + "] " + spec.name();
      deprecated(r, replacement);
    } else if (Options.isLegacy(spec)) {
      deprecated(r, Options.replacementOf(spec));
    }
    String text = r.text();
    if (r.fromFile()) {
      try {
        text = Interpolation.apply(text, r.section(), this::lookup);
      } catch (IllegalArgumentException e) {
        problems.error(r.location(), r.section(), r.key(), shown(spec, r.text()), e.getMessage());
        return;
      }
    }
    Object value = convert(spec, text, r.location(), r.section(), r.key());
    if (value == null) {
      return;
    }
    offer(
        new Value(
            spec,
            value,
            r.location(),
            r.location(),
            r.rank(),
            r.section(),
            r.key(),
            shown(spec, r.text())));
  }

  /**
   * Converts and checks an option's text; a value that does not convert or is out of bounds is an
   * error at the given place.
   *
   * @return the canonical value, or null after reporting the error
   */
  Object convert(OptionSpec spec, String text, String location, String section, String key) {
    Object value;
    try {
      value = spec.type().convert(text);
    } catch (IllegalArgumentException e) {
      problems.error(location, section, key, shown(spec, text), e.getMessage());
      return null;
    }
    String bad = spec.check(value);
    if (bad != null) {
      problems.error(location, section, key, shown(spec, text), bad);
      return null;
    }
    return spec.canonical(value);
  }

  private String lookup(String section, String name) {
    Map<String, String> own = fileRaw.getOrDefault(section, Map.of());
    if (own.containsKey(name)) {
      return own.get(name);
    }
    Map<String, String> defaults = fileRaw.getOrDefault(Options.DEFAULT, Map.of());
    if (defaults.containsKey(name)) {
      return defaults.get(name);
    }
    Optional<OptionSpec> spec =
        Options.find(section, name).or(() -> Options.find(Options.DEFAULT, name));
    if (spec.isPresent() && spec.get().defaultValue() != null) {
      return OptionType.osloText(spec.get().defaultValue());
    }
    return null;
  }

  private void unknown(RawAssignment r) {
    boolean known = Options.SECTIONS.contains(r.section());
    if (!known && r.fromFile()) {
      return; // other sections belong to the service, not to ha4j
    }
    String suggestion = Suggestions.suggest(r.section(), r.key());
    if (r.section().equals(Options.DEFAULT) && r.fromFile() && suggestion == null) {
      return; // [DEFAULT] holds the service's own options
    }
    String message =
        (known ? "unknown option" : "unknown section [" + r.section() + "]")
            + (suggestion == null ? "; it is ignored" : "; did you mean " + suggestion + "?");
    if (known) {
      problems.unknownOption(r.location(), r.section(), r.key(), message);
    } else {
      problems.warn(r.location(), r.section(), r.key(), "", message);
    }
  }

  private void deprecated(RawAssignment r, String replacement) {
    if (warnedDeprecated.add(r.section() + "." + r.key())) {
      problems.warn(
          r.location(), r.section(), r.key(), "", "deprecated; use " + replacement + " instead");
    }
  }

  /** A value as shown in problems and {@code ha4j config}: masked when the option is secret. */
  static String shown(OptionSpec spec, String text) {
    if (!spec.secret()) {
      return text;
    }
    return text.contains("://") ? TransportUrl.mask(text) : "***";
  }
}

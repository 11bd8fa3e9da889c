package io.ha4j.config.internal;

import io.ha4j.config.AmqpSettings;
import io.ha4j.config.ConfigProblem;
import io.ha4j.config.GaleraSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Merges the sources (builder > Java properties > environment > transport_url query > files in
 * order > defaults), converts and checks every value, and builds the settings. Collects every
 * problem instead of stopping at the first.
 *
 * <p>This is the entry point only; each step is a part of its own: {@link SourceReader} reads the
 * sources, {@link EffectiveValues} picks and converts each option's value, {@link
 * TransportUrlOptions} handles {@code transport_url} and the legacy options it replaces, {@link
 * AmqpAssembler} and {@link GaleraAssembler} build the settings, and {@link ProblemList} collects
 * what is wrong.
 */
public final class Resolver {

  /** Environment variable prefix: {@code HA4J_<SECTION>__<OPTION>}. */
  public static final String ENV_PREFIX = "HA4J_";

  /** Java property prefix: {@code ha4j.<section>.<option>}. */
  public static final String PROPERTY_PREFIX = "ha4j.";

  /** A source the loader reads, in the order given. */
  public sealed interface Input {
    /** A {@code --config-file}. */
    record File(Path path) implements Input {}

    /** A {@code --config-dir}: its {@code *.conf} files in name order. */
    record Dir(Path path) implements Input {}
  }

  /**
   * The effective value of one option.
   *
   * @param spec the option
   * @param value the converted value
   * @param source what {@code ha4j config} shows as the source
   * @param location where a problem with the value is reported
   * @param rank precedence of the source
   * @param section the section as written (an alias may be written in another one)
   * @param key the name as written (an alias, {@code transport_url} for a query parameter)
   * @param text the value as written, masked when secret
   */
  public record Value(
      OptionSpec spec,
      Object value,
      String source,
      String location,
      int rank,
      String section,
      String key,
      String text) {}

  /** What the loader produces. */
  public record Result(
      List<Value> values,
      AmqpSettings amqp,
      Optional<GaleraSettings> galera,
      List<ConfigProblem> problems) {}

  // Ranks: higher wins.
  static final int DEFAULT_RANK = 0;
  static final int FILE_RANK = 1;
  static final int URL_RANK = 2;
  static final int ENV_RANK = 3;
  static final int PROPERTY_RANK = 4;
  static final int BUILDER_RANK = 5;

  private Resolver() {}

  /**
   * Loads and validates.
   *
   * @param inputs files and directories in order
   * @param env environment variables (only {@code HA4J_*} ones are read)
   * @param properties Java properties (only {@code ha4j.*} ones are read)
   * @param overrides programmatic values, keyed {@code section.option}
   * @param strict whether unknown options of ha4j's sections are errors whatever {@code [ha4j]
   *     strict} says
   */
  public static Result resolve(
      List<Input> inputs,
      Map<String, String> env,
      Map<String, String> properties,
      Map<String, String> overrides,
      boolean strict) {
    ProblemList problems = new ProblemList();
    List<RawAssignment> raws = new SourceReader(problems).read(inputs, env, properties, overrides);
    EffectiveValues values = EffectiveValues.resolve(raws, problems);
    if (strict || Boolean.TRUE.equals(values.get(Options.HA4J, "strict").value())) {
      problems.escalateUnknownOptions();
    }
    TransportUrlOptions transportUrl = new TransportUrlOptions(values, problems);
    transportUrl.applyQuery();
    transportUrl.warnAboutIgnoredLegacyHosts();
    AmqpSettings amqp = new AmqpAssembler(values, transportUrl, problems).build();
    Optional<GaleraSettings> galera = new GaleraAssembler(values, problems).build();
    return new Result(values.all(), amqp, galera, problems.inReportOrder());
  }
}

package io.ha4j.config;

import io.ha4j.config.internal.Resolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effective configuration read from oslo-style sources: {@link AmqpSettings}, {@link
 * GaleraSettings} (when a database is configured), every option with its source, and the warnings.
 *
 * <p>Precedence, highest first: values {@link Loader#set set} on the loader; Java properties {@code
 * ha4j.<section>.<option>}; environment variables {@code HA4J_<SECTION>__<OPTION>} (section and
 * option upper-cased, e.g. {@code HA4J_OSLO_MESSAGING_RABBIT__RABBIT_RETRY_INTERVAL}); query
 * parameters of {@code transport_url}; config files and directories in the order given, a later one
 * winning; oslo's defaults. Interpolation ({@code $name}) applies to file values only. Immutable
 * and thread-safe.
 *
 * <p>Mistakes are loud: {@link Loader#load()} logs every {@linkplain #warnings() warning} (an
 * unknown option with its "did you mean", a deprecated key with its replacement) at WARN on the
 * logger {@code io.ha4j.config.HaConfig}, one line each with its {@code file:line}. In {@linkplain
 * Loader#strict() strict mode} (or with {@code [ha4j] strict = true}) an unknown option of {@code
 * [oslo_messaging_rabbit]}, {@code [ha4j_amqp]}, {@code [database]}, {@code [galera]} or {@code
 * [ha4j]}, and a near miss in {@code [DEFAULT]}, is an error instead.
 *
 * @since 0.1
 */
public final class HaConfig {

  private static final Logger LOG = LoggerFactory.getLogger(HaConfig.class);

  private final List<ConfigValue> values;
  private final AmqpSettings amqp;
  private final Optional<GaleraSettings> galera;
  private final List<ConfigProblem> warnings;

  private HaConfig(
      List<ConfigValue> values,
      AmqpSettings amqp,
      Optional<GaleraSettings> galera,
      List<ConfigProblem> warnings) {
    this.values = List.copyOf(values);
    this.amqp = amqp;
    this.galera = galera;
    this.warnings = List.copyOf(warnings);
  }

  /** A loader with no sources: only the environment is read unless told otherwise. */
  public static Loader loader() {
    return new Loader();
  }

  /**
   * Loads files in order (later wins), with the process environment and system properties.
   *
   * @throws ConfigException listing every problem when the configuration is invalid
   */
  public static HaConfig load(Path... configFiles) {
    Loader l = loader().systemEnvironment().systemProperties();
    for (Path p : configFiles) {
      l.configFile(p);
    }
    return l.load();
  }

  /** The RabbitMQ settings (oslo's defaults when nothing is configured). */
  public AmqpSettings amqp() {
    return amqp;
  }

  /** The Galera settings, or empty when neither {@code [database] connection} nor nodes are set. */
  public Optional<GaleraSettings> galera() {
    return galera;
  }

  /** Deprecated keys, unknown keys, ignored settings: the configuration is usable regardless. */
  public List<ConfigProblem> warnings() {
    return warnings;
  }

  /** Every known option with its effective value and source, defaults included, in order. */
  public List<ConfigValue> values() {
    return values;
  }

  /** One option's effective value. */
  public Optional<ConfigValue> value(String section, String name) {
    return values.stream()
        .filter(v -> v.section().equals(section) && v.name().equals(name))
        .findFirst();
  }

  @Override
  public String toString() {
    return "HaConfig[amqp="
        + amqp
        + ", galera="
        + galera.map(Object::toString).orElse("none")
        + "]";
  }

  /**
   * Collects sources and loads them. Not thread-safe; reusable.
   *
   * @since 0.1
   */
  public static final class Loader {
    private final List<Resolver.Input> inputs = new ArrayList<>();
    private Map<String, String> env = Map.of();
    private Map<String, String> properties = Map.of();
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private boolean strict;

    private Loader() {}

    /**
     * Strict mode: an unknown option in {@code [oslo_messaging_rabbit]}, {@code [ha4j_amqp]},
     * {@code [database]}, {@code [galera]} or {@code [ha4j]}, and a near miss of a known option in
     * {@code [DEFAULT]}, is an error, not a warning. The same as {@code [ha4j] strict = true} in a
     * file; without either, such options are warnings (logged by {@link #load()}).
     */
    public Loader strict() {
      this.strict = true;
      return this;
    }

    /** Adds a config file; files and directories are read in the order added. */
    public Loader configFile(Path file) {
      inputs.add(new Resolver.Input.File(Objects.requireNonNull(file, "file")));
      return this;
    }

    /** Adds a config directory: its {@code *.conf} files, in name order. */
    public Loader configDir(Path dir) {
      inputs.add(new Resolver.Input.Dir(Objects.requireNonNull(dir, "dir")));
      return this;
    }

    /** Reads {@code HA4J_<SECTION>__<OPTION>} variables from this map. */
    public Loader environment(Map<String, String> env) {
      this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
      return this;
    }

    /** Reads the process environment. */
    public Loader systemEnvironment() {
      return environment(System.getenv());
    }

    /** Reads {@code ha4j.<section>.<option>} properties from this map. */
    public Loader properties(Map<String, String> properties) {
      this.properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
      return this;
    }

    /** Reads the JVM's system properties. */
    public Loader systemProperties() {
      Properties p = System.getProperties();
      Map<String, String> m = new LinkedHashMap<>();
      for (String name : p.stringPropertyNames()) {
        m.put(name, p.getProperty(name));
      }
      return properties(m);
    }

    /** Sets one option, above every other source, e.g. {@code set("galera", "nodes", "a,b")}. */
    public Loader set(String section, String option, String value) {
      Objects.requireNonNull(section, "section");
      Objects.requireNonNull(option, "option");
      Objects.requireNonNull(value, "value");
      overrides.put(section + "." + option, value);
      return this;
    }

    /**
     * Reads every source, validates, builds the settings. Each warning is logged at WARN, one line
     * with its location; when the configuration is refused nothing is logged and the exception
     * carries the warnings instead.
     *
     * @throws ConfigException listing every error, then the warnings that may explain them
     */
    public HaConfig load() {
      Resolver.Result r = Resolver.resolve(inputs, env, properties, overrides, strict);
      if (r.problems().stream().anyMatch(ConfigProblem::isError)) {
        throw new ConfigException(r.problems());
      }
      for (ConfigProblem p : r.problems()) {
        String line = p.toString(); // "warning: file:line: [section] key: message"
        LOG.warn("configuration {}", line.substring(line.indexOf(' ') + 1));
      }
      List<ConfigValue> values = new ArrayList<>();
      for (Resolver.Value v : r.values()) {
        values.add(
            new ConfigValue(
                v.spec().section(), v.spec().name(), v.value(), v.source(), v.spec().secret()));
      }
      return new HaConfig(values, r.amqp(), r.galera(), r.problems());
    }
  }
}

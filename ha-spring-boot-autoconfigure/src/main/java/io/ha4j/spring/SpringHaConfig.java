package io.ha4j.spring;

import io.ha4j.config.ConfigException;
import io.ha4j.config.ConfigProblem;
import io.ha4j.config.ConfigValue;
import io.ha4j.config.HaConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Reads ha4j's configuration from a Spring {@link Environment}: the oslo files of {@code
 * ha4j.config-files} and {@code ha4j.config-dir}, overridden by the {@code ha4j.amqp.*}, {@code
 * ha4j.database.*} and {@code ha4j.galera.*} properties; with no file and no directory, {@code
 * spring.rabbitmq.*} and a MariaDB/MySQL {@code spring.datasource.url} (with {@code
 * spring.datasource.hikari.*} pool sizes and timeouts) are the source. A mistake throws a {@link
 * ConfigException} whose problems name the Spring property and its origin (file and line) or the
 * oslo file and line; secrets are masked. Warnings are logged. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class SpringHaConfig {

  private static final Logger LOG = LoggerFactory.getLogger(SpringHaConfig.class);

  private static final String DEFAULT = "DEFAULT";
  private static final String RABBIT = "oslo_messaging_rabbit";
  private static final Set<String> AMQP_SECTIONS = Set.of(DEFAULT, RABBIT, "ha4j_amqp");

  /** oslo option name to its section, for the options {@code ha4j.amqp.*} may set. */
  private static final Map<String, String> AMQP_SECTION_OF = amqpSections();

  private static final Pattern JDBC_URL =
      Pattern.compile(
          "jdbc:(mariadb|mysql):(?:([a-z]+):)?//([^/?]*)(/[^?]*)?(\\?.*)?",
          Pattern.CASE_INSENSITIVE);

  private SpringHaConfig() {}

  /**
   * Loads the configuration the environment describes.
   *
   * @param environment the application's environment
   * @return the effective configuration
   * @throws ConfigException when any option is invalid; problems name the Spring property or file
   */
  public static HaConfig load(Environment environment) {
    return load(environment, true);
  }

  private static HaConfig load(Environment environment, boolean logWarnings) {
    Binder binder = Binder.get(environment);
    Ha4jProperties props = binder.bindOrCreate("ha4j", Ha4jProperties.class);
    HaConfig.Loader loader = HaConfig.loader();
    if (props.isStrict()) {
      loader.strict();
    }
    for (String f : props.getConfigFiles()) {
      loader.configFile(Path.of(f.strip()));
    }
    boolean files = !props.getConfigFiles().isEmpty();
    if (props.getConfigDir() != null && !props.getConfigDir().isBlank()) {
      loader.configDir(Path.of(props.getConfigDir().strip()));
      files = true;
    }
    Sources sources = new Sources(environment);
    props.getAmqp().forEach((k, v) -> sources.option("ha4j.amqp.", k, v, amqpSection(k)));
    props.getDatabase().forEach((k, v) -> sources.option("ha4j.database.", k, v, "database"));
    props.getGalera().forEach((k, v) -> sources.option("ha4j.galera.", k, v, "galera"));
    if (!files) {
      springRabbit(binder, sources);
      springDatasource(binder, sources);
    }
    HaConfig config;
    try {
      config = loader.properties(sources.values).load();
    } catch (ConfigException e) {
      throw new ConfigException(sources.relocate(e.problems()));
    }
    if (logWarnings) {
      for (ConfigProblem w : sources.relocate(config.warnings())) {
        LOG.warn("ha4j configuration: {}", w);
      }
    }
    return config;
  }

  /**
   * Whether the environment configures a Galera cluster (the same rule as {@link HaConfig#galera()}
   * after {@link #load}); true when the configuration is invalid, so that the error surfaces where
   * the DataSource is created.
   *
   * @param environment the application's environment
   * @return whether a database is configured
   */
  public static boolean galeraConfigured(Environment environment) {
    try {
      return load(environment, false).galera().isPresent();
    } catch (ConfigException e) {
      return true;
    }
  }

  private static String amqpSection(String key) {
    return AMQP_SECTION_OF.getOrDefault(normalize(key), RABBIT);
  }

  /** Dashes, dots and upper case (relaxed binding, environment variables) become oslo's names. */
  static String normalize(String key) {
    return key.strip().toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  private static Map<String, String> amqpSections() {
    Map<String, String> m = new LinkedHashMap<>();
    for (ConfigValue v : HaConfig.loader().load().values()) {
      if (AMQP_SECTIONS.contains(v.section())) {
        m.putIfAbsent(v.name(), v.section());
      }
    }
    return Map.copyOf(m);
  }

  private static void springRabbit(Binder binder, Sources sources) {
    List<String> addresses =
        binder.bind("spring.rabbitmq.addresses", Bindable.listOf(String.class)).orElse(List.of());
    String host = binder.bind("spring.rabbitmq.host", String.class).orElse(null);
    Integer port = binder.bind("spring.rabbitmq.port", Integer.class).orElse(null);
    String user = binder.bind("spring.rabbitmq.username", String.class).orElse(null);
    String pass = binder.bind("spring.rabbitmq.password", String.class).orElse(null);
    String vhost = binder.bind("spring.rabbitmq.virtual-host", String.class).orElse(null);
    boolean ssl = binder.bind("spring.rabbitmq.ssl.enabled", Boolean.class).orElse(false);
    if (addresses.isEmpty() && host == null && port == null && user == null && vhost == null) {
      return;
    }
    if (sources.has(DEFAULT, "transport_url")) {
      return;
    }
    String u = user == null ? "guest" : user;
    String p = pass == null ? "guest" : pass;
    int defaultPort = ssl ? 5671 : 5672;
    List<String> hosts = new ArrayList<>();
    String source;
    if (!addresses.isEmpty()) {
      source = "spring.rabbitmq.addresses";
      for (String a : addresses) {
        String s = a.strip();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
          s = s.substring(scheme + 3);
        }
        int at = s.lastIndexOf('@');
        String cred = enc(u) + ":" + enc(p);
        if (at >= 0) {
          cred = s.substring(0, at);
          s = s.substring(at + 1);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
          if (vhost == null) {
            vhost = s.substring(slash + 1);
          }
          s = s.substring(0, slash);
        }
        hosts.add(cred + "@" + (s.contains(":") ? s : s + ":" + defaultPort));
      }
    } else {
      source = host != null ? "spring.rabbitmq.host" : "spring.rabbitmq.username";
      hosts.add(
          enc(u)
              + ":"
              + enc(p)
              + "@"
              + (host == null ? "localhost" : host)
              + ":"
              + (port == null ? defaultPort : port));
    }
    String v = vhost == null || vhost.isEmpty() || vhost.equals("/") ? "" : enc(vhost);
    sources.derived(
        DEFAULT, "transport_url", "rabbit://" + String.join(",", hosts) + "/" + v, source);
  }

  private static void springDatasource(Binder binder, Sources sources) {
    String url = binder.bind("spring.datasource.url", String.class).orElse(null);
    if (url == null) {
      return;
    }
    Matcher m = JDBC_URL.matcher(url.strip());
    if (!m.matches()) {
      return; // not MariaDB/MySQL: Boot's own DataSource stays
    }
    if (!sources.has("database", "connection")) {
      String user = binder.bind("spring.datasource.username", String.class).orElse("");
      String pass = binder.bind("spring.datasource.password", String.class).orElse("");
      String cred = user.isEmpty() ? "" : enc(user) + (pass.isEmpty() ? "" : ":" + enc(pass)) + "@";
      String db = m.group(4) == null ? "/" : m.group(4);
      String query = m.group(5) == null ? "" : m.group(5);
      sources.derived(
          "database",
          "connection",
          "mysql+pymysql://" + cred + m.group(3) + db + query,
          "spring.datasource.url");
    }
    String hikari = "spring.datasource.hikari.";
    Integer minIdle = binder.bind(hikari + "minimum-idle", Integer.class).orElse(null);
    Integer max = binder.bind(hikari + "maximum-pool-size", Integer.class).orElse(null);
    if (minIdle != null && !sources.has("database", "max_pool_size")) {
      sources.derived("database", "max_pool_size", minIdle.toString(), hikari + "minimum-idle");
    }
    if (max != null && !sources.has("database", "max_overflow")) {
      // a node pool holds max_pool_size + max_overflow connections, max_pool_size of them idle
      int base = minIdle != null ? minIdle : Math.min(max, 5);
      if (minIdle == null && !sources.has("database", "max_pool_size")) {
        sources.derived(
            "database", "max_pool_size", Integer.toString(base), hikari + "maximum-pool-size");
      }
      sources.derived(
          "database",
          "max_overflow",
          Integer.toString(Math.max(0, max - base)),
          hikari + "maximum-pool-size");
    }
    Long timeout = binder.bind(hikari + "connection-timeout", Long.class).orElse(null);
    if (timeout != null && !sources.has("database", "pool_timeout")) {
      sources.derived(
          "database",
          "pool_timeout",
          Long.toString(Math.max(1, (timeout + 999) / 1000)),
          hikari + "connection-timeout");
    }
    Long lifetime = binder.bind(hikari + "max-lifetime", Long.class).orElse(null);
    if (lifetime != null && !sources.has("database", "connection_recycle_time")) {
      sources.derived(
          "database",
          "connection_recycle_time",
          Long.toString(Math.max(1, lifetime / 1000)),
          hikari + "max-lifetime");
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The values handed to {@link HaConfig.Loader#properties}, and where each came from. */
  private static final class Sources {
    final Environment environment;
    final Map<String, String> values = new LinkedHashMap<>();
    final Map<String, String> locations = new LinkedHashMap<>();

    Sources(Environment environment) {
      this.environment = environment;
    }

    void option(String prefix, String key, String value, String section) {
      String name = normalize(key);
      String internal = "ha4j." + section + "." + name;
      values.put(internal, value == null ? "" : value);
      locations.put("property:" + internal, describe(prefix + key));
    }

    void derived(String section, String name, String value, String springProperty) {
      String internal = "ha4j." + section + "." + name;
      values.put(internal, value);
      locations.put("property:" + internal, describe(springProperty));
    }

    boolean has(String section, String name) {
      return values.containsKey("ha4j." + section + "." + name);
    }

    /** {@code name (origin)}: the Spring property and the file and line (or source) it is in. */
    String describe(String name) {
      ConfigurationPropertyName n = ConfigurationPropertyName.adapt(name, '.');
      for (ConfigurationPropertySource s : ConfigurationPropertySources.get(environment)) {
        ConfigurationProperty p = s.getConfigurationProperty(n);
        if (p != null) {
          Origin o = p.getOrigin();
          Object underlying = s.getUnderlyingSource();
          String where =
              o != null
                  ? o.toString()
                  : underlying instanceof org.springframework.core.env.PropertySource<?> ps
                      ? "property source '" + ps.getName() + "'"
                      : String.valueOf(underlying);
          return "property " + name + " (" + where + ")";
        }
      }
      return "property " + name;
    }

    List<ConfigProblem> relocate(List<ConfigProblem> problems) {
      List<ConfigProblem> out = new ArrayList<>(problems.size());
      for (ConfigProblem p : problems) {
        String l = locations.get(p.location());
        out.add(l == null ? p : p.toBuilder().location(l).build());
      }
      return out;
    }
  }
}

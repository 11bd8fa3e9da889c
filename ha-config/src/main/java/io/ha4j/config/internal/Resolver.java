package io.ha4j.config.internal;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.ConfigProblem;
import io.ha4j.config.ConfigProblem.Severity;
import io.ha4j.config.DatabaseUrl;
import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.FailbackPolicy;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.InvalidSettingsException;
import io.ha4j.config.RetrySettings;
import io.ha4j.config.TransportUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Merges the sources (builder > Java properties > environment > transport_url query > files in
 * order > defaults), converts and checks every value, and builds the settings. Collects every
 * problem instead of stopping at the first.
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
  private static final int DEFAULT_RANK = 0;
  private static final int FILE_RANK = 1;
  private static final int URL_RANK = 2;
  private static final int ENV_RANK = 3;
  private static final int PROPERTY_RANK = 4;
  private static final int BUILDER_RANK = 5;

  private record Raw(
      String section, String key, String text, String location, int rank, boolean fromFile) {}

  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Set<String> warnedDeprecated = new HashSet<>();
  private final Map<String, Value> winners = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> fileRaw = new LinkedHashMap<>();

  private Resolver() {}

  /**
   * Loads and validates.
   *
   * @param inputs files and directories in order
   * @param env environment variables (only {@code HA4J_*} ones are read)
   * @param properties Java properties (only {@code ha4j.*} ones are read)
   * @param overrides programmatic values, keyed {@code section.option}
   */
  public static Result resolve(
      List<Input> inputs,
      Map<String, String> env,
      Map<String, String> properties,
      Map<String, String> overrides) {
    return new Resolver().run(inputs, env, properties, overrides);
  }

  private Result run(
      List<Input> inputs,
      Map<String, String> env,
      Map<String, String> properties,
      Map<String, String> overrides) {
    List<Raw> raws = new ArrayList<>();
    for (Input in : inputs) {
      if (in instanceof Input.File f) {
        readFile(f.path(), raws);
      } else if (in instanceof Input.Dir d) {
        readDir(d.path(), raws);
      }
    }
    env.entrySet().stream()
        .filter(e -> e.getKey().startsWith(ENV_PREFIX) && e.getKey().contains("__"))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              String rest = e.getKey().substring(ENV_PREFIX.length());
              int sep = rest.indexOf("__");
              raws.add(
                  new Raw(
                      section(rest.substring(0, sep)),
                      rest.substring(sep + 2).toLowerCase(Locale.ROOT),
                      e.getValue(),
                      "env:" + e.getKey(),
                      ENV_RANK,
                      false));
            });
    properties.entrySet().stream()
        .filter(e -> e.getKey().startsWith(PROPERTY_PREFIX))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              String rest = e.getKey().substring(PROPERTY_PREFIX.length());
              int dot = rest.lastIndexOf('.');
              if (dot <= 0) {
                warn("property:" + e.getKey(), "", "", "", "expected ha4j.<section>.<option>");
                return;
              }
              raws.add(
                  new Raw(
                      section(rest.substring(0, dot)),
                      rest.substring(dot + 1),
                      e.getValue(),
                      "property:" + e.getKey(),
                      PROPERTY_RANK,
                      false));
            });
    overrides.forEach(
        (k, v) -> {
          int dot = k.lastIndexOf('.');
          raws.add(
              new Raw(
                  dot < 0 ? Options.DEFAULT : section(k.substring(0, dot)),
                  k.substring(dot + 1),
                  v,
                  "builder",
                  BUILDER_RANK,
                  false));
        });
    for (Raw r : raws) {
      if (r.fromFile()) {
        fileRaw.computeIfAbsent(r.section(), s -> new LinkedHashMap<>()).put(r.key(), r.text());
      }
    }
    for (OptionSpec spec : Options.all()) {
      winners.put(
          spec.qualifiedName(),
          new Value(
              spec,
              spec.defaultValue(),
              "default",
              "default",
              DEFAULT_RANK,
              spec.section(),
              spec.name(),
              shown(spec, OptionType.osloText(spec.defaultValue()))));
    }
    for (Raw r : raws) {
      accept(r);
    }
    applyTransportUrlQuery();
    crossChecks();
    AmqpSettings amqp = buildAmqp();
    Optional<GaleraSettings> galera = buildGalera();
    // Report in the order of the files, and by line within a file.
    Map<String, Integer> fileOrder = new LinkedHashMap<>();
    problems.forEach(p -> fileOrder.putIfAbsent(file(p.location()), fileOrder.size()));
    List<ConfigProblem> sorted = new ArrayList<>(problems);
    sorted.sort(
        Comparator.comparing((ConfigProblem p) -> fileOrder.get(file(p.location())))
            .thenComparingInt(p -> line(p.location())));
    return new Result(List.copyOf(winners.values()), amqp, galera, List.copyOf(sorted));
  }

  /** The file part of a {@code file:line} location (problems are reported in file order). */
  private static String file(String location) {
    int c = location.lastIndexOf(':');
    return c > 0 && location.substring(c + 1).matches("\\d+") ? location.substring(0, c) : location;
  }

  private static int line(String location) {
    int c = location.lastIndexOf(':');
    return c > 0 && location.substring(c + 1).matches("\\d+")
        ? Integer.parseInt(location.substring(c + 1))
        : 0;
  }

  private static String section(String s) {
    return s.equalsIgnoreCase(Options.DEFAULT) ? Options.DEFAULT : s.toLowerCase(Locale.ROOT);
  }

  private void readDir(Path dir, List<Raw> raws) {
    if (!Files.isDirectory(dir)) {
      error(dir.toString(), "", "", "", "config directory not found (or not a directory)");
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(p -> p.getFileName().toString().endsWith(".conf"))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .forEach(p -> readFile(p, raws));
    } catch (IOException e) {
      error(dir.toString(), "", "", "", "cannot list config directory: " + e.getMessage());
    }
  }

  private void readFile(Path file, List<Raw> raws) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      error(file.toString(), "", "", "", "config file not found");
      return;
    } catch (java.nio.charset.MalformedInputException e) {
      error(file.toString(), "", "", "", "config file is not UTF-8 text");
      return;
    } catch (IOException e) {
      error(
          file.toString(),
          "",
          "",
          "",
          "cannot read config file ("
              + (Files.isDirectory(file) ? "it is a directory" : e.getClass().getSimpleName())
              + ")");
      return;
    }
    IniParser.Result parsed = IniParser.parse(file.toString(), text);
    problems.addAll(parsed.problems());
    for (IniParser.Entry e : parsed.entries()) {
      raws.add(new Raw(e.section(), e.key(), e.value(), e.location(), FILE_RANK, true));
    }
  }

  /** Maps a raw assignment to its option, converts it, and records it if it wins. */
  private void accept(Raw r) {
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
        error(r.location(), r.section(), r.key(), shown(spec, r.text()), e.getMessage());
        return;
      }
    }
    Object value = convert(spec, text, r.location(), r.section(), r.key());
    if (value == null) {
      return;
    }
    Value current = winners.get(spec.qualifiedName());
    if (r.rank() >= current.rank()) {
      String source = r.location();
      winners.put(
          spec.qualifiedName(),
          new Value(
              spec,
              value,
              source,
              r.location(),
              r.rank(),
              r.section(),
              r.key(),
              shown(spec, r.text())));
    }
  }

  private Object convert(
      OptionSpec spec, String text, String location, String section, String key) {
    Object value;
    try {
      value = spec.type().convert(text);
    } catch (IllegalArgumentException e) {
      error(location, section, key, shown(spec, text), e.getMessage());
      return null;
    }
    String bad = spec.check(value);
    if (bad != null) {
      error(location, section, key, shown(spec, text), bad);
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

  private void unknown(Raw r) {
    boolean known = Options.SECTIONS.contains(r.section());
    if (!known && r.fromFile()) {
      return; // other sections belong to the service, not to ha4j
    }
    String suggestion = suggest(r.section(), r.key());
    if (r.section().equals(Options.DEFAULT) && r.fromFile() && suggestion == null) {
      return; // [DEFAULT] holds the service's own options
    }
    String message =
        (known ? "unknown option" : "unknown section [" + r.section() + "]")
            + (suggestion == null ? "; it is ignored" : "; did you mean " + suggestion + "?");
    warn(r.location(), r.section(), r.key(), "", message);
  }

  /** The nearest known name: in the same section first, then in another known section. */
  static String suggest(String section, String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String s : Options.SECTIONS) {
      for (String name : Options.namesIn(s)) {
        int d = distance(key.toLowerCase(Locale.ROOT), name);
        if (!s.equals(section)) {
          d += 1;
        }
        if (d < bestDistance) {
          bestDistance = d;
          best = s.equals(section) ? name : "[" + s + "] " + name;
        }
      }
    }
    int limit = Math.max(2, key.length() / 4);
    return bestDistance <= limit ? best : null;
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private void deprecated(Raw r, String replacement) {
    if (warnedDeprecated.add(r.section() + "." + r.key())) {
      warn(r.location(), r.section(), r.key(), "", "deprecated; use " + replacement + " instead");
    }
  }

  private void applyTransportUrlQuery() {
    Value url = get(Options.DEFAULT, "transport_url");
    TransportUrl parsed = transportUrl().orElse(null);
    if (parsed == null) {
      return;
    }
    for (Map.Entry<String, String> q : parsed.query().entrySet()) {
      Optional<OptionSpec> spec =
          Options.find(Options.RABBIT, q.getKey())
              .or(() -> Options.find(Options.HA4J_AMQP, q.getKey()));
      if (spec.isEmpty()) {
        String suggestion = suggest(Options.RABBIT, q.getKey());
        error(
            url.location(),
            Options.DEFAULT,
            "transport_url",
            "",
            "unknown query parameter '"
                + q.getKey()
                + "': expected an [oslo_messaging_rabbit] option name"
                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
        continue;
      }
      Object value =
          convert(spec.get(), q.getValue(), url.location(), Options.DEFAULT, "transport_url");
      Value current = winners.get(spec.get().qualifiedName());
      if (value != null && current.rank() <= URL_RANK) {
        winners.put(
            spec.get().qualifiedName(),
            new Value(
                spec.get(),
                value,
                "url",
                url.location(),
                URL_RANK,
                Options.DEFAULT,
                "transport_url",
                shown(spec.get(), q.getValue())));
      }
    }
  }

  private Optional<TransportUrl> transportUrl() {
    Value url = get(Options.DEFAULT, "transport_url");
    try {
      return Optional.of(TransportUrl.parse((String) url.value()));
    } catch (IllegalArgumentException e) {
      if (!parsedUrlReported) {
        parsedUrlReported = true;
        error(
            url.location(),
            Options.DEFAULT,
            "transport_url",
            TransportUrl.mask((String) url.value()),
            e.getMessage());
      }
      return Optional.empty();
    }
  }

  private boolean parsedUrlReported;

  /**
   * Warnings about combinations of options. Rules between settings are checked by the settings
   * builders' {@code build()} alone; {@link #reportInvalid} places their violations.
   */
  private void crossChecks() {
    Value hosts = get(Options.RABBIT, "rabbit_hosts");
    Value host = get(Options.RABBIT, "rabbit_host");
    Optional<TransportUrl> url = transportUrl();
    if (url.isPresent()
        && !url.get().hosts().isEmpty()
        && (hosts.rank() > DEFAULT_RANK || host.rank() > DEFAULT_RANK)) {
      Value legacy = hosts.rank() > DEFAULT_RANK ? hosts : host;
      warn(
          legacy.location(),
          Options.RABBIT,
          legacy.spec().name(),
          "",
          "ignored: transport_url ("
              + get(Options.DEFAULT, "transport_url").location()
              + ") names hosts and wins");
    }
  }

  private AmqpSettings buildAmqp() {
    AmqpSettings.Builder b = AmqpSettings.builder();
    Map<String, Value> fed = new LinkedHashMap<>();
    Value url = get(Options.DEFAULT, "transport_url");
    try {
      b.hosts(amqpHosts()).virtualHost(virtualHost());
    } catch (IllegalArgumentException e) {
      invalid(url, e.getMessage());
    }
    String rabbit = Options.RABBIT;
    String amqp = Options.HA4J_AMQP;
    String dflt = Options.DEFAULT;
    apply(fed, "hostOrder", amqp, "host_order", v -> b.hostOrder(hostOrder(v)));
    apply(
        fed,
        "failoverStrategy",
        rabbit,
        "kombu_failover_strategy",
        v -> b.failoverStrategy(failoverStrategy(v)));
    RetrySettings.Builder retry = RetrySettings.builder().maxRetries(maxRetries());
    apply(fed, "interval", rabbit, "rabbit_retry_interval", v -> retry.interval(duration(v)));
    apply(fed, "backoff", rabbit, "rabbit_retry_backoff", v -> retry.backoff(duration(v)));
    apply(fed, "intervalMax", rabbit, "rabbit_interval_max", v -> retry.intervalMax(duration(v)));
    b.retry(retry.build());
    apply(fed, "connectTimeout", amqp, "connect_timeout", v -> b.connectTimeout(duration(v)));
    apply(fed, "handshakeTimeout", amqp, "handshake_timeout", v -> b.handshakeTimeout(duration(v)));
    apply(
        fed, "reconnectDelay", rabbit, "kombu_reconnect_delay", v -> b.reconnectDelay(duration(v)));
    apply(
        fed,
        "missingConsumerRetryTimeout",
        rabbit,
        "kombu_missing_consumer_retry_timeout",
        v -> b.missingConsumerRetryTimeout(duration(v)));
    apply(
        fed,
        "heartbeatTimeoutThreshold",
        rabbit,
        "heartbeat_timeout_threshold",
        v -> b.heartbeatTimeoutThreshold(duration(v)));
    apply(fed, "heartbeatRate", rabbit, "heartbeat_rate", v -> b.heartbeatRate(integer(v)));
    apply(fed, "durableQueues", rabbit, "amqp_durable_queues", v -> b.durableQueues(bool(v)));
    apply(fed, "autoDelete", rabbit, "amqp_auto_delete", v -> b.autoDelete(bool(v)));
    apply(fed, "haQueues", rabbit, "rabbit_ha_queues", v -> b.haQueues(bool(v)));
    apply(fed, "quorumQueue", rabbit, "rabbit_quorum_queue", v -> b.quorumQueue(bool(v)));
    apply(
        fed,
        "quorumDeliveryLimit",
        rabbit,
        "rabbit_quorum_delivery_limit",
        v -> b.quorumDeliveryLimit(integer(v)));
    apply(
        fed,
        "quorumMaxMemoryLength",
        rabbit,
        "rabbit_quroum_max_memory_length",
        v -> b.quorumMaxMemoryLength((Long) v.value()));
    apply(
        fed,
        "quorumMaxMemoryBytes",
        rabbit,
        "rabbit_quroum_max_memory_bytes",
        v -> b.quorumMaxMemoryBytes((Long) v.value()));
    apply(
        fed,
        "transientQueuesTtl",
        rabbit,
        "rabbit_transient_queues_ttl",
        v -> b.transientQueuesTtl(duration(v)));
    apply(
        fed,
        "qosPrefetchCount",
        rabbit,
        "rabbit_qos_prefetch_count",
        v -> b.qosPrefetchCount(integer(v)));
    apply(
        fed,
        "loginMethod",
        rabbit,
        "rabbit_login_method",
        v -> b.loginMethod(AmqpSettings.LoginMethod.valueOf(str(v))));
    apply(fed, "ssl", rabbit, "ssl", v -> b.ssl(bool(v)));
    apply(fed, "sslVersion", rabbit, "ssl_version", v -> b.sslVersion(str(v)));
    apply(fed, "sslCaFile", rabbit, "ssl_ca_file", v -> b.sslCaFile(str(v)));
    apply(fed, "sslCertFile", rabbit, "ssl_cert_file", v -> b.sslCertFile(str(v)));
    apply(fed, "sslKeyFile", rabbit, "ssl_key_file", v -> b.sslKeyFile(str(v)));
    apply(
        fed,
        "sslEnforceHostnameVerification",
        rabbit,
        "ssl_enforce_hostname_verification",
        v -> b.sslEnforceHostnameVerification(bool(v)));
    apply(
        fed,
        "enableCancelOnFailover",
        rabbit,
        "enable_cancel_on_failover",
        v -> b.enableCancelOnFailover(bool(v)));
    apply(
        fed,
        "directMandatoryFlag",
        rabbit,
        "direct_mandatory_flag",
        v -> b.directMandatoryFlag(bool(v)));
    apply(fed, "controlExchange", dflt, "control_exchange", v -> b.controlExchange(str(v)));
    apply(
        fed,
        "rpcResponseTimeout",
        dflt,
        "rpc_response_timeout",
        v -> b.rpcResponseTimeout(duration(v)));
    apply(fed, "rpcConnPoolSize", dflt, "rpc_conn_pool_size", v -> b.rpcConnPoolSize(integer(v)));
    apply(fed, "connPoolMinSize", dflt, "conn_pool_min_size", v -> b.connPoolMinSize(integer(v)));
    apply(fed, "connPoolTtl", dflt, "conn_pool_ttl", v -> b.connPoolTtl(duration(v)));
    try {
      return b.build();
    } catch (InvalidSettingsException e) {
      reportInvalid(e, fed, url);
      return AmqpSettings.ofDefaults();
    }
  }

  /**
   * Passes one option to a settings builder; an argument the builder refuses becomes an error at
   * the option's location, and building goes on to find more. Records which option fed which
   * builder setting, for {@link #reportInvalid}.
   */
  private void apply(
      Map<String, Value> fed,
      String setting,
      String section,
      String name,
      java.util.function.Consumer<Value> setter) {
    Value v = get(section, name);
    fed.put(setting, v);
    try {
      setter.accept(v);
    } catch (IllegalArgumentException e) {
      invalid(v, e.getMessage());
    }
  }

  private void invalid(Value v, String message) {
    error(v.location(), v.section(), v.key(), v.text(), message);
  }

  /**
   * Reports each rule a builder's {@code build()} found broken at the option that fed its first
   * setting, naming the options that fed the others and where they were set.
   */
  private void reportInvalid(InvalidSettingsException e, Map<String, Value> fed, Value fallback) {
    for (InvalidSettingsException.Violation violation : e.violations()) {
      Value first = fed.getOrDefault(violation.settings().get(0), fallback);
      StringBuilder m = new StringBuilder();
      for (String other : violation.settings().subList(1, violation.settings().size())) {
        Value o = fed.get(other);
        if (o != null) {
          m.append(m.length() == 0 ? "conflicts with " : ", ")
              .append(o.key())
              .append(" = ")
              .append(o.text())
              .append(" (")
              .append(o.location())
              .append(')');
        }
      }
      invalid(first, (m.length() == 0 ? "" : m + ": ") + violation.message());
    }
  }

  /** Hosts from transport_url, else from the legacy rabbit_hosts / rabbit_host options. */
  public List<AmqpHost> amqpHosts() {
    String legacyUser = str(Options.RABBIT, "rabbit_userid");
    String legacyPassword = str(Options.RABBIT, "rabbit_password");
    Optional<TransportUrl> url = transportUrl();
    if (url.isPresent() && !url.get().hosts().isEmpty()) {
      List<TransportUrl.Host> hs = url.get().hosts();
      // A host without its own credentials uses the first credentials written in the URL.
      TransportUrl.Host withCredentials =
          hs.stream().filter(h -> h.username() != null).findFirst().orElse(null);
      List<AmqpHost> out = new ArrayList<>();
      for (TransportUrl.Host h : hs) {
        TransportUrl.Host c = h.username() != null ? h : withCredentials;
        String user = c == null ? legacyUser : c.username();
        String pass = c == null ? legacyPassword : c.password() == null ? "" : c.password();
        out.add(new AmqpHost(h.host(), h.port(), user, pass));
      }
      return out;
    }
    int defaultPort = integer(Options.RABBIT, "rabbit_port");
    Value hosts = get(Options.RABBIT, "rabbit_hosts");
    List<AmqpHost> out = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<String> list = (List<String>) hosts.value();
    if (list.isEmpty()) {
      list = List.of(str(Options.RABBIT, "rabbit_host"));
    }
    for (String h : list) {
      try {
        UrlParts.HostPort hp = UrlParts.hostPort(h, defaultPort);
        out.add(new AmqpHost(hp.host(), hp.port(), legacyUser, legacyPassword));
      } catch (IllegalArgumentException e) {
        error(hosts.location(), Options.RABBIT, "rabbit_hosts", h, "bad host " + e.getMessage());
      }
    }
    return out.isEmpty() ? List.of(AmqpSettings.DEFAULT_HOST) : out;
  }

  private String virtualHost() {
    Optional<TransportUrl> url = transportUrl();
    if (url.isPresent() && url.get().virtualHost().isPresent()) {
      return url.get().virtualHost().get();
    }
    String legacy = str(Options.RABBIT, "rabbit_virtual_host");
    return legacy.isEmpty() ? "/" : legacy;
  }

  private OptionalInt maxRetries() {
    Value modern = get(Options.HA4J_AMQP, "max_retries");
    Value legacy = get(Options.RABBIT, "rabbit_max_retries");
    Value v = modern.rank() >= legacy.rank() && modern.value() != null ? modern : legacy;
    Object n = v.value();
    return RetrySettings.maxRetriesOf(n == null ? null : ((Long) n).intValue());
  }

  private Optional<GaleraSettings> buildGalera() {
    Value connection = get(Options.DATABASE, "connection");
    Value nodesValue = get(Options.GALERA, "nodes");
    @SuppressWarnings("unchecked")
    List<String> nodeTexts = (List<String>) nodesValue.value();
    DatabaseUrl url = null;
    if (connection.value() != null && !((String) connection.value()).isBlank()) {
      try {
        url = DatabaseUrl.parse((String) connection.value());
      } catch (IllegalArgumentException e) {
        error(
            connection.location(),
            Options.DATABASE,
            "connection",
            TransportUrl.mask((String) connection.value()),
            e.getMessage());
        return Optional.empty();
      }
    }
    if (url == null) {
      if (!nodeTexts.isEmpty()) {
        error(
            nodesValue.location(),
            Options.GALERA,
            "nodes",
            "",
            "needs [database] connection for the user, password and database name");
      }
      return Optional.empty();
    }
    List<GaleraNode> nodes = new ArrayList<>();
    for (String t : nodeTexts) {
      try {
        nodes.add(GaleraNode.parse(t));
      } catch (IllegalArgumentException e) {
        error(nodesValue.location(), Options.GALERA, "nodes", t, "bad node " + e.getMessage());
      }
    }
    if (nodeTexts.isEmpty()) {
      nodes.addAll(url.nodes());
    }
    if (nodes.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>(url.parameters());
    String extra = str(Options.DATABASE, "connection_parameters");
    try {
      params.putAll(UrlParts.query(extra));
    } catch (IllegalArgumentException e) {
      Value cp = get(Options.DATABASE, "connection_parameters");
      error(cp.location(), Options.DATABASE, "connection_parameters", extra, e.getMessage());
    }
    GaleraSettings.Builder b =
        GaleraSettings.builder()
            .nodes(nodes)
            .username(url.username())
            .password(url.password())
            .database(url.database())
            .connectionParameters(params);
    Map<String, Value> fed = new LinkedHashMap<>();
    fed.put("nodes", nodeTexts.isEmpty() ? connection : nodesValue);
    fed.put("username", connection);
    String db = Options.DATABASE;
    String galera = Options.GALERA;
    apply(fed, "maxPoolSize", db, "max_pool_size", v -> b.maxPoolSize(integer(v)));
    apply(fed, "maxOverflow", db, "max_overflow", v -> b.maxOverflow(integer(v)));
    apply(
        fed,
        "poolTimeout",
        db,
        "pool_timeout",
        v -> {
          if (v.value() != null) {
            b.poolTimeout(duration(v));
          }
        });
    apply(
        fed,
        "connectionRecycleTime",
        db,
        "connection_recycle_time",
        v -> b.connectionRecycleTime(duration(v)));
    apply(
        fed,
        "maxRetries",
        db,
        "max_retries",
        v -> b.maxRetries(DbRetrySettings.maxRetriesOf(integer(v))));
    apply(fed, "retryInterval", db, "retry_interval", v -> b.retryInterval(duration(v)));
    apply(fed, "sqlMode", db, "mysql_sql_mode", v -> b.sqlMode(str(v)));
    apply(
        fed,
        "wsrepSyncWait",
        db,
        "mysql_wsrep_sync_wait",
        v -> {
          if (v.value() != null) {
            b.wsrepSyncWait(OptionalInt.of(integer(v)));
          }
        });
    DbRetrySettings.Builder retry = DbRetrySettings.builder();
    apply(fed, "retry.interval", db, "db_retry_interval", v -> retry.interval(duration(v)));
    apply(fed, "retry.incremental", db, "db_inc_retry_interval", v -> retry.incremental(bool(v)));
    apply(
        fed, "retry.maxInterval", db, "db_max_retry_interval", v -> retry.maxInterval(duration(v)));
    apply(
        fed,
        "retry.maxRetries",
        db,
        "db_max_retries",
        v -> retry.maxRetries(DbRetrySettings.maxRetriesOf(integer(v))));
    b.retry(retry.build());
    apply(fed, "checkInterval", galera, "check_interval", v -> b.checkInterval(duration(v)));
    apply(fed, "checkTimeout", galera, "check_timeout", v -> b.checkTimeout(duration(v)));
    apply(fed, "fallCount", galera, "fall_count", v -> b.fallCount(integer(v)));
    apply(fed, "riseCount", galera, "rise_count", v -> b.riseCount(integer(v)));
    apply(fed, "drainTimeout", galera, "drain_timeout", v -> b.drainTimeout(duration(v)));
    apply(
        fed,
        "availableWhenDonor",
        galera,
        "available_when_donor",
        v -> b.availableWhenDonor(bool(v)));
    apply(fed, "readerRouting", galera, "reader_routing", v -> b.readerRouting(bool(v)));
    // The stable time is checked (by FailbackPolicy) even when failback is not after_stable, as
    // any other option's value is.
    FailbackPolicy[] afterStable = {null};
    apply(
        fed,
        "failback",
        galera,
        "failback_stable_time",
        v -> afterStable[0] = FailbackPolicy.afterStable(duration(v)));
    switch (str(Options.GALERA, "failback")) {
      case "never" -> b.failback(FailbackPolicy.NEVER);
      case "after_stable" -> {
        if (afterStable[0] != null) {
          b.failback(afterStable[0]);
        }
      }
      default -> b.failback(FailbackPolicy.IMMEDIATE);
    }
    try {
      return Optional.of(b.build());
    } catch (InvalidSettingsException e) {
      reportInvalid(e, fed, connection);
      return Optional.empty();
    }
  }

  private Value get(String section, String name) {
    return winners.get(section + "." + name);
  }

  private String str(String section, String name) {
    Object v = get(section, name).value();
    return v == null ? "" : (String) v;
  }

  private int integer(String section, String name) {
    return integer(get(section, name));
  }

  private static String str(Value v) {
    return v.value() == null ? "" : (String) v.value();
  }

  private static boolean bool(Value v) {
    return (Boolean) v.value();
  }

  /** An integer option's value as an {@code int}; one that does not fit is out of range. */
  private static int integer(Value v) {
    long n = (Long) v.value();
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "out of range: expected a value from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  /** An integer (whole seconds) or float option's value as a duration. */
  private static Duration duration(Value v) {
    if (v.value() instanceof Double d) {
      return Duration.ofNanos(Math.round(d * 1e9));
    }
    return Duration.ofSeconds((Long) v.value());
  }

  private static AmqpSettings.HostOrder hostOrder(Value v) {
    return AmqpSettings.HostOrder.valueOf(str(v).toUpperCase(Locale.ROOT));
  }

  private static AmqpSettings.FailoverStrategy failoverStrategy(Value v) {
    return AmqpSettings.FailoverStrategy.valueOf(str(v).toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  private static String shown(OptionSpec spec, String text) {
    if (!spec.secret()) {
      return text;
    }
    return text.contains("://") ? TransportUrl.mask(text) : "***";
  }

  private void error(String location, String section, String key, String value, String message) {
    problems.add(new ConfigProblem(Severity.ERROR, location, section, key, value, message));
  }

  private void warn(String location, String section, String key, String value, String message) {
    problems.add(new ConfigProblem(Severity.WARNING, location, section, key, value, message));
  }
}

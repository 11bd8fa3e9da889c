package io.ha4j.config.internal;

import static io.ha4j.config.internal.SettingsFeed.integer;
import static io.ha4j.config.internal.SettingsFeed.str;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.TransportUrl;
import io.ha4j.config.internal.Resolver.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code [DEFAULT] transport_url} and the legacy options it replaces. The URL is one option that
 * carries several: its hosts and credentials stand for {@code rabbit_hosts}, {@code rabbit_host},
 * {@code rabbit_userid} and {@code rabbit_password}, its virtual host for {@code
 * rabbit_virtual_host}, and its query parameters set {@code [oslo_messaging_rabbit]} options with
 * their own rank. Keeping that here leaves the AMQP assembly with one host list and one virtual
 * host, wherever they were written.
 */
final class TransportUrlOptions {

  private final EffectiveValues values;
  private final ProblemList problems;

  /** The parsed URL, empty when it does not parse; null until first asked for. */
  private Optional<TransportUrl> parsed;

  TransportUrlOptions(EffectiveValues values, ProblemList problems) {
    this.values = values;
    this.problems = problems;
  }

  /** Sets the options named by the URL's query parameters, ranked between files and environment. */
  void applyQuery() {
    Value url = values.get(Options.DEFAULT, "transport_url");
    TransportUrl transportUrl = transportUrl().orElse(null);
    if (transportUrl == null) {
      return;
    }
    for (Map.Entry<String, String> q : transportUrl.query().entrySet()) {
      Optional<OptionSpec> spec =
          Options.find(Options.RABBIT, q.getKey())
              .or(() -> Options.find(Options.HA4J_AMQP, q.getKey()));
      if (spec.isEmpty()) {
        String suggestion = Suggestions.suggest(Options.RABBIT, q.getKey());
        problems.error(
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
          values.convert(
              spec.get(), q.getValue(), url.location(), Options.DEFAULT, "transport_url");
      if (value != null) {
        values.offer(
            new Value(
                spec.get(),
                value,
                "url",
                url.location(),
                Resolver.URL_RANK,
                Options.DEFAULT,
                "transport_url",
                EffectiveValues.shown(spec.get(), q.getValue())));
      }
    }
  }

  /**
   * Warns when legacy host options are set but the URL names hosts, which win. Rules between
   * settings are checked by the settings builders' {@code build()} alone; {@link
   * SettingsFeed#reportInvalid} places their violations.
   */
  void warnAboutIgnoredLegacyHosts() {
    Value hosts = values.get(Options.RABBIT, "rabbit_hosts");
    Value host = values.get(Options.RABBIT, "rabbit_host");
    Optional<TransportUrl> url = transportUrl();
    if (url.isPresent()
        && !url.get().hosts().isEmpty()
        && (hosts.rank() > Resolver.DEFAULT_RANK || host.rank() > Resolver.DEFAULT_RANK)) {
      Value legacy = hosts.rank() > Resolver.DEFAULT_RANK ? hosts : host;
      problems.warn(
          legacy.location(),
          Options.RABBIT,
          legacy.spec().name(),
          "",
          "ignored: transport_url ("
              + values.get(Options.DEFAULT, "transport_url").location()
              + ") names hosts and wins");
    }
  }

  /** Hosts from transport_url, else from the legacy rabbit_hosts / rabbit_host options. */
  List<AmqpHost> hosts() {
    String legacyUser = str(values.get(Options.RABBIT, "rabbit_userid"));
    String legacyPassword = str(values.get(Options.RABBIT, "rabbit_password"));
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
    int defaultPort = integer(values.get(Options.RABBIT, "rabbit_port"));
    Value hosts = values.get(Options.RABBIT, "rabbit_hosts");
    List<AmqpHost> out = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<String> list = (List<String>) hosts.value();
    if (list.isEmpty()) {
      list = List.of(str(values.get(Options.RABBIT, "rabbit_host")));
    }
    for (String h : list) {
      try {
        UrlParts.HostPort hp = UrlParts.hostPort(h, defaultPort);
        out.add(new AmqpHost(hp.host(), hp.port(), legacyUser, legacyPassword));
      } catch (IllegalArgumentException e) {
        problems.error(
            hosts.location(), Options.RABBIT, "rabbit_hosts", h, "bad host " + e.getMessage());
      }
    }
    return out.isEmpty() ? List.of(AmqpSettings.DEFAULT_HOST) : out;
  }

  /** The virtual host from transport_url, else from the legacy rabbit_virtual_host option. */
  String virtualHost() {
    Optional<TransportUrl> url = transportUrl();
    if (url.isPresent() && url.get().virtualHost().isPresent()) {
      return url.get().virtualHost().get();
    }
    String legacy = str(values.get(Options.RABBIT, "rabbit_virtual_host"));
    return legacy.isEmpty() ? "/" : legacy;
  }

  /** The URL, parsed once; one that does not parse is reported once and is empty. */
  private Optional<TransportUrl> transportUrl() {
    if (parsed == null) {
      Value url = values.get(Options.DEFAULT, "transport_url");
      TransportUrlParser.Parsed p = TransportUrlParser.parse((String) url.value());
      for (String problem : p.problems()) {
        problems.error(
            url.location(),
            Options.DEFAULT,
            "transport_url",
            TransportUrl.mask((String) url.value()),
            problem);
      }
      parsed = Optional.ofNullable(p.url());
    }
    return parsed;
  }
}

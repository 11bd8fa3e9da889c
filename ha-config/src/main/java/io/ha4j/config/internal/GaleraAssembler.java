package io.ha4j.config.internal;

import static io.ha4j.config.internal.SettingsFeed.bool;
import static io.ha4j.config.internal.SettingsFeed.duration;
import static io.ha4j.config.internal.SettingsFeed.integer;
import static io.ha4j.config.internal.SettingsFeed.str;

import io.ha4j.config.DatabaseTls;
import io.ha4j.config.DatabaseUrl;
import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.FailbackPolicy;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.InvalidSettingsException;
import io.ha4j.config.TransportUrl;
import io.ha4j.config.internal.Resolver.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds {@link GaleraSettings} from the effective values: the nodes from {@code [galera] nodes} or
 * the hosts of {@code [database] connection}, the credentials and database from that URL, and every
 * pool, retry and health-check option fed to the builder. There are no Galera settings without a
 * connection URL; settings that do not build are reported as problems at the options that fed them.
 */
final class GaleraAssembler {

  private final EffectiveValues values;
  private final ProblemList problems;

  GaleraAssembler(EffectiveValues values, ProblemList problems) {
    this.values = values;
    this.problems = problems;
  }

  private static boolean isTlsParameter(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).startsWith("ssl_");
  }

  /** The settings, or empty when no database is configured or the configuration is invalid. */
  Optional<GaleraSettings> build() {
    Value connection = values.get(Options.DATABASE, "connection");
    Value nodesValue = values.get(Options.GALERA, "nodes");
    @SuppressWarnings("unchecked")
    List<String> nodeTexts = (List<String>) nodesValue.value();
    DatabaseUrl url = null;
    if (connection.value() != null && !((String) connection.value()).isBlank()) {
      try {
        url = DatabaseUrl.parse((String) connection.value());
      } catch (IllegalArgumentException e) {
        problems.error(
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
        problems.error(
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
        problems.error(
            nodesValue.location(), Options.GALERA, "nodes", t, "bad node " + e.getMessage());
      }
    }
    if (nodeTexts.isEmpty()) {
      nodes.addAll(url.nodes());
    }
    if (nodes.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>(url.parameters());
    String extra = str(values.get(Options.DATABASE, "connection_parameters"));
    Value cp = values.get(Options.DATABASE, "connection_parameters");
    boolean tlsFromExtra = false;
    try {
      Map<String, String> extraParams = UrlParts.query(extra);
      tlsFromExtra = extraParams.keySet().stream().anyMatch(GaleraAssembler::isTlsParameter);
      params.putAll(extraParams);
    } catch (IllegalArgumentException e) {
      problems.error(
          cp.location(), Options.DATABASE, "connection_parameters", extra, e.getMessage());
    }
    // oslo.db appends connection_parameters to the URL's query, so TLS may come from either
    DatabaseTls tls = DatabaseTls.disabled();
    try {
      DatabaseTls.Parsed parsed = DatabaseTls.fromParameters(params);
      tls = parsed.tls();
      params = new LinkedHashMap<>(parsed.driverParameters());
    } catch (IllegalArgumentException | InvalidSettingsException e) {
      if (tlsFromExtra) {
        problems.error(
            cp.location(), Options.DATABASE, "connection_parameters", extra, e.getMessage());
      } else {
        problems.error(
            connection.location(),
            Options.DATABASE,
            "connection",
            TransportUrl.mask((String) connection.value()),
            e.getMessage());
      }
      return Optional.empty();
    }
    GaleraSettings.Builder b =
        GaleraSettings.builder()
            .nodes(nodes)
            .username(url.username())
            .password(url.password())
            .database(url.database())
            .connectionParameters(params)
            .tls(tls);
    SettingsFeed feed = new SettingsFeed(values, problems);
    feed.fedBy("nodes", nodeTexts.isEmpty() ? connection : nodesValue);
    feed.fedBy("username", connection);
    String db = Options.DATABASE;
    String galera = Options.GALERA;
    feed.apply("maxPoolSize", db, "max_pool_size", v -> b.maxPoolSize(integer(v)));
    feed.apply("maxOverflow", db, "max_overflow", v -> b.maxOverflow(integer(v)));
    feed.apply(
        "poolTimeout",
        db,
        "pool_timeout",
        v -> {
          if (v.value() != null) {
            b.poolTimeout(duration(v));
          }
        });
    feed.apply(
        "connectionRecycleTime",
        db,
        "connection_recycle_time",
        v -> b.connectionRecycleTime(duration(v)));
    feed.apply(
        "maxRetries",
        db,
        "max_retries",
        v -> b.maxRetries(DbRetrySettings.maxRetriesOf(integer(v))));
    feed.apply("retryInterval", db, "retry_interval", v -> b.retryInterval(duration(v)));
    feed.apply("sqlMode", db, "mysql_sql_mode", v -> b.sqlMode(str(v)));
    feed.apply(
        "wsrepSyncWait",
        db,
        "mysql_wsrep_sync_wait",
        v -> {
          if (v.value() != null) {
            b.wsrepSyncWait(OptionalInt.of(integer(v)));
          }
        });
    DbRetrySettings.Builder retry = DbRetrySettings.builder();
    feed.apply("retry.interval", db, "db_retry_interval", v -> retry.interval(duration(v)));
    feed.apply("retry.incremental", db, "db_inc_retry_interval", v -> retry.incremental(bool(v)));
    feed.apply(
        "retry.maxInterval", db, "db_max_retry_interval", v -> retry.maxInterval(duration(v)));
    feed.apply(
        "retry.maxRetries",
        db,
        "db_max_retries",
        v -> retry.maxRetries(DbRetrySettings.maxRetriesOf(integer(v))));
    b.retry(retry.build());
    feed.apply("checkInterval", galera, "check_interval", v -> b.checkInterval(duration(v)));
    feed.apply("checkTimeout", galera, "check_timeout", v -> b.checkTimeout(duration(v)));
    feed.apply("fallCount", galera, "fall_count", v -> b.fallCount(integer(v)));
    feed.apply("riseCount", galera, "rise_count", v -> b.riseCount(integer(v)));
    feed.apply("drainTimeout", galera, "drain_timeout", v -> b.drainTimeout(duration(v)));
    feed.apply(
        "availableWhenDonor", galera, "available_when_donor", v -> b.availableWhenDonor(bool(v)));
    feed.apply("readerRouting", galera, "reader_routing", v -> b.readerRouting(bool(v)));
    feed.apply("commitMarkers", galera, "commit_markers", v -> b.commitMarkers(bool(v)));
    feed.apply(
        "commitMarkerTable", galera, "commit_marker_table", v -> b.commitMarkerTable(str(v)));
    // The stable time is checked (by FailbackPolicy) even when failback is not after_stable, as
    // any other option's value is.
    FailbackPolicy[] afterStable = {null};
    feed.apply(
        "failback",
        galera,
        "failback_stable_time",
        v -> afterStable[0] = FailbackPolicy.afterStable(duration(v)));
    switch (str(values.get(Options.GALERA, "failback"))) {
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
      feed.reportInvalid(e, connection);
      return Optional.empty();
    }
  }
}

package io.ha4j.spring.actuate;

import io.ha4j.jdbc.NodeStatus;
import io.ha4j.spring.jdbc.LazyGaleraDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the Galera data source: UP with a writer ({@code writer}), DOWN with none, UNKNOWN
 * before its first use (it is started by the first connection, not by the health check). Details:
 * each node's monitor state, wsrep state, cluster status and size, and why it is not healthy; units
 * of work re-run so far, by reason. Thread-safe.
 *
 * @since 0.1
 */
public final class Ha4jGaleraHealthIndicator implements HealthIndicator {

  private final LazyGaleraDataSource dataSource;

  /**
   * An indicator for this data source.
   *
   * @param dataSource the Galera data source
   */
  public Ha4jGaleraHealthIndicator(LazyGaleraDataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public Health health() {
    if (!dataSource.isStarted()) {
      return Health.unknown().withDetail("started", false).build();
    }
    Health.Builder b = dataSource.writer().isPresent() ? Health.up() : Health.down();
    b.withDetail("writer", dataSource.writer().orElse("none"));
    Map<String, Object> nodes = new LinkedHashMap<>();
    for (NodeStatus n : dataSource.nodes()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("state", n.state().name());
      d.put("wsrepState", n.wsrepState());
      d.put("clusterStatus", n.clusterStatus());
      d.put("clusterSize", n.clusterSize());
      d.put("writer", n.writer());
      if (!n.detail().isEmpty()) {
        d.put("detail", n.detail());
      }
      nodes.put(n.node(), d);
    }
    b.withDetail("nodes", nodes);
    try {
      Map<String, Long> retries = new LinkedHashMap<>();
      dataSource
          .galera()
          .retries()
          .forEach((k, v) -> retries.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
      b.withDetail("retries", retries);
    } catch (java.sql.SQLException e) {
      // started above: galera() returns the running data source
    }
    return b.build();
  }
}

package io.ha4j.cli.internal;

import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.RabbitCluster;
import java.util.List;

/**
 * Settings for the test-kit clusters the demo and the benchmarks start. The kit does not depend on
 * ha-config, so it describes its clusters as strings ({@code host:port}, user, password), and this
 * is where they become settings.
 */
final class KitSettings {

  private KitSettings() {}

  /** Every node in index order, with the kit's user; the rest are defaults. */
  static AmqpSettings.Builder amqp(RabbitCluster rabbit) {
    List<AmqpHost> hosts =
        rabbit.nodes().stream()
            .map(n -> new AmqpHost(n.address(), n.port(), rabbit.user(), rabbit.password()))
            .toList();
    return AmqpSettings.builder().hosts(hosts);
  }

  /** Every node in index order with priority 0 (ties go to the first), and the credentials. */
  static GaleraSettings.Builder galera(GaleraCluster galera) {
    List<GaleraNode> nodes =
        galera.nodes().stream().map(n -> new GaleraNode(n.address(), n.port(), 0)).toList();
    return GaleraSettings.builder()
        .nodes(nodes)
        .username(galera.user())
        .password(galera.password())
        .database(galera.database());
  }
}

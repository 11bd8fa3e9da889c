package io.ha4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.LocalClusters;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.RabbitCluster.RabbitNode;
import io.ha4j.testkit.TestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example against the test-kit clusters, through an oslo-style config file. */
@ExtendWith(LocalClusters.class)
class ExamplesIT {

  @TempDir Path dir;

  private Path conf(RabbitCluster rabbit, GaleraCluster galera) throws Exception {
    Path f = dir.resolve("service.conf");
    Files.writeString(
        f,
        TestKit.osloConfig(rabbit, galera)
            + "\n[oslo_messaging_rabbit]\nrabbit_quorum_queue = true\nkombu_reconnect_delay = 0\n"
            // hosts in the order written: every connection starts on node 1 while it is up
            + "\n[ha4j_amqp]\nhost_order = configured\n");
    return f;
  }

  @Test
  void readOsloConfigShowsHostsAndNodesButNoPassword(RabbitCluster rabbit, GaleraCluster galera)
      throws Exception {
    String text = ReadOsloConfig.describe(conf(rabbit, galera));
    assertThat(text).contains(rabbit.node(1).address() + ":" + rabbit.node(1).port());
    assertThat(text).contains(galera.node(3).address() + ":" + galera.node(3).port());
    assertThat(text).doesNotContain(galera.password());
  }

  @Test
  void publisherAndConsumerSurviveTheDeathOfABrokerNode(RabbitCluster rabbit, GaleraCluster galera)
      throws Exception {
    HaConfig config = HaConfig.load(conf(rabbit, galera));
    String queue = "example-" + System.nanoTime();
    int count = 5000;
    AtomicBoolean killed = new AtomicBoolean();
    CountDownLatch consuming = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<Integer> consumed =
        pool.submit(
            () ->
                ResilientConsumer.consume(
                    config, queue, count, Duration.ofMinutes(2), n -> consuming.countDown()));
    long confirmed =
        ResilientPublisher.publish(
            config,
            queue,
            count,
            n -> {
              if (n == count / 2 && killed.compareAndSet(false, true)) {
                // host_order = configured: the publisher and the consumer (which has received a
                // message, so it is attached) are both connected to node 1, their own broker
                try {
                  assertThat(consuming.await(2, TimeUnit.MINUTES)).isTrue();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
                assertThat(connectionsOn(rabbit.node(1))).contains("example-pub", "example-sub");
                rabbit.node(1).kill();
              }
            });
    assertThat(killed).isTrue();
    assertThat(confirmed).isEqualTo(count);
    assertThat(consumed.get(3, TimeUnit.MINUTES)).isEqualTo(count);
    pool.shutdown();
  }

  /** Names of the client connections whose server end is {@code node}'s address. */
  private static List<String> connectionsOn(RabbitNode node) {
    List<String> names = new ArrayList<>();
    for (String line :
        node.ctl("list_connections", "-q", "host", "client_properties").split("\n")) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"connection_name\",(?:longstr,)?\"([^\"]+)\"")
              .matcher(line);
      if (line.startsWith(node.address() + "\t") && m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  @Test
  void galeraTransfersKeepTheTotalWhileTheWriterDies(RabbitCluster rabbit, GaleraCluster galera)
      throws Exception {
    GaleraSettings settings = HaConfig.load(conf(rabbit, galera)).galera().orElseThrow();
    try (GaleraDataSource ds = GaleraDataSource.builder().settings(settings).build()) {
      GaleraTransfer.setUp(ds);
      CompletableFuture<Void> transfers =
          CompletableFuture.runAsync(
              () -> {
                long base = System.nanoTime();
                for (int i = 0; i < 300; i++) {
                  try {
                    GaleraTransfer.transfer(ds, base + i, 1 + i % 2, 2 - i % 2, 7);
                  } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
      galera.node(1).kill();
      transfers.get(3, TimeUnit.MINUTES);
      assertThat(GaleraTransfer.total(ds)).isEqualTo(2000);
    }
  }
}

package io.ha4j.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.LocalClusters;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.TestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's Java examples (the {@code example} methods whose bodies {@code
 * ReadmeExamplesTest} compares with the README) against the test-kit clusters, through an
 * oslo-style config file, and checks what each one promises.
 */
@ExtendWith(LocalClusters.class)
class ReadmeExamplesIT {

  @TempDir Path dir;

  private Path conf(RabbitCluster rabbit, GaleraCluster galera) throws Exception {
    Path f = dir.resolve("service.conf");
    Files.writeString(
        f,
        TestKit.osloConfig(rabbit, galera)
            + "\n[oslo_messaging_rabbit]\nrabbit_quorum_queue = true\n");
    return f;
  }

  @Test
  void quickStartDeliversTheConfirmedJobAndCommitsTheUnitOfWork(
      RabbitCluster rabbit, GaleraCluster galera) throws Exception {
    Path conf = conf(rabbit, galera);
    HaConfig config = HaConfig.load(conf);
    try (GaleraDataSource ds =
        GaleraDataSource.builder().settings(config.galera().orElseThrow()).build()) {
      ds.run(
          c -> {
            try (Statement st = c.createStatement()) {
              st.execute(
                  "CREATE TABLE IF NOT EXISTS jobs (id BIGINT PRIMARY KEY, state VARCHAR(16))");
              st.execute("REPLACE INTO jobs VALUES (7, 'new')");
            }
          });

      ReadmeQuickStart.example(conf);

      assertThat(stateOfJob7(ds)).isEqualTo("done");
    }
    assertThat(receiveOne(config.amqp(), "jobs")).isEqualTo("job 7");
  }

  @Test
  void configurationExampleLoadsFileAndDirectoryInStrictMode(
      RabbitCluster rabbit, GaleraCluster galera) throws Exception {
    Path confDir = Files.createDirectory(dir.resolve("service.conf.d"));
    Files.writeString(confDir.resolve("10-galera.conf"), "[galera]\ncheck_interval = 2\n");

    String text = ReadmeConfiguration.example(conf(rabbit, galera), confDir);

    assertThat(text)
        .isEqualTo(
            rabbit.nodes().size() + " RabbitMQ hosts, " + galera.nodes().size() + " Galera nodes");
  }

  @Test
  void amqpExampleReceivesEveryConfirmedOrder(RabbitCluster rabbit, GaleraCluster galera)
      throws Exception {
    assertThat(ReadmeAmqp.example(conf(rabbit, galera))).isEqualTo(100);
  }

  @Test
  void osloExampleCallsItsOwnServerAndGetsTheSum(RabbitCluster rabbit, GaleraCluster galera)
      throws Exception {
    assertThat(((Number) ReadmeOslo.example(conf(rabbit, galera))).longValue()).isEqualTo(42L);
  }

  @Test
  void galeraExampleCommitsTheOrderItReturns(RabbitCluster rabbit, GaleraCluster galera)
      throws Exception {
    Path conf = conf(rabbit, galera);

    long id = ReadmeGalera.example(conf);

    try (GaleraDataSource ds =
        GaleraDataSource.builder().settings(HaConfig.load(conf).galera().orElseThrow()).build()) {
      String item =
          ds.call(
              c -> {
                try (PreparedStatement st =
                    c.prepareStatement("SELECT item FROM orders WHERE id = ?")) {
                  st.setLong(1, id);
                  try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                  }
                }
              });
      assertThat(item).isEqualTo("book");
    }
  }

  private static String stateOfJob7(GaleraDataSource ds) throws Exception {
    return ds.call(
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT state FROM jobs WHERE id = 7")) {
            return rs.next() ? rs.getString(1) : null;
          }
        });
  }

  /** The first message of {@code queue}, acked (the quick start leaves one there). */
  private static String receiveOne(AmqpSettings amqp, String queue) throws Exception {
    String[] first = new String[1];
    CountDownLatch received = new CountDownLatch(1);
    try (HaConnection c = HaConnectionFactory.builder().settings(amqp).build().newConnection()) {
      c.declare(QueueSpec.of(queue, amqp));
      try (HaConsumer consumer =
          c.consume(
              queue,
              d -> {
                synchronized (first) {
                  if (first[0] == null) {
                    first[0] = new String(d.body(), StandardCharsets.UTF_8);
                    received.countDown();
                  }
                }
                d.ack();
              })) {
        assertThat(received.await(1, TimeUnit.MINUTES)).as(consumer.queue()).isTrue();
      }
    }
    synchronized (first) {
      return first[0];
    }
  }
}

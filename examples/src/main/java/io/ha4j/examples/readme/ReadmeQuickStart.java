package io.ha4j.examples.readme;

import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.HaConfig;
import io.ha4j.jdbc.GaleraDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;

/**
 * The README's first Java example: one confirmed message and one unit of work. The body of {@link
 * #example} is the README's block, word for word ({@code ReadmeExamplesTest} checks it).
 */
public final class ReadmeQuickStart {

  private ReadmeQuickStart() {}

  /** Entry point: the config file. */
  public static void main(String[] args) throws Exception {
    example(Path.of(args[0]));
  }

  /** Publishes job 7 to the queue {@code jobs} and marks it done in the table {@code jobs}. */
  public static void example(Path configFile) throws Exception {
    HaConfig config = HaConfig.load(configFile); // e.g. /etc/myservice/myservice.conf
    HaConnectionFactory mqFactory = HaConnectionFactory.builder().settings(config.amqp()).build();
    try (HaConnection mq = mqFactory.newConnection();
        GaleraDataSource db =
            GaleraDataSource.builder().settings(config.galera().orElseThrow()).build()) {
      mq.declare(QueueSpec.of("jobs", config.amqp())); // without a queue the broker drops it
      byte[] body = "job 7".getBytes(StandardCharsets.UTF_8);
      mq.publisher().publish("", "jobs", null, body).get(); // confirmed; re-sent after failover
      db.run( // one transaction on the writer node, re-run on a deadlock or a lost node
          c -> {
            try (PreparedStatement st =
                c.prepareStatement("UPDATE jobs SET state = 'done' WHERE id = ?")) {
              st.setLong(1, 7);
              st.executeUpdate();
            }
          });
    }
  }
}

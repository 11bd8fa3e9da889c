package com.example;

import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.HaConfig;
import io.ha4j.jdbc.GaleraDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A new user's first program: loads an oslo config file, publishes confirmed messages to a quorum
 * queue and consumes them, then runs units of work on Galera. It stops half-way through each part
 * and waits for a line on stdin, so that whoever runs it can kill a node there.
 *
 * <pre>java -cp … com.example.GettingStarted service.conf 1000 200</pre>
 */
public final class GettingStarted {

  public static void main(String[] args) throws Exception {
    HaConfig config = HaConfig.load(Path.of(args[0]));
    int messages = Integer.parseInt(args[1]);
    int units = Integer.parseInt(args[2]);
    BufferedReader stdin =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String queue = "getting-started-" + System.currentTimeMillis();

    HaConnectionFactory factory =
        HaConnectionFactory.builder().settings(config.amqp()).connectionName("getting-started").build();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    CountDownLatch all = new CountDownLatch(1);
    CountDownLatch first = new CountDownLatch(1);
    try (HaConnection mq = factory.newConnection()) {
      mq.declare(QueueSpec.of(queue, config.amqp()));
      mq.consume(
          queue,
          delivery -> {
            seen.add(new String(delivery.body(), StandardCharsets.UTF_8));
            delivery.ack();
            first.countDown();
            if (seen.size() >= messages) {
              all.countDown();
            }
          });
      HaPublisher publisher = mq.publisher();
      for (int i = 1; i <= messages; i++) {
        publisher.publish("", queue, null, ("message " + i).getBytes(StandardCharsets.UTF_8));
        if (i == messages / 2) {
          publisher.awaitConfirms(Duration.ofMinutes(1));
          first.await(1, TimeUnit.MINUTES);
          System.out.println(
              "publishing: "
                  + publisher.confirmed()
                  + " of "
                  + messages
                  + " confirmed, consuming, connected to "
                  + mq.currentHost().orElse("none"));
          pause(stdin);
        }
      }
      publisher.awaitConfirms(Duration.ofMinutes(2));
      System.out.println("published: " + publisher.confirmed() + " confirmed");
      all.await(2, TimeUnit.MINUTES);
      System.out.println("consumed: " + seen.size() + " distinct messages");
    }

    try (GaleraDataSource db =
        GaleraDataSource.builder().settings(config.galera().orElseThrow()).build()) {
      db.run(
          c -> {
            try (Statement st = c.createStatement()) {
              st.execute(
                  "CREATE TABLE IF NOT EXISTS getting_started"
                      + " (id INT PRIMARY KEY, note VARCHAR(40) NOT NULL)");
              st.execute("DELETE FROM getting_started");
            }
          });
      for (int i = 1; i <= units; i++) {
        int id = i;
        // one transaction on the writer, re-run on a lost node; the upsert makes a re-run after
        // a commit whose answer was lost harmless
        db.callIdempotent(
            c -> {
              try (PreparedStatement st =
                  c.prepareStatement(
                      "INSERT INTO getting_started VALUES (?, ?)"
                          + " ON DUPLICATE KEY UPDATE note = VALUES(note)")) {
                st.setInt(1, id);
                st.setString(2, "unit " + id);
                return st.executeUpdate();
              }
            });
        if (i == units / 2) {
          System.out.println(
              "writing: " + i + " of " + units + " units done, writer " + db.writer().orElse("none"));
          pause(stdin);
        }
      }
      long rows =
          db.call(
              c -> {
                try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM getting_started")) {
                  rs.next();
                  return rs.getLong(1);
                }
              });
      System.out.println("written: " + rows + " rows, writer " + db.writer().orElse("none"));
    }
    System.out.println("done");
  }

  private static void pause(BufferedReader stdin) throws IOException {
    if (stdin.readLine() == null) {
      throw new IOException("stdin closed");
    }
  }
}

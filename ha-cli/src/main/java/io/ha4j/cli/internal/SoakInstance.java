package io.ha4j.cli.internal;

import com.rabbitmq.client.AMQP;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.CommitOutcomeUnknownException;
import io.ha4j.jdbc.GaleraDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One application instance of {@code ha4j soak}: its own connection factory and connection with a
 * confirming publisher and a consumer on its own durable quorum queue, and its own {@link
 * GaleraDataSource} inserting one row per unit of work through {@link GaleraDataSource#call} (a
 * plain INSERT of a client-chosen id, no look-up first: a unit of work run twice shows as a
 * duplicate row). It counts what it sent, what came back and what failed.
 *
 * <p>Thread-safe; its traffic runs on two threads of its own.
 */
final class SoakInstance implements AutoCloseable {

  /** The table of the database workload; no unique key on {@code client_id}, on purpose. */
  static final String TABLE = "soak_rows";

  /** Ids of an instance start here times its index, so that instances never share one. */
  static final long ID_SPAN = 1_000_000_000_000L;

  private final int index;
  private final String queue;
  private final AmqpSettings amqp;
  private final GaleraSettings db;
  private final int messageRate;
  private final int commitRate;
  private final Consumer<String> notes;

  private final AtomicLong published = new AtomicLong();
  private final AtomicLong notConfirmed = new AtomicLong();
  private final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
  private final Map<Long, Integer> received = new ConcurrentHashMap<>();
  private final Set<Long> committed = ConcurrentHashMap.newKeySet();
  private final Set<Long> unknown = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> errors = new ConcurrentHashMap<>();

  private volatile boolean stop;
  private volatile SoakTracking.Stall publisherStall;
  private volatile SoakTracking.Stall consumerStall;
  private volatile SoakTracking.Stall dbStall;
  private HaConnection connection;
  private HaPublisher publisher;
  private GaleraDataSource dataSource;
  private Thread publisherThread;
  private Thread dbThread;

  /**
   * An instance, not yet connected.
   *
   * @param index 1 for the first (0 for the warm-up instance)
   * @param messageRate messages per second
   * @param commitRate units of work per second, at most
   * @param notes where the first exception of each class out of a unit of work is described
   */
  SoakInstance(
      int index,
      AmqpSettings amqp,
      GaleraSettings db,
      int messageRate,
      int commitRate,
      Consumer<String> notes) {
    this.index = index;
    this.queue = "ha4j-soak-" + index;
    this.amqp = amqp;
    this.db = db;
    this.messageRate = messageRate;
    this.commitRate = commitRate;
    this.notes = notes;
  }

  /** Creates the table when it is missing: a generated key, the client's id, the instance. */
  static void createTable(GaleraDataSource ds) throws SQLException {
    ds.run(
        c -> {
          try (Statement st = c.createStatement()) {
            st.execute(
                "CREATE TABLE IF NOT EXISTS "
                    + TABLE
                    + " (seq BIGINT AUTO_INCREMENT PRIMARY KEY, client_id BIGINT NOT NULL,"
                    + " instance INT NOT NULL, KEY (client_id))");
          }
        });
  }

  int index() {
    return index;
  }

  /** Connects to both clusters, declares the queue and starts consuming. */
  void open() {
    long now = System.nanoTime();
    publisherStall = new SoakTracking.Stall(now);
    consumerStall = new SoakTracking.Stall(now);
    dbStall = new SoakTracking.Stall(now);
    dataSource = GaleraDataSource.builder().settings(db).name("soak-" + index).build();
    connection =
        HaConnectionFactory.builder()
            .settings(amqp)
            .connectionName("soak-" + index)
            .build()
            .newConnection();
    connection.declare(QueueSpec.of(queue, amqp));
    connection.consume(
        queue,
        d -> {
          String id = d.properties().getMessageId();
          if (id != null) {
            received.merge(Long.parseLong(id), 1, Integer::sum);
            consumerStall.mark(System.nanoTime());
          }
          d.ack();
        });
    publisher = connection.publisher();
  }

  /** Resets the stall clocks and starts the publisher and the database threads. */
  void startTraffic() {
    long now = System.nanoTime();
    publisherStall = new SoakTracking.Stall(now);
    consumerStall = new SoakTracking.Stall(now);
    dbStall = new SoakTracking.Stall(now);
    publisherThread = thread("soak-" + index + "-publisher", this::publishLoop);
    dbThread = thread("soak-" + index + "-db", this::dbLoop);
  }

  /** Publishes one message; the future completes when the broker confirmed it. */
  void publishOne() throws InterruptedException {
    long id = published.incrementAndGet();
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(Long.toString(id)).build();
    try {
      publisher
          .publish("", queue, props, ("soak " + index + " " + id).getBytes(StandardCharsets.UTF_8))
          .whenComplete(
              (v, e) -> {
                if (e == null) {
                  confirmed.add(id);
                  publisherStall.mark(System.nanoTime());
                } else {
                  notConfirmed.incrementAndGet();
                }
              });
    } catch (RuntimeException e) {
      notConfirmed.incrementAndGet();
    }
  }

  /** Runs one unit of work: a plain INSERT of the next client id, counted by how it ended. */
  void insertOne(long seq) {
    long clientId = index * ID_SPAN + seq;
    try {
      dataSource.call(c -> insert(c, clientId, index));
      committed.add(clientId);
      dbStall.mark(System.nanoTime());
    } catch (CommitOutcomeUnknownException e) {
      unknown.add(clientId);
    } catch (SQLException | RuntimeException e) {
      if (errors.merge(e.getClass().getSimpleName(), 1L, Long::sum) == 1L) {
        notes.accept(firstOf(e, clientId));
      }
    }
  }

  /** The first exception of a class, with where it came from (the first frames). */
  private String firstOf(Exception e, long clientId) {
    StringBuilder b =
        new StringBuilder("instance ")
            .append(index)
            .append(": call of unit of work ")
            .append(clientId)
            .append(" threw ")
            .append(e);
    StackTraceElement[] frames = e.getStackTrace();
    for (int i = 0; i < Math.min(6, frames.length); i++) {
      b.append("\n      at ").append(frames[i]);
    }
    return b.toString();
  }

  private static int insert(Connection c, long clientId, int instance) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO " + TABLE + " (client_id, instance) VALUES (?, ?)")) {
      ps.setLong(1, clientId);
      ps.setInt(2, instance);
      return ps.executeUpdate();
    }
  }

  private void publishLoop() {
    Pacer pacer = new Pacer(messageRate);
    while (!stop) {
      pacer.await();
      try {
        publishOne();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void dbLoop() {
    Pacer pacer = new Pacer(commitRate);
    long seq = 0;
    while (!stop) {
      pacer.await();
      insertOne(++seq);
    }
  }

  /**
   * Stops publishing and writing, and waits for both threads to finish what they are doing (a unit
   * of work in its retries, a publish waiting for recovery).
   *
   * @return false when a thread did not finish in time
   */
  boolean stopTraffic(Duration timeout) throws InterruptedException {
    stop = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : new Thread[] {publisherThread, dbThread}) {
      if (t != null) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (t.isAlive()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Waits for the broker to confirm or refuse every message published. */
  boolean awaitConfirms(Duration timeout) throws InterruptedException {
    return publisher.awaitConfirms(timeout);
  }

  /** Confirmed messages not received (yet). */
  long missing() {
    return confirmed.stream().filter(id -> !received.containsKey(id)).count();
  }

  long published() {
    return published.get();
  }

  long confirmed() {
    return confirmed.size();
  }

  long notConfirmed() {
    return notConfirmed.get();
  }

  long receivedDistinct() {
    return received.size();
  }

  /** Messages delivered more than once. */
  long duplicates() {
    return received.values().stream().filter(n -> n > 1).count();
  }

  /** Whether message {@code id} arrived. */
  boolean received(long id) {
    return received.containsKey(id);
  }

  long commits() {
    return committed.size();
  }

  /** The client ids whose unit of work returned. */
  Set<Long> committedIds() {
    return Set.copyOf(committed);
  }

  long unknownOutcomes() {
    return unknown.size();
  }

  /** The client ids whose unit of work ended with an unknown commit outcome. */
  Set<Long> unknownIds() {
    return Set.copyOf(unknown);
  }

  Map<String, Long> errors() {
    return Map.copyOf(errors);
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  SoakTracking.Stall publisherStall() {
    return publisherStall;
  }

  SoakTracking.Stall consumerStall() {
    return consumerStall;
  }

  SoakTracking.Stall dbStall() {
    return dbStall;
  }

  /** The data source (for the writer it names and for the final count). */
  GaleraDataSource dataSource() {
    return dataSource;
  }

  /** Stops traffic if it still runs, then closes the publisher, connection and data source. */
  @Override
  public void close() {
    stop = true;
    if (publisher != null) {
      publisher.close();
    }
    if (connection != null) {
      connection.close();
    }
    if (dataSource != null) {
      dataSource.close();
    }
  }

  private static Thread thread(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * A steady rate that does not catch up after a stall: a client blocked for ten seconds goes on at
   * its rate instead of sending ten seconds' worth at once.
   */
  private static final class Pacer {
    private final long period;
    private long next = System.nanoTime();

    Pacer(int perSecond) {
      this.period = TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    void await() {
      long now = System.nanoTime();
      next = Math.max(next + period, now - period);
      long wait = next - now;
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }
}

package io.ha4j.jdbc.internal;

import io.ha4j.config.GaleraNode;
import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.jdbc.GaleraListener;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fake nodes for unit tests: each answers the probe the test set last, lends fake connections that
 * record what was done to them; a virtual clock moved by the test and by the sleeper.
 */
final class FakeNodes implements NodeIo {

  /** The virtual clock; starts far from zero. */
  final AtomicLong clock = new AtomicLong(1_000_000_000_000L);

  /** What the sleeper was asked to sleep, in order. */
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  final Map<String, FakeNode> byName = new HashMap<>();
  final List<FakeNode> all = new ArrayList<>();

  /** Runs during each sleep, after the clock moved (e.g. a check while a unit of work waits). */
  volatile Runnable duringSleep = () -> {};

  final Environment env =
      new Environment(
          clock::get,
          d -> {
            sleeps.add(d);
            clock.addAndGet(d.toNanos());
            duringSleep.run();
          },
          () -> 0.5,
          Runnable::run);

  /** One fake node. */
  final class FakeNode implements Pool, Prober {
    final String name;
    volatile Probe answer = Probe.failed(true, "connection refused (fake)");
    final AtomicInteger probes = new AtomicInteger();
    final AtomicInteger softEvictions = new AtomicInteger();
    final AtomicInteger evictions = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    /** The names of the threads that closed it (as a pool or as a prober). */
    final List<String> closedBy = new CopyOnWriteArrayList<>();

    final List<FakeConnection> lent = new CopyOnWriteArrayList<>();

    /** Runs before each probe answers (e.g. to hold it back). */
    volatile Runnable beforeAnswer = () -> {};

    /** Runs at each soft eviction, after it was counted (e.g. to throw). */
    volatile Runnable softEvictHook = () -> {};

    FakeNode(String name) {
      this.name = name;
    }

    @Override
    public Probe probe() {
      beforeAnswer.run();
      probes.incrementAndGet();
      Probe p = answer;
      // stamp it with the virtual clock, as the real one stamps with System.nanoTime
      return p.answered()
          ? new Probe(
              true,
              false,
              "",
              p.localState(),
              p.stateComment(),
              p.ready(),
              p.connected(),
              p.clusterStatus(),
              p.clusterName(),
              p.clusterUuid(),
              p.clusterSize(),
              p.desync(),
              p.rejectQueries(),
              p.readOnly(),
              p.donorRejectsQueries(),
              p.confId(),
              clock.get())
          : p;
    }

    @Override
    public Connection getConnection() throws SQLException {
      FakeConnection c = new FakeConnection(name);
      lent.add(c);
      return c.proxy;
    }

    @Override
    public void softEvict() {
      softEvictions.incrementAndGet();
      softEvictHook.run();
    }

    @Override
    public void evict(Connection c) {
      evictions.incrementAndGet();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      closedBy.add(Thread.currentThread().getName());
    }

    void synced() {
      answer = answer(4, "Synced", false, "NONE", false);
    }

    void desynced() {
      answer = answer(2, "Donor/Desynced", true, "NONE", false);
    }

    void rejectingQueries() {
      answer = answer(4, "Synced", false, "ALL", false);
    }

    void readOnly() {
      answer = answer(4, "Synced", false, "NONE", true);
    }

    /** Synced and Primary in membership view {@code confId} of {@code size} nodes. */
    void inView(long confId, int size) {
      answer =
          new Probe(
              true, false, "", 4, "Synced", true, true, "Primary", "fake", "uuid-1", size, false,
              "NONE", false, true, confId, 0);
    }

    void refused() {
      answer = Probe.failed(true, "connection refused (fake)");
    }

    void timingOut() {
      answer = Probe.failed(false, "socket timeout (fake)");
    }
  }

  /** A connection that records abort and close. */
  static final class FakeConnection {
    final String node;
    volatile boolean aborted;
    volatile boolean closed;
    final Connection proxy;

    FakeConnection(String node) {
      this.node = node;
      this.proxy =
          (Connection)
              Proxy.newProxyInstance(
                  FakeConnection.class.getClassLoader(),
                  new Class<?>[] {Connection.class},
                  (p, m, args) -> {
                    switch (m.getName()) {
                      case "abort" -> aborted = true;
                      case "close" -> closed = true;
                      case "isClosed" -> {
                        return closed || aborted;
                      }
                      case "toString" -> {
                        return "fake connection to " + node;
                      }
                      case "hashCode" -> {
                        return System.identityHashCode(p);
                      }
                      case "equals" -> {
                        return p == args[0];
                      }
                      default -> {}
                    }
                    Class<?> r = m.getReturnType();
                    return r == boolean.class ? Boolean.FALSE : r == int.class ? 0 : null;
                  });
    }
  }

  static Probe answer(int state, String comment, boolean desync, String reject, boolean ro) {
    return new Probe(
        true, false, "", state, comment, true, true, "Primary", "fake", "uuid-1", 3, desync, reject,
        ro, true, 7, 0);
  }

  @Override
  public Pool pool(GaleraNode node) {
    return byName.computeIfAbsent(node.hostAndPort(), this::create);
  }

  @Override
  public Prober prober(GaleraNode node) {
    return byName.computeIfAbsent(node.hostAndPort(), this::create);
  }

  private FakeNode create(String name) {
    FakeNode n = new FakeNode(name);
    all.add(n);
    return n;
  }

  /** The fake of the i-th configured node (0-based); create them with {@link #nodes}. */
  FakeNode node(int i) {
    return all.get(i);
  }

  /** {@code count} nodes 127.0.0.1:1..count with these priorities, created now in order. */
  List<GaleraNode> nodes(int... priorities) {
    List<GaleraNode> out = new ArrayList<>();
    for (int i = 0; i < priorities.length; i++) {
      GaleraNode g = new GaleraNode("127.0.0.1", 3301 + i, priorities[i]);
      pool(g);
      out.add(g);
    }
    return out;
  }

  void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  /** Records events. */
  static final class Recorder implements GaleraListener {
    final List<GaleraEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(GaleraEvent e) {
      events.add(e);
    }

    List<GaleraEvent.WriterChanged> writerChanges() {
      List<GaleraEvent.WriterChanged> out = new ArrayList<>();
      for (GaleraEvent e : events) {
        if (e instanceof GaleraEvent.WriterChanged w) {
          out.add(w);
        }
      }
      return out;
    }
  }
}

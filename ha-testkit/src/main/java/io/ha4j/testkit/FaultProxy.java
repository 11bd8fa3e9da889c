package io.ha4j.testkit;

import io.ha4j.testkit.internal.MysqlPackets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy in front of one MySQL/MariaDB server port that can lose a COMMIT or its
 * answer: the fault that leaves a client not knowing whether its transaction committed. It listens
 * on 127.0.0.1 on a free port and forwards every connection to the target; it reads the client's
 * side as MySQL client protocol packets (3-byte little-endian length, 1-byte sequence number,
 * payload; a {@code COM_QUERY} is byte 0x03 followed by the SQL text), so TLS and compression must
 * be off on this path. {@link #arm(CommitFault)} makes the next {@code COMMIT} sent through it, on
 * any connection, fail in one of two ways:
 *
 * <ul>
 *   <li>{@link CommitFault#ANSWER_LOST}: the COMMIT is forwarded, the server's answer is read and
 *       dropped, then both sides of that connection are cut: the transaction committed, and the
 *       client sees a lost connection;
 *   <li>{@link CommitFault#COMMIT_LOST}: the COMMIT is dropped and both sides are cut: the server
 *       rolls the transaction back, and the client sees the same lost connection.
 * </ul>
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(node.address(), node.port())) {
 *   // point the client at 127.0.0.1:proxy.port()
 *   proxy.arm(FaultProxy.CommitFault.ANSWER_LOST);
 *   …
 *   proxy.awaitFaults(1, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Threads are daemon threads named {@code ha4j-fault-proxy-<port>-…}; {@link #close()} closes
 * the listening socket and every connection. Thread-safe.
 *
 * @since 0.3
 */
public final class FaultProxy implements AutoCloseable {

  /**
   * What happens to the next COMMIT after {@link #arm(CommitFault)}.
   *
   * @since 0.3
   */
  public enum CommitFault {
    /** The COMMIT reaches the server and commits; its answer is dropped and the connection cut. */
    ANSWER_LOST,
    /** The COMMIT is dropped and the connection cut: the server rolls the transaction back. */
    COMMIT_LOST
  }

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final AtomicReference<CommitFault> armed = new AtomicReference<>();
  private final AtomicInteger faults = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private FaultProxy(String targetHost, int targetPort, ServerSocket listener) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = listener;
  }

  /**
   * Starts a proxy to {@code targetHost:targetPort} on 127.0.0.1 and a free port.
   *
   * @throws IOException when no port could be bound
   */
  public static FaultProxy start(String targetHost, int targetPort) throws IOException {
    Objects.requireNonNull(targetHost, "targetHost");
    if (targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort out of range 1..65535: " + targetPort);
    }
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    FaultProxy p = new FaultProxy(targetHost, targetPort, s);
    Thread t = new Thread(p::accept, "ha4j-fault-proxy-" + s.getLocalPort() + "-accept");
    t.setDaemon(true);
    t.start();
    return p;
  }

  /** The address the proxy listens on: 127.0.0.1. */
  public String host() {
    return listener.getInetAddress().getHostAddress();
  }

  /** The port the proxy listens on. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Makes the next COMMIT through the proxy fail as {@code fault} (replaces an earlier arming). */
  public void arm(CommitFault fault) {
    armed.set(Objects.requireNonNull(fault, "fault"));
  }

  /** Whether a fault is armed and has not happened yet. */
  public boolean armed() {
    return armed.get() != null;
  }

  /** How many COMMIT faults happened so far. */
  public int faults() {
    return faults.get();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /**
   * Waits until {@code count} faults happened.
   *
   * @throws Waits.TimeoutException when they did not within {@code timeout}
   */
  public void awaitFaults(int count, Duration timeout) {
    Waits.until(
        count + " COMMIT fault(s) through the proxy on port " + port(),
        timeout,
        Duration.ofMillis(10),
        () ->
            faults.get() >= count
                ? Waits.Poll.done()
                : Waits.Poll.notYet(faults.get() + " so far"));
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      int n = connections.incrementAndGet();
      Socket server = new Socket();
      try {
        server.connect(new InetSocketAddress(targetHost, targetPort), 5000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      sockets.add(client);
      sockets.add(server);
      if (closed) {
        closeQuietly(client);
        closeQuietly(server);
        return;
      }
      Connection c = new Connection(client, server);
      thread(c::clientToServer, n + "-up").start();
      thread(c::serverToClient, n + "-down").start();
    }
  }

  private Thread thread(Runnable r, String suffix) {
    Thread t = new Thread(r, "ha4j-fault-proxy-" + port() + "-" + suffix);
    t.setDaemon(true);
    return t;
  }

  /** One proxied connection. */
  private final class Connection {
    final Socket client;
    final Socket server;
    final CountDownLatch answerDropped = new CountDownLatch(1);
    volatile boolean dropAnswer;

    Connection(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void clientToServer() {
      try (InputStream in = client.getInputStream();
          OutputStream out = server.getOutputStream()) {
        while (true) {
          byte[] packet = MysqlPackets.read(in);
          if (packet == null) {
            return;
          }
          if (MysqlPackets.isCommit(packet)) {
            CommitFault f = armed.getAndSet(null);
            if (f == CommitFault.COMMIT_LOST) {
              cut();
              return;
            }
            if (f == CommitFault.ANSWER_LOST) {
              dropAnswer = true;
              out.write(packet);
              out.flush();
              // wait for the server to answer (so the COMMIT did happen) before cutting
              answerDropped.await(60, TimeUnit.SECONDS);
              cut();
              return;
            }
          }
          out.write(packet);
          out.flush();
        }
      } catch (IOException e) {
        // either side went away
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        closeBoth();
      }
    }

    void serverToClient() {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = server.getInputStream();
          OutputStream out = client.getOutputStream()) {
        while (true) {
          int n = in.read(buf);
          if (n < 0) {
            return;
          }
          if (dropAnswer) {
            answerDropped.countDown();
            return;
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // either side went away
      } finally {
        answerDropped.countDown();
        if (!dropAnswer) {
          closeBoth();
        }
      }
    }

    private void cut() {
      faults.incrementAndGet();
      closeBoth();
    }

    private void closeBoth() {
      closeQuietly(client);
      closeQuietly(server);
      sockets.remove(client);
      sockets.remove(server);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Stops listening and closes every proxied connection. Idempotent. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  @Override
  public String toString() {
    return "FaultProxy[" + host() + ":" + port() + " -> " + targetHost + ":" + targetPort + "]";
  }
}

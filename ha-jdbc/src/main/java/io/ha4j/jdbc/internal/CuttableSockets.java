package io.ha4j.jdbc.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.util.ConfigurableSocketFactory;

/**
 * The socket factory ha4j gives the driver ({@code socketFactory} option) for the connections of
 * each node's pool, so that ha4j can close those sockets itself when it abandons the node.
 *
 * <p>A thread blocked reading from a node that hangs or was cut off by the network (for example in
 * COMMIT) is released only by closing its socket: {@code Connection.abort} of the driver first
 * opens a new connection to the same node to send {@code KILL} and then waits for the socket the
 * blocked thread holds, so it waits as long as that thread does (the socket timeout). {@link
 * #cut(String)} closes the sockets of one pool at once; the blocked thread fails with a connection
 * error, which the unit of work treats like any lost connection.
 *
 * <p>The driver creates one factory per connection and passes the connection's options to {@link
 * #setConfiguration}; the pool's tag travels as the extra option {@value #TAG_OPTION}.
 */
public final class CuttableSockets extends ConfigurableSocketFactory {

  /** Driver option naming the pool a connection belongs to. */
  public static final String TAG_OPTION = "ha4jSocketTag";

  private static final Map<String, Set<Socket>> OPEN = new ConcurrentHashMap<>();
  private static final AtomicLong TAGS = new AtomicLong();

  private String tag = "";

  /** Used by the driver. */
  public CuttableSockets() {}

  /** A tag for a new pool, unique in this JVM. */
  static String newTag(String label) {
    return label + "#" + TAGS.incrementAndGet();
  }

  /**
   * Closes every open socket of the pool tagged {@code tag}.
   *
   * @return how many were closed
   */
  static int cut(String tag) {
    Set<Socket> open = OPEN.get(tag);
    if (open == null) {
      return 0;
    }
    int n = 0;
    for (Socket s : open.toArray(new Socket[0])) {
      try {
        s.close();
        n++;
      } catch (IOException ignored) {
        // closed either way
      }
    }
    return n;
  }

  /** Sockets of {@code tag} still open. */
  static int open(String tag) {
    Set<Socket> open = OPEN.get(tag);
    return open == null ? 0 : open.size();
  }

  /** Drops the pool's entry once the pool is closed. */
  static void forget(String tag) {
    cut(tag);
    OPEN.remove(tag);
  }

  @Override
  public void setConfiguration(Configuration conf, String host) {
    String t = conf.nonMappedOptions().getProperty(TAG_OPTION);
    tag = t == null ? "" : t;
  }

  @Override
  public Socket createSocket() {
    return new Tracked(tag);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localHost, localPort));
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localAddress, localPort));
    s.connect(new InetSocketAddress(address, port));
    return s;
  }

  /** A plain socket that is listed under its pool's tag until it is closed. */
  private static final class Tracked extends Socket {
    private final String tag;

    Tracked(String tag) {
      this.tag = tag;
      if (!tag.isEmpty()) {
        OPEN.computeIfAbsent(tag, k -> ConcurrentHashMap.newKeySet()).add(this);
      }
    }

    @Override
    public synchronized void close() throws IOException {
      try {
        super.close();
      } finally {
        Set<Socket> open = OPEN.get(tag);
        if (open != null) {
          open.remove(this);
        }
      }
    }
  }
}

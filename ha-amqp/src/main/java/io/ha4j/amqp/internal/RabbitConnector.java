package io.ha4j.amqp.internal;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Opens amqp-client connections, one configured factory per host, recovery switched off and a
 * {@link QuietExceptionHandler} installed.
 */
public final class RabbitConnector implements Connector {

  private final List<ConnectionFactory> factories = new ArrayList<>();
  private final String connectionName;

  /**
   * A connector for {@code hosts} (in the order to use) with the settings' timeouts; TLS with
   * {@code ssl} when it is not null.
   */
  /** How long a channel method (open, declare, consume, close) may wait for its answer: 30 s. */
  public static final Duration CHANNEL_RPC_TIMEOUT = Duration.ofSeconds(30);

  public RabbitConnector(
      AmqpSettings settings, List<AmqpHost> hosts, String connectionName, SSLContext ssl) {
    this.connectionName = connectionName;
    int heartbeat = requestedHeartbeat(settings.heartbeatTimeoutThreshold());
    for (AmqpHost h : hosts) {
      ConnectionFactory f = new ConnectionFactory();
      f.setHost(h.host());
      f.setPort(h.port());
      f.setUsername(h.username());
      f.setPassword(h.password());
      f.setVirtualHost(settings.virtualHost());
      f.setConnectionTimeout(millis(settings.connectTimeout()));
      f.setHandshakeTimeout(millis(settings.handshakeTimeout()));
      f.setRequestedHeartbeat(heartbeat);
      // amqp-client waits 10 min for the answer to a channel method; a node whose channels stop
      // answering while its heartbeats go on (seen with RabbitMQ 3.10 during a partition) would
      // hold recovery that long. A publisher that cannot open a channel abandons the connection.
      f.setChannelRpcTimeout(millis(CHANNEL_RPC_TIMEOUT));
      // ha4j recovers connections itself; amqp-client's recovery would race with it.
      f.setAutomaticRecoveryEnabled(false);
      f.setTopologyRecoveryEnabled(false);
      // amqp-client has no AMQPLAIN; RabbitMQ checks the same credentials with PLAIN.
      f.setSaslConfig(
          settings.loginMethod() == AmqpSettings.LoginMethod.EXTERNAL
              ? DefaultSaslConfig.EXTERNAL
              : DefaultSaslConfig.PLAIN);
      if (ssl != null) {
        f.useSslProtocol(ssl);
        if (settings.sslEnforceHostnameVerification()) {
          f.enableHostnameVerification();
        }
      }
      f.setClientProperties(clientProperties(f.getClientProperties(), connectionName));
      // the default handler logs a WARN and a stack trace for each loss ha4j recovers from
      f.setExceptionHandler(new QuietExceptionHandler("AMQP connection '" + connectionName + "'"));
      factories.add(f);
    }
  }

  /**
   * The heartbeat to request so that a silent peer is declared dead within {@code threshold}:
   * amqp-client gives up after 9 read time-outs of a quarter heartbeat each (2.25 heartbeats), so
   * the request is {@code floor(threshold * 4 / 9)} seconds, at least 1; 0 disables heartbeats.
   */
  public static int requestedHeartbeat(Duration threshold) {
    if (threshold.isZero()) {
      return 0;
    }
    return (int) Math.max(1, threshold.toMillis() * 4 / 9 / 1000);
  }

  private static Map<String, Object> clientProperties(Map<String, Object> base, String name) {
    Map<String, Object> m = new java.util.HashMap<>(base);
    m.put("connection_name", name);
    m.put("product", "ha4j");
    return m;
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }

  /** The factory for the host at {@code index}, for tests. */
  ConnectionFactory factory(int index) {
    return factories.get(index);
  }

  @Override
  public Connection connect(int index) throws Exception {
    return factories.get(index).newConnection(connectionName);
  }
}

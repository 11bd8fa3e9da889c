package io.ha4j.spring.amqp;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * Applies what {@link AmqpSettings} say about one connection to amqp-client's factory: timeouts,
 * heartbeat, SASL mechanism, TLS from oslo's PEM files, automatic recovery off (Spring AMQP
 * recovers, and ha4j steers it).
 */
final class RabbitClientSettings {

  private RabbitClientSettings() {}

  static void apply(AmqpSettings s, ConnectionFactory f, String connectionName) {
    f.setAutomaticRecoveryEnabled(false);
    f.setTopologyRecoveryEnabled(false);
    f.setConnectionTimeout(millis(s.connectTimeout()));
    f.setHandshakeTimeout(millis(s.handshakeTimeout()));
    f.setRequestedHeartbeat(requestedHeartbeat(s.heartbeatTimeoutThreshold()));
    f.setSaslConfig(
        s.loginMethod() == AmqpSettings.LoginMethod.EXTERNAL
            ? DefaultSaslConfig.EXTERNAL
            : DefaultSaslConfig.PLAIN);
    Map<String, Object> props = new java.util.HashMap<>(f.getClientProperties());
    props.put("connection_name", connectionName);
    f.setClientProperties(props);
    if (s.ssl()) {
      f.useSslProtocol(sslContext(s));
      if (s.sslEnforceHostnameVerification()) {
        f.enableHostnameVerification();
      }
    }
  }

  /**
   * The heartbeat to request so that a silent peer is declared dead within {@code threshold}:
   * amqp-client gives up after 9 read time-outs of a quarter heartbeat each (2.25 heartbeats), so
   * the request is {@code floor(threshold * 4 / 9)} seconds, at least 1; 0 disables heartbeats.
   */
  static int requestedHeartbeat(Duration threshold) {
    if (threshold.isZero()) {
      return 0;
    }
    return (int) Math.max(1, threshold.toSeconds() * 4 / 9);
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  /**
   * An SSL context from oslo's {@code ssl_ca_file}, {@code ssl_cert_file}, {@code ssl_key_file}.
   */
  static SSLContext sslContext(AmqpSettings s) {
    try {
      PemSslStoreDetails trust =
          s.sslCaFile().isEmpty()
              ? null
              : new PemSslStoreDetails(null, location(s.sslCaFile()), null);
      PemSslStoreDetails key =
          s.sslCertFile().isEmpty()
              ? null
              : new PemSslStoreDetails(
                  null,
                  location(s.sslCertFile()),
                  s.sslKeyFile().isEmpty() ? null : location(s.sslKeyFile()));
      if (trust == null && key == null) {
        return SslBundle.systemDefault().createSslContext();
      }
      String protocol = s.sslVersion().isEmpty() ? SslBundle.DEFAULT_PROTOCOL : s.sslVersion();
      return SslBundle.of(new PemSslStoreBundle(key, trust), null, null, protocol)
          .createSslContext();
    } catch (RuntimeException e) {
      throw new ConfigException(
          "[oslo_messaging_rabbit] ssl_ca_file / ssl_cert_file / ssl_key_file",
          "cannot build a TLS context from the configured files ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); expected readable PEM files");
    }
  }

  private static String location(String path) {
    return path.startsWith("file:") || path.startsWith("classpath:") ? path : "file:" + path;
  }
}

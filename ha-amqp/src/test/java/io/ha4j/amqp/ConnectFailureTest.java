package io.ha4j.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** {@link ConnectFailure#classify}: kinds, descriptions, which are permanent. */
class ConnectFailureTest {

  private static IOException closedByBroker(int code, String text) {
    AMQP.Connection.Close close =
        new AMQP.Connection.Close.Builder().replyCode(code).replyText(text).build();
    return new IOException(new ShutdownSignalException(true, false, close, null));
  }

  @Test
  void anUnknownVirtualHostIsAPermanentAccessRefusal() {
    ConnectFailure f =
        ConnectFailure.classify(closedByBroker(530, "NOT_ALLOWED - vhost nova not found"));

    assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.ACCESS_REFUSED);
    assertThat(f.permanent()).isTrue();
    assertThat(f.description()).isEqualTo("530 NOT_ALLOWED - vhost nova not found");
  }

  @Test
  void aForcedCloseIsTransientButTheBrokerAnswered() {
    ConnectFailure f = ConnectFailure.classify(closedByBroker(320, "CONNECTION_FORCED - shutdown"));

    assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.BROKER_CLOSED);
    assertThat(f.permanent()).isFalse();
    assertThat(f.kind().brokerAnswered()).isTrue();
  }

  @Test
  void networkFailuresAreTransientAndTlsFailuresPermanent() {
    assertThat(ConnectFailure.classify(new IOException(new ConnectException("refused"))))
        .isEqualTo(
            new ConnectFailure(ConnectFailure.Kind.CONNECTION_REFUSED, "connection refused"));
    assertThat(ConnectFailure.classify(new SocketTimeoutException()).kind())
        .isEqualTo(ConnectFailure.Kind.TIMEOUT);
    ConnectFailure tls =
        ConnectFailure.classify(new IOException(new SSLHandshakeException("PKIX")));
    assertThat(tls.kind()).isEqualTo(ConnectFailure.Kind.TLS);
    assertThat(tls.permanent()).isTrue();
    assertThat(tls.description()).contains("ssl_ca_file");
  }

  @Test
  void aRefusalNamesTheUserAndTheHostButNeverThePassword() {
    ConnectFailure f =
        ConnectFailure.classify(
            new com.rabbitmq.client.AuthenticationFailureException("ACCESS_REFUSED"),
            "nova",
            "10.0.0.1:5672");

    assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.AUTHENTICATION_FAILED);
    assertThat(f.description())
        .startsWith("user 'nova' was refused by host 10.0.0.1:5672: ACCESS_REFUSED");
  }

  @Test
  void aVirtualHostRefusalNamesTheUserAndHostAndOtherFailuresStayAsTheyAre() {
    assertThat(
            ConnectFailure.classify(
                    closedByBroker(530, "NOT_ALLOWED - vhost nova not found"), "nova", "h:1")
                .description())
        .isEqualTo("user 'nova' was refused by host h:1: 530 NOT_ALLOWED - vhost nova not found");
    assertThat(
            ConnectFailure.classify(new IOException(new ConnectException("x")), "nova", "h:1")
                .description())
        .isEqualTo("connection refused");
  }
}

package io.ha4j.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.jdbc.GaleraErrors.Kind;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import org.junit.jupiter.api.Test;

class GaleraErrorsTest {

  @Test
  void anErrorDuringCommitOutOfThePrimaryComponentIsANodeNotReadyAndOtherwiseNotRetryable() {
    SQLException cutOff =
        new SQLException(
            "(conn=68) Error while appending streaming replication fragment(provider status: Not"
                + " connected to Primary Component)",
            "HY000",
            1180);
    assertThat(GaleraErrors.classify(cutOff)).isEqualTo(GaleraErrors.Kind.NODE_NOT_READY);
    assertThat(GaleraErrors.suspectsNode(cutOff)).isTrue();
    assertThat(
            GaleraErrors.classify(
                new SQLException("Maximum writeset size exceeded", "HY000", 1180)))
        .isEqualTo(GaleraErrors.Kind.NOT_RETRYABLE);
  }

  @Test
  void vendorCodesDecideWhateverTheSqlStateSays() {
    assertThat(GaleraErrors.classify(new SQLTransactionRollbackException("x", "40001", 1213)))
        .isEqualTo(Kind.DEADLOCK);
    assertThat(GaleraErrors.classify(new SQLException("WSREP has not yet prepared", "08S01", 1047)))
        .isEqualTo(Kind.NODE_NOT_READY);
    assertThat(GaleraErrors.classify(new SQLException("x", "HY000", 1205)))
        .isEqualTo(Kind.LOCK_WAIT_TIMEOUT);
    assertThat(GaleraErrors.classify(new SQLTimeoutException("killed", "70100", 1927)))
        .isEqualTo(Kind.CONNECTION_LOST);
    assertThat(GaleraErrors.classify(new SQLException("gone away", "HY000", 2006)))
        .isEqualTo(Kind.CONNECTION_LOST);
    assertThat(GaleraErrors.classify(new SQLException("error during commit", "HY000", 1180)))
        .isEqualTo(Kind.NOT_RETRYABLE);
    assertThat(GaleraErrors.classify(new SQLException("dup", "23000", 1062))).isEqualTo(Kind.OTHER);
  }

  @Test
  void driverLevelLossesWithoutCodeAreConnectionLosses() {
    assertThat(
            GaleraErrors.classify(
                new SQLNonTransientConnectionException("socket error", "08000", 0)))
        .isEqualTo(Kind.CONNECTION_LOST);
    assertThat(
            GaleraErrors.classify(
                new SQLException("wrapped", new SocketException("Connection reset"))))
        .isEqualTo(Kind.CONNECTION_LOST);
  }

  @Test
  void aCodeInTheCauseOrNextChainIsFound() {
    SQLException outer = new SQLException("batch failed");
    outer.setNextException(new SQLException("deadlock", "40001", 1213));
    assertThat(GaleraErrors.classify(outer)).isEqualTo(Kind.DEADLOCK);
    assertThat(GaleraErrors.classify(new RuntimeException(new SQLException("x", "08S01", 1047))))
        .isEqualTo(Kind.NODE_NOT_READY);
    assertThat(GaleraErrors.suspectsNode(new SQLException("x", "08S01", 1047))).isTrue();
    assertThat(GaleraErrors.suspectsNode(new SQLException("x", "40001", 1213))).isFalse();
  }

  @Test
  void certificateVerificationFailuresAreTlsNotConnectionLossAndNotRetried() {
    SQLException pkix =
        new SQLNonTransientConnectionException(
            "Could not connect to 10.0.0.1:3306 : PKIX path validation failed",
            "08000",
            0,
            new javax.net.ssl.SSLHandshakeException("PKIX path validation failed"));
    pkix.getCause().initCause(new java.security.cert.CertPathValidatorException("does not chain"));

    assertThat(GaleraErrors.classify(pkix)).isEqualTo(Kind.TLS);
    assertThat(GaleraErrors.tlsFailure(pkix)).hasValue("PKIX path validation failed");
    assertThat(GaleraErrors.suspectsNode(pkix)).isFalse();
  }

  @Test
  void aServerRefusingTheHandshakeIsTls() {
    SQLException alert =
        new SQLNonTransientConnectionException(
            "x",
            "08000",
            0,
            new javax.net.ssl.SSLHandshakeException("Received fatal alert: unknown_ca"));

    assertThat(GaleraErrors.classify(alert)).isEqualTo(Kind.TLS);
  }

  @Test
  void aHandshakeCutShortByTheNetworkIsAConnectionLoss() {
    javax.net.ssl.SSLHandshakeException cut =
        new javax.net.ssl.SSLHandshakeException("Remote host terminated the handshake");
    cut.initCause(new java.io.EOFException("SSL peer shut down incorrectly"));
    SQLException e = new SQLNonTransientConnectionException("x", "08000", 0, cut);

    assertThat(GaleraErrors.tlsFailure(e)).isEmpty();
    assertThat(GaleraErrors.classify(e)).isEqualTo(Kind.CONNECTION_LOST);
  }
}

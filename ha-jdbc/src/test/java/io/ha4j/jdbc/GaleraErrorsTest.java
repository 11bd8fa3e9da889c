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
}

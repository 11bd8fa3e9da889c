package io.ha4j.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class GaleraTransactionTemplateTest {

  private final LazyGaleraDataSource ds =
      new LazyGaleraDataSource(
          GaleraSettings.builder()
              .nodes(List.of(new GaleraNode("127.0.0.1", 1, 0)))
              .username("app")
              .password("pw")
              .database("orders")
              .build(),
          "test",
          false,
          List::of);

  @Test
  void refusesToRunInsideAnotherTransactionOnTheSameDataSourceWithoutConnecting() {
    TransactionSynchronizationManager.bindResource(ds, "an outer transaction");
    try {
      assertThatThrownBy(() -> new GaleraTransactionTemplate(ds).execute(status -> 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("outermost");
      assertThat(ds.isStarted()).isFalse();
    } finally {
      TransactionSynchronizationManager.unbindResource(ds);
    }
  }

  @Test
  void aClosedDataSourceFailsAsADataAccessExceptionWithoutStarting() {
    ds.destroy();
    assertThatThrownBy(() -> new GaleraTransactionTemplate(ds).execute(status -> 1))
        .isInstanceOf(org.springframework.dao.DataAccessException.class)
        .hasMessageContaining("Galera unit of work");
    assertThat(ds.isStarted()).isFalse();
  }
}

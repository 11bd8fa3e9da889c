package io.ha4j.spring.jdbc;

import io.ha4j.jdbc.CommitOutcomeUnknownException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Consumer;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a Spring unit of work in one transaction on the Galera writer and re-runs it from the start
 * on a deadlock or certification failure (1213), a node that is not ready (1047) or a connection
 * lost before COMMIT, with oslo.db's backoff: {@code TransactionTemplate}'s idiom with ha4j's
 * retry. Inside the callback, {@code JdbcTemplate}, {@code JdbcClient} and {@code @Transactional}
 * methods (propagation REQUIRED) use the unit of work's connection. The callback must be safe to
 * run again (no side effects outside the transaction, or idempotent ones). Errors reach the caller
 * as Spring's {@link DataAccessException}s. Thread-safe.
 *
 * <pre>{@code
 * long id = galeraTx.execute(status -> {
 *   jdbc.update("INSERT INTO orders(item) VALUES (?)", item);
 *   return jdbc.queryForObject("SELECT LAST_INSERT_ID()", Long.class);
 * });
 * }</pre>
 *
 * @since 0.1
 */
public final class GaleraTransactionTemplate {

  private final LazyGaleraDataSource dataSource;
  private final SQLExceptionTranslator translator;

  /**
   * A template over the application's Galera data source.
   *
   * @param dataSource the data source JdbcTemplate and the transaction manager use
   */
  public GaleraTransactionTemplate(LazyGaleraDataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    SQLErrorCodeSQLExceptionTranslator t = new SQLErrorCodeSQLExceptionTranslator();
    t.setDatabaseProductName("MariaDB");
    t.setFallbackTranslator(new SQLStateSQLExceptionTranslator());
    this.translator = t;
  }

  /**
   * Runs {@code action} in a transaction, re-running it on the errors Galera asks to retry; commits
   * unless it set {@link TransactionStatus#setRollbackOnly()}.
   *
   * @param action the unit of work
   * @param <T> its result
   * @return what the committed (or rolled back) run returned
   * @throws DataAccessException when the work fails in a way that cannot be retried, or the retries
   *     are spent
   */
  public <T> T execute(TransactionCallback<T> action) {
    return run(action, false);
  }

  /**
   * As {@link #execute(TransactionCallback)} for work that is also safe to run again after a COMMIT
   * whose outcome is unknown (the connection died while committing): it checks whether its effect
   * is already there (e.g. by a request id) or its effect is the same when applied twice. Such a
   * COMMIT is then re-run instead of failing.
   *
   * @param action the idempotent unit of work
   * @param <T> its result
   * @return what the committed run returned
   * @throws DataAccessException when the work fails in a way that cannot be retried, or the retries
   *     are spent
   */
  public <T> T executeIdempotent(TransactionCallback<T> action) {
    return run(action, true);
  }

  private <T> T run(TransactionCallback<T> action, boolean idempotent) {
    Objects.requireNonNull(action, "action");
    if (TransactionSynchronizationManager.hasResource(dataSource)) {
      throw new IllegalStateException(
          "a transaction on this data source is already active: a retried unit of work must be"
              + " the outermost transaction");
    }
    try {
      return idempotent
          ? dataSource.callIdempotent(c -> runBound(c, action))
          : dataSource.call(c -> runBound(c, action));
    } catch (RolledBack r) {
      @SuppressWarnings("unchecked")
      T result = (T) r.result;
      return result;
    } catch (SQLException e) {
      DataAccessException d = translator.translate(describe(e), null, e);
      throw d != null
          ? d
          : new org.springframework.jdbc.UncategorizedSQLException(describe(e), null, e);
    }
  }

  /**
   * As {@link #execute(TransactionCallback)} without a result.
   *
   * @param action the unit of work
   */
  public void executeWithoutResult(Consumer<TransactionStatus> action) {
    Objects.requireNonNull(action, "action");
    execute(
        status -> {
          action.accept(status);
          return null;
        });
  }

  private static String describe(SQLException e) {
    return e instanceof CommitOutcomeUnknownException
        ? "Galera unit of work: the outcome of COMMIT is unknown"
        : "Galera unit of work";
  }

  private <T> T runBound(Connection c, TransactionCallback<T> action) throws SQLException {
    ActiveHolder holder = new ActiveHolder(c);
    TransactionSynchronizationManager.bindResource(dataSource, holder);
    try {
      SimpleTransactionStatus status = new SimpleTransactionStatus(true);
      T result = action.doInTransaction(status);
      if (status.isRollbackOnly() || holder.isRollbackOnly()) {
        throw new RolledBack(result);
      }
      return result;
    } catch (RolledBack r) {
      throw r;
    } catch (RuntimeException e) {
      // ha4j decides on retries by the SQLException's vendor code: hand it the driver's exception
      SQLException sql = sqlCause(e);
      if (sql != null) {
        throw sql;
      }
      throw e;
    } finally {
      TransactionSynchronizationManager.unbindResource(dataSource);
    }
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** A connection holder that Spring's transaction manager sees as an active transaction. */
  private static final class ActiveHolder extends ConnectionHolder {
    ActiveHolder(Connection c) {
      super(c);
      setTransactionActive(true);
      setSynchronizedWithTransaction(true);
    }
  }

  /** Carries the result of a run that asked for a rollback through the commit. */
  private static final class RolledBack extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Object result;

    RolledBack(Object result) {
      super("rollback requested", null, false, false);
      this.result = result;
    }
  }
}

package io.ha4j.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/** A {@link Statement} of a {@link LentConnection}: errors and writes go to the lease. */
@SuppressWarnings("deprecation")
class LentStatement implements Statement {

  private final Statement target;
  final Proxies.Lease lease;
  final LentConnection connection;

  LentStatement(Statement target, Proxies.Lease lease, LentConnection connection) {
    this.target = target;
    this.lease = lease;
    this.connection = connection;
  }

  @Override
  public String toString() {
    return "ha4j statement on " + lease.node + " (" + target + ")";
  }

  @Override
  public ResultSet executeQuery(String a0) throws SQLException {
    try {
      return target.executeQuery(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int executeUpdate(String a0) throws SQLException {
    try {
      int r = target.executeUpdate(a0);
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      target.close();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    try {
      return target.getMaxFieldSize();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setMaxFieldSize(int a0) throws SQLException {
    try {
      target.setMaxFieldSize(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getMaxRows() throws SQLException {
    try {
      return target.getMaxRows();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setMaxRows(int a0) throws SQLException {
    try {
      target.setMaxRows(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setEscapeProcessing(boolean a0) throws SQLException {
    try {
      target.setEscapeProcessing(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    try {
      return target.getQueryTimeout();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setQueryTimeout(int a0) throws SQLException {
    try {
      target.setQueryTimeout(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void cancel() throws SQLException {
    try {
      target.cancel();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    try {
      return target.getWarnings();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void clearWarnings() throws SQLException {
    try {
      target.clearWarnings();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setCursorName(String a0) throws SQLException {
    try {
      target.setCursorName(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean execute(String a0) throws SQLException {
    try {
      boolean r = target.execute(a0);
      if (!r) {
        lease.wrote();
      }
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    try {
      return target.getResultSet();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getUpdateCount() throws SQLException {
    try {
      return target.getUpdateCount();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    try {
      return target.getMoreResults();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setFetchDirection(int a0) throws SQLException {
    try {
      target.setFetchDirection(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getFetchDirection() throws SQLException {
    try {
      return target.getFetchDirection();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setFetchSize(int a0) throws SQLException {
    try {
      target.setFetchSize(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getFetchSize() throws SQLException {
    try {
      return target.getFetchSize();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    try {
      return target.getResultSetConcurrency();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getResultSetType() throws SQLException {
    try {
      return target.getResultSetType();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void addBatch(String a0) throws SQLException {
    try {
      target.addBatch(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void clearBatch() throws SQLException {
    try {
      target.clearBatch();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int[] executeBatch() throws SQLException {
    try {
      int[] r = target.executeBatch();
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connection;
  }

  @Override
  public boolean getMoreResults(int a0) throws SQLException {
    try {
      return target.getMoreResults(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    try {
      return target.getGeneratedKeys();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int executeUpdate(String a0, int a1) throws SQLException {
    try {
      int r = target.executeUpdate(a0, a1);
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int executeUpdate(String a0, int[] a1) throws SQLException {
    try {
      int r = target.executeUpdate(a0, a1);
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int executeUpdate(String a0, String[] a1) throws SQLException {
    try {
      int r = target.executeUpdate(a0, a1);
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean execute(String a0, int a1) throws SQLException {
    try {
      boolean r = target.execute(a0, a1);
      if (!r) {
        lease.wrote();
      }
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean execute(String a0, int[] a1) throws SQLException {
    try {
      boolean r = target.execute(a0, a1);
      if (!r) {
        lease.wrote();
      }
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean execute(String a0, String[] a1) throws SQLException {
    try {
      boolean r = target.execute(a0, a1);
      if (!r) {
        lease.wrote();
      }
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    try {
      return target.getResultSetHoldability();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean isClosed() throws SQLException {
    try {
      return target.isClosed();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setPoolable(boolean a0) throws SQLException {
    try {
      target.setPoolable(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean isPoolable() throws SQLException {
    try {
      return target.isPoolable();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    try {
      target.closeOnCompletion();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    try {
      return target.isCloseOnCompletion();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    try {
      return target.getLargeUpdateCount();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setLargeMaxRows(long a0) throws SQLException {
    try {
      target.setLargeMaxRows(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    try {
      return target.getLargeMaxRows();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    try {
      long[] r = target.executeLargeBatch();
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public long executeLargeUpdate(String a0) throws SQLException {
    try {
      long r = target.executeLargeUpdate(a0);
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public long executeLargeUpdate(String a0, int a1) throws SQLException {
    try {
      long r = target.executeLargeUpdate(a0, a1);
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public long executeLargeUpdate(String a0, int[] a1) throws SQLException {
    try {
      long r = target.executeLargeUpdate(a0, a1);
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public long executeLargeUpdate(String a0, String[] a1) throws SQLException {
    try {
      long r = target.executeLargeUpdate(a0, a1);
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public String enquoteLiteral(String a0) throws SQLException {
    try {
      return target.enquoteLiteral(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public String enquoteIdentifier(String a0, boolean a1) throws SQLException {
    try {
      return target.enquoteIdentifier(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean isSimpleIdentifier(String a0) throws SQLException {
    try {
      return target.isSimpleIdentifier(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public String enquoteNCharLiteral(String a0) throws SQLException {
    try {
      return target.enquoteNCharLiteral(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public <T> T unwrap(Class<T> a0) throws SQLException {
    try {
      return target.unwrap(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean isWrapperFor(Class<?> a0) throws SQLException {
    try {
      return target.isWrapperFor(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }
}

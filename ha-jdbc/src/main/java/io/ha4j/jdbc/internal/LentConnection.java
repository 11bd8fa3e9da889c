package io.ha4j.jdbc.internal;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A pooled connection as ha4j lends it: every method delegates to the pool's connection; an {@link
 * SQLException} is shown to the lease first (see {@link Proxies}), a successful {@code commit()} is
 * reported as a write, and {@code close()} tells the lease before the connection goes back to the
 * pool. Its statements are wrapped the same way. A plain class rather than a {@link
 * java.lang.reflect.Proxy}: a borrow allocates one small object and every call is a direct one.
 */
@SuppressWarnings("deprecation")
final class LentConnection implements Connection {

  private final Connection target;
  final Proxies.Lease lease;

  LentConnection(Connection target, Proxies.Lease lease) {
    this.target = target;
    this.lease = lease;
  }

  @Override
  public String toString() {
    return "ha4j connection to " + lease.node + " (" + target + ")";
  }

  @Override
  public Statement createStatement() throws SQLException {
    try {
      return new LentStatement(target.createStatement(), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String a0) throws SQLException {
    try {
      return new LentPreparedStatement(target.prepareStatement(a0), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public CallableStatement prepareCall(String a0) throws SQLException {
    try {
      return new LentCallableStatement(target.prepareCall(a0), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public String nativeSQL(String a0) throws SQLException {
    try {
      return target.nativeSQL(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setAutoCommit(boolean a0) throws SQLException {
    try {
      target.setAutoCommit(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    try {
      return target.getAutoCommit();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void commit() throws SQLException {
    try {
      target.commit();
      lease.onWrite.run();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void rollback() throws SQLException {
    try {
      target.rollback();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      lease.onClose.accept(lease.broken);
      target.close();
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
  public DatabaseMetaData getMetaData() throws SQLException {
    try {
      return target.getMetaData();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setReadOnly(boolean a0) throws SQLException {
    try {
      target.setReadOnly(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    try {
      return target.isReadOnly();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setCatalog(String a0) throws SQLException {
    try {
      target.setCatalog(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public String getCatalog() throws SQLException {
    try {
      return target.getCatalog();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setTransactionIsolation(int a0) throws SQLException {
    try {
      target.setTransactionIsolation(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    try {
      return target.getTransactionIsolation();
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
  public Statement createStatement(int a0, int a1) throws SQLException {
    try {
      return new LentStatement(target.createStatement(a0, a1), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
    try {
      return new LentPreparedStatement(target.prepareStatement(a0, a1, a2), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
    try {
      return new LentCallableStatement(target.prepareCall(a0, a1, a2), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    try {
      return target.getTypeMap();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
    try {
      target.setTypeMap(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setHoldability(int a0) throws SQLException {
    try {
      target.setHoldability(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getHoldability() throws SQLException {
    try {
      return target.getHoldability();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    try {
      return target.setSavepoint();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Savepoint setSavepoint(String a0) throws SQLException {
    try {
      return target.setSavepoint(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void rollback(Savepoint a0) throws SQLException {
    try {
      target.rollback(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void releaseSavepoint(Savepoint a0) throws SQLException {
    try {
      target.releaseSavepoint(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Statement createStatement(int a0, int a1, int a2) throws SQLException {
    try {
      return new LentStatement(target.createStatement(a0, a1, a2), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
    try {
      return new LentPreparedStatement(target.prepareStatement(a0, a1, a2, a3), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
    try {
      return new LentCallableStatement(target.prepareCall(a0, a1, a2, a3), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
    try {
      return new LentPreparedStatement(target.prepareStatement(a0, a1), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
    try {
      return new LentPreparedStatement(target.prepareStatement(a0, a1), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
    try {
      return new LentPreparedStatement(target.prepareStatement(a0, a1), lease, this);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Clob createClob() throws SQLException {
    try {
      return target.createClob();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Blob createBlob() throws SQLException {
    try {
      return target.createBlob();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public NClob createNClob() throws SQLException {
    try {
      return target.createNClob();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    try {
      return target.createSQLXML();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean isValid(int a0) throws SQLException {
    try {
      return target.isValid(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
    target.setClientInfo(a0, a1);
  }

  @Override
  public void setClientInfo(Properties a0) throws SQLClientInfoException {
    target.setClientInfo(a0);
  }

  @Override
  public String getClientInfo(String a0) throws SQLException {
    try {
      return target.getClientInfo(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    try {
      return target.getClientInfo();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Array createArrayOf(String a0, Object[] a1) throws SQLException {
    try {
      return target.createArrayOf(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Struct createStruct(String a0, Object[] a1) throws SQLException {
    try {
      return target.createStruct(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setSchema(String a0) throws SQLException {
    try {
      target.setSchema(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public String getSchema() throws SQLException {
    try {
      return target.getSchema();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void abort(Executor a0) throws SQLException {
    try {
      target.abort(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
    try {
      target.setNetworkTimeout(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    try {
      return target.getNetworkTimeout();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void beginRequest() throws SQLException {
    try {
      target.beginRequest();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void endRequest() throws SQLException {
    try {
      target.endRequest();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
    try {
      return target.setShardingKeyIfValid(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
    try {
      return target.setShardingKeyIfValid(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
    try {
      target.setShardingKey(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setShardingKey(ShardingKey a0) throws SQLException {
    try {
      target.setShardingKey(a0);
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

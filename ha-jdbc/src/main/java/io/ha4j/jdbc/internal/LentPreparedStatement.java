package io.ha4j.jdbc.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/** A {@link PreparedStatement} of a {@link LentConnection}: errors and writes go to the lease. */
@SuppressWarnings("deprecation")
class LentPreparedStatement extends LentStatement implements PreparedStatement {

  private final PreparedStatement target;

  LentPreparedStatement(PreparedStatement target, Proxies.Lease lease, LentConnection connection) {
    super(target, lease, connection);
    this.target = target;
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    try {
      return target.executeQuery();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int executeUpdate() throws SQLException {
    try {
      int r = target.executeUpdate();
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNull(int a0, int a1) throws SQLException {
    try {
      target.setNull(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBoolean(int a0, boolean a1) throws SQLException {
    try {
      target.setBoolean(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setByte(int a0, byte a1) throws SQLException {
    try {
      target.setByte(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setShort(int a0, short a1) throws SQLException {
    try {
      target.setShort(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setInt(int a0, int a1) throws SQLException {
    try {
      target.setInt(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setLong(int a0, long a1) throws SQLException {
    try {
      target.setLong(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setFloat(int a0, float a1) throws SQLException {
    try {
      target.setFloat(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setDouble(int a0, double a1) throws SQLException {
    try {
      target.setDouble(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBigDecimal(int a0, BigDecimal a1) throws SQLException {
    try {
      target.setBigDecimal(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setString(int a0, String a1) throws SQLException {
    try {
      target.setString(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBytes(int a0, byte[] a1) throws SQLException {
    try {
      target.setBytes(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setDate(int a0, Date a1) throws SQLException {
    try {
      target.setDate(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setTime(int a0, Time a1) throws SQLException {
    try {
      target.setTime(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setTimestamp(int a0, Timestamp a1) throws SQLException {
    try {
      target.setTimestamp(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1, int a2) throws SQLException {
    try {
      target.setAsciiStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setUnicodeStream(int a0, InputStream a1, int a2) throws SQLException {
    try {
      target.setUnicodeStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1, int a2) throws SQLException {
    try {
      target.setBinaryStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void clearParameters() throws SQLException {
    try {
      target.clearParameters();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setObject(int a0, Object a1, int a2) throws SQLException {
    try {
      target.setObject(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setObject(int a0, Object a1) throws SQLException {
    try {
      target.setObject(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean execute() throws SQLException {
    try {
      boolean r = target.execute();
      if (!r) {
        lease.wrote();
      }
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void addBatch() throws SQLException {
    try {
      target.addBatch();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setCharacterStream(int a0, Reader a1, int a2) throws SQLException {
    try {
      target.setCharacterStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setRef(int a0, Ref a1) throws SQLException {
    try {
      target.setRef(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBlob(int a0, Blob a1) throws SQLException {
    try {
      target.setBlob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setClob(int a0, Clob a1) throws SQLException {
    try {
      target.setClob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setArray(int a0, Array a1) throws SQLException {
    try {
      target.setArray(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    try {
      return target.getMetaData();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setDate(int a0, Date a1, Calendar a2) throws SQLException {
    try {
      target.setDate(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setTime(int a0, Time a1, Calendar a2) throws SQLException {
    try {
      target.setTime(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setTimestamp(int a0, Timestamp a1, Calendar a2) throws SQLException {
    try {
      target.setTimestamp(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNull(int a0, int a1, String a2) throws SQLException {
    try {
      target.setNull(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setURL(int a0, URL a1) throws SQLException {
    try {
      target.setURL(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    try {
      return target.getParameterMetaData();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setRowId(int a0, RowId a1) throws SQLException {
    try {
      target.setRowId(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNString(int a0, String a1) throws SQLException {
    try {
      target.setNString(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNCharacterStream(int a0, Reader a1, long a2) throws SQLException {
    try {
      target.setNCharacterStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNClob(int a0, NClob a1) throws SQLException {
    try {
      target.setNClob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setClob(int a0, Reader a1, long a2) throws SQLException {
    try {
      target.setClob(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBlob(int a0, InputStream a1, long a2) throws SQLException {
    try {
      target.setBlob(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNClob(int a0, Reader a1, long a2) throws SQLException {
    try {
      target.setNClob(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setSQLXML(int a0, SQLXML a1) throws SQLException {
    try {
      target.setSQLXML(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setObject(int a0, Object a1, int a2, int a3) throws SQLException {
    try {
      target.setObject(a0, a1, a2, a3);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1, long a2) throws SQLException {
    try {
      target.setAsciiStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1, long a2) throws SQLException {
    try {
      target.setBinaryStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setCharacterStream(int a0, Reader a1, long a2) throws SQLException {
    try {
      target.setCharacterStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1) throws SQLException {
    try {
      target.setAsciiStream(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1) throws SQLException {
    try {
      target.setBinaryStream(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setCharacterStream(int a0, Reader a1) throws SQLException {
    try {
      target.setCharacterStream(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNCharacterStream(int a0, Reader a1) throws SQLException {
    try {
      target.setNCharacterStream(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setClob(int a0, Reader a1) throws SQLException {
    try {
      target.setClob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBlob(int a0, InputStream a1) throws SQLException {
    try {
      target.setBlob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNClob(int a0, Reader a1) throws SQLException {
    try {
      target.setNClob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setObject(int a0, Object a1, SQLType a2, int a3) throws SQLException {
    try {
      target.setObject(a0, a1, a2, a3);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setObject(int a0, Object a1, SQLType a2) throws SQLException {
    try {
      target.setObject(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    try {
      long r = target.executeLargeUpdate();
      lease.wrote();
      return r;
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }
}

package io.ha4j.jdbc.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/** A {@link CallableStatement} of a {@link LentConnection}: errors and writes go to the lease. */
@SuppressWarnings("deprecation")
final class LentCallableStatement extends LentPreparedStatement implements CallableStatement {

  private final CallableStatement target;

  LentCallableStatement(CallableStatement target, Proxies.Lease lease, LentConnection connection) {
    super(target, lease, connection);
    this.target = target;
  }

  @Override
  public void registerOutParameter(int a0, int a1) throws SQLException {
    try {
      target.registerOutParameter(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, int a1, int a2) throws SQLException {
    try {
      target.registerOutParameter(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean wasNull() throws SQLException {
    try {
      return target.wasNull();
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public String getString(int a0) throws SQLException {
    try {
      return target.getString(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean getBoolean(int a0) throws SQLException {
    try {
      return target.getBoolean(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public byte getByte(int a0) throws SQLException {
    try {
      return target.getByte(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public short getShort(int a0) throws SQLException {
    try {
      return target.getShort(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getInt(int a0) throws SQLException {
    try {
      return target.getInt(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public long getLong(int a0) throws SQLException {
    try {
      return target.getLong(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public float getFloat(int a0) throws SQLException {
    try {
      return target.getFloat(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public double getDouble(int a0) throws SQLException {
    try {
      return target.getDouble(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public BigDecimal getBigDecimal(int a0, int a1) throws SQLException {
    try {
      return target.getBigDecimal(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public byte[] getBytes(int a0) throws SQLException {
    try {
      return target.getBytes(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Date getDate(int a0) throws SQLException {
    try {
      return target.getDate(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Time getTime(int a0) throws SQLException {
    try {
      return target.getTime(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Timestamp getTimestamp(int a0) throws SQLException {
    try {
      return target.getTimestamp(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Object getObject(int a0) throws SQLException {
    try {
      return target.getObject(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public BigDecimal getBigDecimal(int a0) throws SQLException {
    try {
      return target.getBigDecimal(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Object getObject(int a0, Map<String, Class<?>> a1) throws SQLException {
    try {
      return target.getObject(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Ref getRef(int a0) throws SQLException {
    try {
      return target.getRef(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Blob getBlob(int a0) throws SQLException {
    try {
      return target.getBlob(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Clob getClob(int a0) throws SQLException {
    try {
      return target.getClob(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Array getArray(int a0) throws SQLException {
    try {
      return target.getArray(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Date getDate(int a0, Calendar a1) throws SQLException {
    try {
      return target.getDate(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Time getTime(int a0, Calendar a1) throws SQLException {
    try {
      return target.getTime(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Timestamp getTimestamp(int a0, Calendar a1) throws SQLException {
    try {
      return target.getTimestamp(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, int a1, String a2) throws SQLException {
    try {
      target.registerOutParameter(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(String a0, int a1) throws SQLException {
    try {
      target.registerOutParameter(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(String a0, int a1, int a2) throws SQLException {
    try {
      target.registerOutParameter(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(String a0, int a1, String a2) throws SQLException {
    try {
      target.registerOutParameter(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public URL getURL(int a0) throws SQLException {
    try {
      return target.getURL(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setURL(String a0, URL a1) throws SQLException {
    try {
      target.setURL(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNull(String a0, int a1) throws SQLException {
    try {
      target.setNull(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBoolean(String a0, boolean a1) throws SQLException {
    try {
      target.setBoolean(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setByte(String a0, byte a1) throws SQLException {
    try {
      target.setByte(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setShort(String a0, short a1) throws SQLException {
    try {
      target.setShort(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setInt(String a0, int a1) throws SQLException {
    try {
      target.setInt(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setLong(String a0, long a1) throws SQLException {
    try {
      target.setLong(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setFloat(String a0, float a1) throws SQLException {
    try {
      target.setFloat(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setDouble(String a0, double a1) throws SQLException {
    try {
      target.setDouble(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBigDecimal(String a0, BigDecimal a1) throws SQLException {
    try {
      target.setBigDecimal(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setString(String a0, String a1) throws SQLException {
    try {
      target.setString(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBytes(String a0, byte[] a1) throws SQLException {
    try {
      target.setBytes(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setDate(String a0, Date a1) throws SQLException {
    try {
      target.setDate(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setTime(String a0, Time a1) throws SQLException {
    try {
      target.setTime(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setTimestamp(String a0, Timestamp a1) throws SQLException {
    try {
      target.setTimestamp(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setAsciiStream(String a0, InputStream a1, int a2) throws SQLException {
    try {
      target.setAsciiStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBinaryStream(String a0, InputStream a1, int a2) throws SQLException {
    try {
      target.setBinaryStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setObject(String a0, Object a1, int a2, int a3) throws SQLException {
    try {
      target.setObject(a0, a1, a2, a3);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setObject(String a0, Object a1, int a2) throws SQLException {
    try {
      target.setObject(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setObject(String a0, Object a1) throws SQLException {
    try {
      target.setObject(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setCharacterStream(String a0, Reader a1, int a2) throws SQLException {
    try {
      target.setCharacterStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setDate(String a0, Date a1, Calendar a2) throws SQLException {
    try {
      target.setDate(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setTime(String a0, Time a1, Calendar a2) throws SQLException {
    try {
      target.setTime(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setTimestamp(String a0, Timestamp a1, Calendar a2) throws SQLException {
    try {
      target.setTimestamp(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNull(String a0, int a1, String a2) throws SQLException {
    try {
      target.setNull(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public String getString(String a0) throws SQLException {
    try {
      return target.getString(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public boolean getBoolean(String a0) throws SQLException {
    try {
      return target.getBoolean(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public byte getByte(String a0) throws SQLException {
    try {
      return target.getByte(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public short getShort(String a0) throws SQLException {
    try {
      return target.getShort(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public int getInt(String a0) throws SQLException {
    try {
      return target.getInt(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public long getLong(String a0) throws SQLException {
    try {
      return target.getLong(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public float getFloat(String a0) throws SQLException {
    try {
      return target.getFloat(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public double getDouble(String a0) throws SQLException {
    try {
      return target.getDouble(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public byte[] getBytes(String a0) throws SQLException {
    try {
      return target.getBytes(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Date getDate(String a0) throws SQLException {
    try {
      return target.getDate(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Time getTime(String a0) throws SQLException {
    try {
      return target.getTime(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Timestamp getTimestamp(String a0) throws SQLException {
    try {
      return target.getTimestamp(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Object getObject(String a0) throws SQLException {
    try {
      return target.getObject(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public BigDecimal getBigDecimal(String a0) throws SQLException {
    try {
      return target.getBigDecimal(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Object getObject(String a0, Map<String, Class<?>> a1) throws SQLException {
    try {
      return target.getObject(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Ref getRef(String a0) throws SQLException {
    try {
      return target.getRef(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Blob getBlob(String a0) throws SQLException {
    try {
      return target.getBlob(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Clob getClob(String a0) throws SQLException {
    try {
      return target.getClob(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Array getArray(String a0) throws SQLException {
    try {
      return target.getArray(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Date getDate(String a0, Calendar a1) throws SQLException {
    try {
      return target.getDate(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Time getTime(String a0, Calendar a1) throws SQLException {
    try {
      return target.getTime(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Timestamp getTimestamp(String a0, Calendar a1) throws SQLException {
    try {
      return target.getTimestamp(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public URL getURL(String a0) throws SQLException {
    try {
      return target.getURL(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public RowId getRowId(int a0) throws SQLException {
    try {
      return target.getRowId(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public RowId getRowId(String a0) throws SQLException {
    try {
      return target.getRowId(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setRowId(String a0, RowId a1) throws SQLException {
    try {
      target.setRowId(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNString(String a0, String a1) throws SQLException {
    try {
      target.setNString(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNCharacterStream(String a0, Reader a1, long a2) throws SQLException {
    try {
      target.setNCharacterStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNClob(String a0, NClob a1) throws SQLException {
    try {
      target.setNClob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setClob(String a0, Reader a1, long a2) throws SQLException {
    try {
      target.setClob(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBlob(String a0, InputStream a1, long a2) throws SQLException {
    try {
      target.setBlob(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNClob(String a0, Reader a1, long a2) throws SQLException {
    try {
      target.setNClob(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public NClob getNClob(int a0) throws SQLException {
    try {
      return target.getNClob(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public NClob getNClob(String a0) throws SQLException {
    try {
      return target.getNClob(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setSQLXML(String a0, SQLXML a1) throws SQLException {
    try {
      target.setSQLXML(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public SQLXML getSQLXML(int a0) throws SQLException {
    try {
      return target.getSQLXML(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public SQLXML getSQLXML(String a0) throws SQLException {
    try {
      return target.getSQLXML(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public String getNString(int a0) throws SQLException {
    try {
      return target.getNString(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public String getNString(String a0) throws SQLException {
    try {
      return target.getNString(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Reader getNCharacterStream(int a0) throws SQLException {
    try {
      return target.getNCharacterStream(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Reader getNCharacterStream(String a0) throws SQLException {
    try {
      return target.getNCharacterStream(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Reader getCharacterStream(int a0) throws SQLException {
    try {
      return target.getCharacterStream(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public Reader getCharacterStream(String a0) throws SQLException {
    try {
      return target.getCharacterStream(a0);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBlob(String a0, Blob a1) throws SQLException {
    try {
      target.setBlob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setClob(String a0, Clob a1) throws SQLException {
    try {
      target.setClob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setAsciiStream(String a0, InputStream a1, long a2) throws SQLException {
    try {
      target.setAsciiStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBinaryStream(String a0, InputStream a1, long a2) throws SQLException {
    try {
      target.setBinaryStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setCharacterStream(String a0, Reader a1, long a2) throws SQLException {
    try {
      target.setCharacterStream(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setAsciiStream(String a0, InputStream a1) throws SQLException {
    try {
      target.setAsciiStream(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBinaryStream(String a0, InputStream a1) throws SQLException {
    try {
      target.setBinaryStream(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setCharacterStream(String a0, Reader a1) throws SQLException {
    try {
      target.setCharacterStream(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNCharacterStream(String a0, Reader a1) throws SQLException {
    try {
      target.setNCharacterStream(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setClob(String a0, Reader a1) throws SQLException {
    try {
      target.setClob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setBlob(String a0, InputStream a1) throws SQLException {
    try {
      target.setBlob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setNClob(String a0, Reader a1) throws SQLException {
    try {
      target.setNClob(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public <T> T getObject(int a0, Class<T> a1) throws SQLException {
    try {
      return target.getObject(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public <T> T getObject(String a0, Class<T> a1) throws SQLException {
    try {
      return target.getObject(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setObject(String a0, Object a1, SQLType a2, int a3) throws SQLException {
    try {
      target.setObject(a0, a1, a2, a3);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void setObject(String a0, Object a1, SQLType a2) throws SQLException {
    try {
      target.setObject(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, SQLType a1) throws SQLException {
    try {
      target.registerOutParameter(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, SQLType a1, int a2) throws SQLException {
    try {
      target.registerOutParameter(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(int a0, SQLType a1, String a2) throws SQLException {
    try {
      target.registerOutParameter(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(String a0, SQLType a1) throws SQLException {
    try {
      target.registerOutParameter(a0, a1);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(String a0, SQLType a1, int a2) throws SQLException {
    try {
      target.registerOutParameter(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }

  @Override
  public void registerOutParameter(String a0, SQLType a1, String a2) throws SQLException {
    try {
      target.registerOutParameter(a0, a1, a2);
    } catch (SQLException e) {
      throw lease.failed(e);
    }
  }
}

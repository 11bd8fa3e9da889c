package io.ha4j.testkit.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Just enough of the MySQL client/server protocol to find a COMMIT in a client's stream: a packet
 * is a 3-byte little-endian payload length, a 1-byte sequence number and the payload; a {@code
 * COM_QUERY} payload is the byte 0x03 followed by the SQL text. Uncompressed, without TLS.
 */
public final class MysqlPackets {

  /** The command byte of {@code COM_QUERY}. */
  public static final int COM_QUERY = 0x03;

  /** Header bytes before each payload. */
  public static final int HEADER = 4;

  private MysqlPackets() {}

  /**
   * The next whole packet (header and payload) from {@code in}, or null at the end of the stream
   * before a packet started.
   *
   * @throws EOFException when the stream ends inside a packet
   */
  public static byte[] read(InputStream in) throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    byte[] header = new byte[HEADER];
    header[0] = (byte) b0;
    readFully(in, header, 1, HEADER - 1);
    int length = payloadLength(header);
    byte[] packet = new byte[HEADER + length];
    System.arraycopy(header, 0, packet, 0, HEADER);
    readFully(in, packet, HEADER, length);
    return packet;
  }

  /** The payload length a header announces. */
  public static int payloadLength(byte[] packet) {
    return (packet[0] & 0xff) | (packet[1] & 0xff) << 8 | (packet[2] & 0xff) << 16;
  }

  /**
   * Whether {@code packet} (header and payload) is a {@code COM_QUERY} whose text is {@code COMMIT}
   * (any case, surrounding blanks and a trailing semicolon allowed; not {@code COMMIT AND CHAIN} or
   * other statements that only start with it).
   */
  public static boolean isCommit(byte[] packet) {
    if (packet.length < HEADER + 1 || (packet[HEADER] & 0xff) != COM_QUERY) {
      return false;
    }
    int length = Math.min(payloadLength(packet), packet.length - HEADER);
    if (length > 64) {
      return false;
    }
    String sql =
        new String(packet, HEADER + 1, length - 1, StandardCharsets.UTF_8)
            .trim()
            .toUpperCase(Locale.ROOT);
    if (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1).trim();
    }
    return sql.equals("COMMIT") || sql.equals("COMMIT WORK");
  }

  /** A {@code COM_QUERY} packet with sequence number 0 for {@code sql}; for tests. */
  public static byte[] query(String sql) {
    byte[] text = sql.getBytes(StandardCharsets.UTF_8);
    int length = text.length + 1;
    byte[] p = new byte[HEADER + length];
    p[0] = (byte) length;
    p[1] = (byte) (length >> 8);
    p[2] = (byte) (length >> 16);
    p[3] = 0;
    p[HEADER] = COM_QUERY;
    System.arraycopy(text, 0, p, HEADER + 1, text.length);
    return p;
  }

  private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = in.read(b, off + done, len - done);
      if (n < 0) {
        throw new EOFException(
            "stream ended inside a MySQL packet: " + done + " of " + len + " bytes read");
      }
      done += n;
    }
  }
}

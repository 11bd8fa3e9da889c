package io.ha4j.testkit.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Checks that a port speaks AMQP 0-9-1: sends the protocol header and expects the broker's {@code
 * connection.start} method frame (class 10, method 10), then closes.
 */
public final class AmqpProbe {

  private AmqpProbe() {}

  /** Whether {@code host:port} answers the AMQP 0-9-1 header with connection.start. */
  public static boolean answers(String host, int port, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      OutputStream out = s.getOutputStream();
      out.write("AMQP".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0, 0, 9, 1});
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int type = in.readUnsignedByte();
      in.readUnsignedShort(); // channel
      in.readInt(); // payload size
      int classId = in.readUnsignedShort();
      int methodId = in.readUnsignedShort();
      return type == 1 && classId == 10 && methodId == 10;
    } catch (IOException e) {
      return false;
    }
  }
}

package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CuttableSocketsTest {

  @Test
  void cutReleasesAThreadBlockedInAReadAndOnlyTheTaggedPoolIsCut() throws Exception {
    String tag = CuttableSockets.newTag("test/a");
    String other = CuttableSockets.newTag("test/b");
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Socket blocked = factory(tag).createSocket(server.getInetAddress(), server.getLocalPort());
      Socket bystander =
          factory(other).createSocket(server.getInetAddress(), server.getLocalPort());
      try (Socket peer1 = server.accept();
          Socket peer2 = server.accept()) {
        assertThat(CuttableSockets.open(tag)).isEqualTo(1);
        // the peer never answers: without a cut this read would block for good (no timeout)
        CompletableFuture<Object> read =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return blocked.getInputStream().read();
                  } catch (IOException e) {
                    return e;
                  }
                });
        assertThat(CuttableSockets.cut(tag)).isEqualTo(1);
        assertThat(read.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(CuttableSockets.open(tag)).isZero();
        assertThat(bystander.isClosed()).isFalse();
        assertThat(CuttableSockets.open(other)).isEqualTo(1);
      } finally {
        bystander.close();
      }
      assertThat(CuttableSockets.open(other)).as("closing removes the socket").isZero();
    }
  }

  @Test
  void untaggedSocketsAreNotTracked() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Socket s = new CuttableSockets().createSocket("127.0.0.1", server.getLocalPort());
        Socket peer = server.accept()) {
      assertThat(s.isConnected()).isTrue();
      assertThat(CuttableSockets.cut("")).isZero();
      assertThat(s.isClosed()).isFalse();
    }
  }

  private static CuttableSockets factory(String tag) throws Exception {
    CuttableSockets f = new CuttableSockets();
    f.setConfiguration(
        org.mariadb.jdbc.Configuration.parse(
            "jdbc:mariadb://127.0.0.1:1/x?" + CuttableSockets.TAG_OPTION + "=" + tag),
        "127.0.0.1");
    return f;
  }
}

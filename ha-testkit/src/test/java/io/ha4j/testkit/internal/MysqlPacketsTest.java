package io.ha4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MysqlPacketsTest {

  @Test
  void packetsAreCutAtTheirAnnouncedLengthEvenWhenTheStreamDeliversOneByteAtATime()
      throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    byte[] begin = MysqlPackets.query("START TRANSACTION");
    byte[] commit = MysqlPackets.query("COMMIT");
    byte[] big = MysqlPackets.query("INSERT INTO t VALUES ('" + "x".repeat(70_000) + "')");
    wire.write(begin);
    wire.write(big);
    wire.write(commit);
    InputStream oneByteReads =
        new FilterInputStream(new ByteArrayInputStream(wire.toByteArray())) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
          }
        };

    byte[] p1 = MysqlPackets.read(oneByteReads);
    byte[] p2 = MysqlPackets.read(oneByteReads);
    byte[] p3 = MysqlPackets.read(oneByteReads);

    assertThat(p1).isEqualTo(begin);
    assertThat(p2).isEqualTo(big);
    assertThat(MysqlPackets.payloadLength(p2)).isEqualTo(big.length - 4).isGreaterThan(65_535);
    assertThat(p3).isEqualTo(commit);
    assertThat(MysqlPackets.read(oneByteReads)).isNull();
    assertThat(Arrays.asList(MysqlPackets.isCommit(p1), MysqlPackets.isCommit(p2)))
        .containsOnly(false);
    assertThat(MysqlPackets.isCommit(p3)).isTrue();
  }

  @Test
  void onlyACommitQueryIsACommit() {
    assertThat(MysqlPackets.isCommit(MysqlPackets.query(" commit ; "))).isTrue();
    assertThat(MysqlPackets.isCommit(MysqlPackets.query("COMMIT WORK"))).isTrue();
    assertThat(MysqlPackets.isCommit(MysqlPackets.query("COMMIT AND CHAIN"))).isFalse();
    assertThat(MysqlPackets.isCommit(MysqlPackets.query("ROLLBACK"))).isFalse();
    assertThat(MysqlPackets.isCommit(MysqlPackets.query("SELECT 'COMMIT'"))).isFalse();
    byte[] notAQuery = MysqlPackets.query("COMMIT");
    notAQuery[4] = 0x16; // COM_STMT_PREPARE
    assertThat(MysqlPackets.isCommit(notAQuery)).isFalse();
    assertThat(MysqlPackets.isCommit(new byte[] {1, 0, 0, 0})).isFalse();
  }

  @Test
  void aStreamEndingInsideAPacketIsAnError() {
    byte[] p = MysqlPackets.query("COMMIT");
    InputStream cut = new ByteArrayInputStream(Arrays.copyOf(p, p.length - 2));
    assertThatThrownBy(() -> MysqlPackets.read(cut))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("inside a MySQL packet");
  }
}

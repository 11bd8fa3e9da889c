package io.ha4j.amqp.internal;

import com.rabbitmq.client.ConfirmListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Consumer;

/**
 * Publisher confirms of one channel: its map from sequence number to message, acks that settle
 * messages and nacks handed on for a decision. Keys below 1 are messages waiting for a re-send, not
 * on this channel, and are never settled by an ack or nack of it.
 */
final class Confirms {

  private Confirms() {}

  /** A listener settling acks in {@code map} and handing nacked messages to {@code onNack}. */
  static ConfirmListener listener(
      NavigableMap<Long, PendingMessage> map, Consumer<List<PendingMessage>> onNack) {
    return new ConfirmListener() {
      @Override
      public void handleAck(long seq, boolean multiple) {
        for (PendingMessage p : take(map, seq, multiple)) {
          p.finish(null);
        }
      }

      @Override
      public void handleNack(long seq, boolean multiple) {
        onNack.accept(take(map, seq, multiple));
      }
    };
  }

  /** Removes and returns {@code seq} (and every lower sequence number when {@code multiple}). */
  static List<PendingMessage> take(
      NavigableMap<Long, PendingMessage> map, long seq, boolean multiple) {
    List<PendingMessage> taken = new ArrayList<>();
    if (multiple) {
      NavigableMap<Long, PendingMessage> head = map.subMap(1L, true, seq, true);
      for (Map.Entry<Long, PendingMessage> e; (e = head.pollFirstEntry()) != null; ) {
        taken.add(e.getValue());
      }
    } else {
      PendingMessage p = map.remove(seq);
      if (p != null) {
        taken.add(p);
      }
    }
    return taken;
  }
}

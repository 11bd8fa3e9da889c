package io.ha4j.oslo.internal;

import java.util.ArrayDeque;

/**
 * The last {@value #SIZE} {@code _unique_id}s a server acknowledged, as oslo's {@code _MsgIdCache}:
 * a redelivered message among them is dropped. Thread-safe.
 */
public final class DuplicateCache {

  /** oslo's {@code DUP_MSG_CHECK_SIZE}. */
  public static final int SIZE = 16;

  private final ArrayDeque<String> ids = new ArrayDeque<>(SIZE);

  /** Whether this id is among the last ones added. */
  public synchronized boolean contains(String id) {
    return id != null && ids.contains(id);
  }

  /** Remembers an id, forgetting the oldest beyond {@value #SIZE}. */
  public synchronized void add(String id) {
    if (id == null || ids.contains(id)) {
      return;
    }
    if (ids.size() == SIZE) {
      ids.removeFirst();
    }
    ids.addLast(id);
  }
}

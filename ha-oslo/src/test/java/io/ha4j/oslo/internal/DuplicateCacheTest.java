package io.ha4j.oslo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DuplicateCacheTest {

  @Test
  void remembersTheLastSixteenIds() {
    DuplicateCache c = new DuplicateCache();
    for (int i = 0; i < 17; i++) {
      c.add("id" + i);
    }

    assertThat(c.contains("id0")).isFalse();
    assertThat(c.contains("id1")).isTrue();
    assertThat(c.contains("id16")).isTrue();
    assertThat(c.contains(null)).isFalse();
  }
}

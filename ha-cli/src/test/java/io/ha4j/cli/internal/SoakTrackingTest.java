package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stall and writer-disagreement clocks of {@code ha4j soak}, on given times. */
class SoakTrackingTest {

  private static final long MS = 1_000_000L;

  @Test
  void stallIsTheLongestGapBetweenEvents() {
    SoakTracking.Stall s = new SoakTracking.Stall(0);
    s.mark(100 * MS);
    s.mark(150 * MS);
    s.mark(1_450 * MS);
    s.mark(1_500 * MS);

    assertThat(s.maxMillis(1_600 * MS)).isEqualTo(1_300);
    assertThat(s.events()).isEqualTo(4);
  }

  @Test
  void aGapStillOpenAtTheEndCounts() {
    SoakTracking.Stall s = new SoakTracking.Stall(0);
    s.mark(10 * MS);

    assertThat(s.maxMillis(5_010 * MS)).isEqualTo(5_000);
  }

  @Test
  void aClientThatNeverSucceedsStallsFromTheStart() {
    SoakTracking.Stall s = new SoakTracking.Stall(1_000 * MS);

    assertThat(s.maxMillis(3_000 * MS)).isEqualTo(2_000);
    assertThat(s.events()).isZero();
  }

  @Test
  void eventsOutOfOrderDoNotShortenTheClock() {
    SoakTracking.Stall s = new SoakTracking.Stall(0);
    s.mark(900 * MS);
    s.mark(400 * MS);

    assertThat(s.maxMillis(900 * MS)).isEqualTo(900);
  }

  @Test
  void disagreementLastsFromTheFirstSampleThatSawItToTheFirstThatDidNot() {
    SoakTracking.WriterDisagreement d = new SoakTracking.WriterDisagreement();
    d.observe(0, List.of(Optional.of("a"), Optional.of("a")));
    d.observe(50 * MS, List.of(Optional.of("a"), Optional.of("b")));
    assertThat(d.disagreeing()).isTrue();
    d.observe(100 * MS, List.of(Optional.of("b"), Optional.of("a")));
    d.observe(150 * MS, List.of(Optional.of("b"), Optional.of("b")));

    assertThat(d.disagreeing()).isFalse();
    assertThat(d.longestMillis()).isEqualTo(100);
  }

  @Test
  void theLongestOfSeveralDisagreementsWins() {
    SoakTracking.WriterDisagreement d = new SoakTracking.WriterDisagreement();
    d.observe(0, List.of(Optional.of("a"), Optional.of("b")));
    d.observe(50 * MS, List.of(Optional.of("a"), Optional.of("a")));
    d.observe(1_000 * MS, List.of(Optional.of("a"), Optional.of("c")));
    d.observe(1_300 * MS, List.of(Optional.of("c"), Optional.of("c")));

    assertThat(d.longestMillis()).isEqualTo(300);
  }

  @Test
  void anInstanceWithoutWriterDisagreesWithNobody() {
    SoakTracking.WriterDisagreement d = new SoakTracking.WriterDisagreement();
    d.observe(0, List.of(Optional.of("a"), Optional.empty(), Optional.of("a")));
    d.observe(500 * MS, List.of(Optional.empty(), Optional.empty(), Optional.of("b")));
    d.observe(900 * MS, List.of(Optional.of("b"), Optional.of("b"), Optional.of("b")));

    assertThat(d.disagreeing()).isFalse();
    assertThat(d.longestMillis()).isZero();
  }

  @Test
  void aDisagreementStillGoingCountsUpToTheLastSample() {
    SoakTracking.WriterDisagreement d = new SoakTracking.WriterDisagreement();
    d.observe(0, List.of(Optional.of("a"), Optional.of("b")));
    d.observe(700 * MS, List.of(Optional.of("a"), Optional.of("b")));

    assertThat(d.disagreeing()).isTrue();
    assertThat(d.longestMillis()).isEqualTo(700);
  }
}

package io.ha4j.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builders of {@link PublisherOptions}, {@link QueueSpec} and {@link ExchangeSpec}. */
class BuildersTest {

  @Test
  void publisherOptionsBuilderStartsFromTheDefaultsAndRoundTrips() {
    PublisherOptions o =
        PublisherOptions.builder()
            .maxInFlight(10)
            .mandatory(true)
            .blockedTimeout(Duration.ofSeconds(5))
            .closeTimeout(Duration.ofSeconds(1))
            .nackResends(0)
            .confirmTimeout(Duration.ofSeconds(7))
            .lanes(3)
            .build();

    assertThat(PublisherOptions.builder().build()).isEqualTo(PublisherOptions.ofDefaults());
    assertThat(o)
        .isEqualTo(
            new PublisherOptions(
                10,
                true,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                0,
                Duration.ofSeconds(7),
                3));
    assertThat(new PublisherOptions(10, true, Duration.ofSeconds(5), Duration.ofSeconds(1), 0))
        .isEqualTo(
            o.toBuilder()
                .confirmTimeout(PublisherOptions.DEFAULT_CONFIRM_TIMEOUT)
                .lanes(PublisherOptions.DEFAULT_LANES)
                .build());
    assertThat(o.toBuilder().build()).isEqualTo(o);
    assertThat(o.toBuilder().maxInFlight(3).build().maxInFlight()).isEqualTo(3);
  }

  @Test
  void publisherOptionsBuilderRejectsBadValuesNamingThePropertyAndTheValue() {
    PublisherOptions.Builder b = PublisherOptions.builder();

    assertThatThrownBy(() -> b.maxInFlight(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxInFlight must be >= 1, was 0");
    assertThatThrownBy(() -> b.nackResends(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nackResends must be >= 0, was -1");
    assertThatThrownBy(() -> b.blockedTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("blockedTimeout must not be negative, was PT-1S");
    assertThatThrownBy(() -> b.closeTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("closeTimeout");
    assertThatThrownBy(() -> b.confirmTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confirmTimeout must not be negative, was PT-0.001S");
    assertThatThrownBy(() -> b.lanes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lanes must be between 1 and 256, was 0");
    assertThat(b.build()).isEqualTo(PublisherOptions.ofDefaults());
  }

  @Test
  void queueSpecBuilderCopiesArgumentsAndRoundTrips() {
    Map<String, Object> args = new HashMap<>();
    args.put("x-queue-type", "quorum");
    QueueSpec q = QueueSpec.builder().name("jobs").durable(true).arguments(args).build();
    args.put("x-late", 1);

    assertThat(q).isEqualTo(new QueueSpec("jobs", true, false, Map.of("x-queue-type", "quorum")));
    assertThat(q.toBuilder().argument("x-delivery-limit", 5).build().arguments())
        .containsExactly(Map.entry("x-queue-type", "quorum"), Map.entry("x-delivery-limit", 5));
    assertThat(q.toBuilder().build()).isEqualTo(q);
  }

  @Test
  void queueSpecBuilderRejectsBadValues() {
    QueueSpec.Builder b = QueueSpec.builder();

    assertThatThrownBy(() -> b.name(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
    assertThatThrownBy(() -> b.name(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queue name must not be empty, was ''");
    assertThatThrownBy(() -> b.argument("x-expires", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value of argument x-expires");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("name");
  }

  @Test
  void exchangeSpecBuilderDefaultsToTopicAndRejectsBadValues() {
    ExchangeSpec e = ExchangeSpec.builder().name("openstack").durable(true).build();

    assertThat(e).isEqualTo(new ExchangeSpec("openstack", "topic", true, false));
    assertThat(e.toBuilder().type("fanout").build().type()).isEqualTo("fanout");
    assertThatThrownBy(() -> ExchangeSpec.builder().name(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was ''");
    assertThatThrownBy(() -> ExchangeSpec.builder().type(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("exchange type must not be blank, was ' '");
    assertThatThrownBy(() -> ExchangeSpec.builder().type(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
    assertThatThrownBy(() -> ExchangeSpec.builder().build())
        .isInstanceOf(IllegalStateException.class);
  }
}

package io.ha4j.oslo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclarationsTest {

  private static final AmqpSettings DEFAULTS = AmqpSettings.ofDefaults();

  @Test
  void defaultsDeclareTransientTopicEntitiesWithoutArguments() {
    assertThat(Declarations.topicExchange("openstack", DEFAULTS))
        .isEqualTo(new ExchangeSpec("openstack", "topic", false, false));
    assertThat(Declarations.topicQueue("calc", DEFAULTS))
        .isEqualTo(new QueueSpec("calc", false, false, Map.of()));
  }

  @Test
  void durableAndAutoDeleteOptionsApplyToExchangeAndQueue() {
    AmqpSettings s = AmqpSettings.builder().durableQueues(true).autoDelete(true).build();

    assertThat(Declarations.topicExchange("x", s))
        .isEqualTo(new ExchangeSpec("x", "topic", true, true));
    QueueSpec q = Declarations.topicQueue("calc", s);
    assertThat(q.durable()).isTrue();
    assertThat(q.autoDelete()).isTrue();
  }

  @Test
  void quorumMakesTopicQueuesDurableQuorumWithTheirLimitsInOslosOrder() {
    AmqpSettings s =
        AmqpSettings.builder()
            .quorumQueue(true)
            .quorumDeliveryLimit(5)
            .quorumMaxMemoryLength(100)
            .quorumMaxMemoryBytes(1_000_000)
            .build();

    QueueSpec q = Declarations.topicQueue("calc", s);

    assertThat(q.durable()).isTrue();
    assertThat(List.copyOf(q.arguments().keySet()))
        .containsExactly(
            "x-queue-type", "x-delivery-limit", "x-max-in-memory-length", "x-max-in-memory-bytes");
    assertThat(q.arguments())
        .containsEntry("x-queue-type", "quorum")
        .containsEntry("x-delivery-limit", 5)
        .containsEntry("x-max-in-memory-length", 100)
        .containsEntry("x-max-in-memory-bytes", 1_000_000);
    assertThat(Declarations.topicExchange("openstack", s).durable()).isTrue();
  }

  @Test
  void replyAndFanoutQueuesAreNeverQuorumAndExpire() {
    AmqpSettings s =
        AmqpSettings.builder()
            .quorumQueue(true)
            .transientQueuesTtl(Duration.ofSeconds(600))
            .build();

    QueueSpec reply = Declarations.replyQueue("reply_x", s);
    QueueSpec fanout = Declarations.fanoutQueue("calc_fanout_x", s);

    assertThat(reply)
        .isEqualTo(new QueueSpec("reply_x", false, false, Map.of("x-expires", 600_000)));
    assertThat(fanout.arguments()).isEqualTo(Map.of("x-expires", 600_000));
    assertThat(Declarations.fanoutExchange("calc"))
        .isEqualTo(new ExchangeSpec("calc_fanout", "fanout", false, true));
  }

  @Test
  void haQueuesAddTheLegacyPolicyArgumentEverywhere() {
    AmqpSettings s = AmqpSettings.builder().haQueues(true).build();

    assertThat(Declarations.topicQueue("calc", s).arguments())
        .isEqualTo(Map.of("x-ha-policy", "all"));
    assertThat(List.copyOf(Declarations.replyQueue("reply_x", s).arguments().keySet()))
        .containsExactly("x-ha-policy", "x-expires");
  }
}

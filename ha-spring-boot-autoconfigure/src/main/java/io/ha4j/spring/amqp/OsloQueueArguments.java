package io.ha4j.spring.amqp;

import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives {@link Queue} beans oslo.messaging's declaration options where they set none of their own:
 * a shared queue (neither exclusive nor auto-delete) becomes durable when {@code
 * amqp_durable_queues} or {@code rabbit_quorum_queue} says so and gets {@code x-queue-type: quorum}
 * with its limits or {@code x-ha-policy: all} unless it names a queue type or HA policy itself; an
 * exclusive or auto-delete queue gets oslo's {@code x-expires} ({@code
 * rabbit_transient_queues_ttl}) unless it has one.
 */
final class OsloQueueArguments implements BeanPostProcessor {

  private static final String TYPE = "x-queue-type";
  private static final String HA = "x-ha-policy";
  private static final String EXPIRES = "x-expires";

  private final Supplier<AmqpSettings> settings;

  OsloQueueArguments(Supplier<AmqpSettings> settings) {
    this.settings = settings;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof Queue q) {
      return apply(q, settings.get());
    }
    return bean;
  }

  static Queue apply(Queue q, AmqpSettings s) {
    Map<String, Object> args = q.getArguments();
    if (q.isExclusive() || q.isAutoDelete()) {
      if (!args.containsKey(EXPIRES)) {
        q.addArgument(EXPIRES, QueueSpec.transientQueue(q.getName(), s).arguments().get(EXPIRES));
      }
      return q;
    }
    QueueSpec oslo = QueueSpec.of(q.getName(), s);
    boolean ownType = args.containsKey(TYPE) || args.containsKey(HA);
    boolean durable = q.isDurable() || (!ownType && oslo.durable());
    if (ownType && durable == q.isDurable()) {
      return q;
    }
    Map<String, Object> merged = new LinkedHashMap<>(args);
    if (!ownType) {
      oslo.arguments().forEach(merged::putIfAbsent);
    }
    if (durable == q.isDurable()) {
      merged.forEach((k, v) -> q.getArguments().putIfAbsent(k, v));
      return q;
    }
    Queue copy = new Queue(q.getName(), true, false, false, merged);
    copy.setShouldDeclare(q.shouldDeclare());
    copy.setIgnoreDeclarationExceptions(q.isIgnoreDeclarationExceptions());
    if (!q.getDeclaringAdmins().isEmpty()) {
      copy.setAdminsThatShouldDeclare(q.getDeclaringAdmins().toArray());
    }
    return copy;
  }
}

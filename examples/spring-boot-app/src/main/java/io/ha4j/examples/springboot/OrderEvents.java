package io.ha4j.examples.springboot;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes an order event and waits for the broker's confirm; a message the broker did not confirm
 * (its connection died first, or it was nacked) is sent again: at least once.
 */
@Component
public class OrderEvents {

  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);

  private final RabbitTemplate rabbit;

  /**
   * The publisher.
   *
   * @param rabbit Boot's RabbitTemplate (publisher confirms and returns are on)
   */
  public OrderEvents(RabbitTemplate rabbit) {
    this.rabbit = rabbit;
  }

  /**
   * Sends the event of order {@code id} until the broker confirms it.
   *
   * @param id the order id
   * @throws IllegalStateException when the event is unroutable or not confirmed in time
   */
  public void publishConfirmed(long id) {
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    for (int attempt = 1; ; attempt++) {
      CorrelationData cd = new CorrelationData(id + "#" + attempt);
      String last;
      try {
        rabbit.convertAndSend("", OrdersApplication.EVENTS, Long.toString(id), cd);
        CorrelationData.Confirm confirm =
            cd.getFuture().get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (cd.getReturned() != null) {
          throw new IllegalStateException("event of order " + id + " is unroutable");
        }
        if (confirm.ack()) {
          return;
        }
        last = "nack: " + confirm.reason();
      } catch (AmqpException | ExecutionException | TimeoutException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing order " + id, e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "event of order " + id + " not confirmed after " + attempt + " attempts: " + last);
      }
    }
  }
}

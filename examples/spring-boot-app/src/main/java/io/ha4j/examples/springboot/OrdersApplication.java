package io.ha4j.examples.springboot;

import org.springframework.amqp.core.Queue;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An orders service written with plain Spring idioms; ha4j's starter puts Galera's single writer
 * with oslo.db retries under its DataSource and kombu's host list and schedule under its RabbitMQ
 * connection. Run with {@code java -jar ha4j-spring-boot-app.jar --ha4j.config-files=FILE}.
 */
@SpringBootApplication
public class OrdersApplication {

  /** The queue order events go to (default exchange, routing key = queue name). */
  public static final String EVENTS = "orders.events";

  /**
   * The events queue; ha4j gives it oslo's declaration options ({@code rabbit_quorum_queue} …).
   *
   * @return the queue
   */
  @Bean
  public Queue ordersEvents() {
    return new Queue(EVENTS);
  }

  /**
   * Starts the service.
   *
   * @param args Spring Boot arguments, e.g. {@code --ha4j.config-files=service.conf}
   */
  public static void main(String[] args) {
    SpringApplication.run(OrdersApplication.class, args);
  }
}

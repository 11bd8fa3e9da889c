package io.ha4j.examples.springboot;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records every consumed order event; a failure requeues the message (redelivered later), so an
 * event can be recorded twice but never lost.
 */
@Component
public class OrderEventsListener {

  private final JdbcTemplate jdbc;

  /**
   * The listener.
   *
   * @param jdbc the JdbcTemplate on the Galera DataSource
   */
  public OrderEventsListener(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * One event.
   *
   * @param orderId the order id
   */
  @RabbitListener(queues = OrdersApplication.EVENTS)
  public void onEvent(String orderId) {
    jdbc.update("INSERT INTO consumed (order_id) VALUES (?)", Long.parseLong(orderId));
  }
}

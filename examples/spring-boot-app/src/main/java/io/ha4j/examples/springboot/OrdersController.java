package io.ha4j.examples.springboot;

import io.ha4j.spring.jdbc.GaleraTransactionTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders} and {@code GET /orders/stats}. */
@RestController
public class OrdersController {

  private final GaleraTransactionTemplate tx;
  private final JdbcTemplate jdbc;
  private final OrderEvents events;

  /**
   * The controller.
   *
   * @param tx units of work with Galera retries
   * @param jdbc the JdbcTemplate on the Galera DataSource
   * @param events confirmed publishing of order events
   */
  public OrdersController(GaleraTransactionTemplate tx, JdbcTemplate jdbc, OrderEvents events) {
    this.tx = tx;
    this.jdbc = jdbc;
    this.events = events;
  }

  /**
   * Inserts an order, publishes its event, and answers 201 with its id only after the commit and
   * the broker's confirm.
   *
   * @param body {@code {"item": "…"}}
   * @return {@code 201 {"id": N}}, or 400 without an item
   */
  @PostMapping("/orders")
  public ResponseEntity<Map<String, Object>> create(@RequestBody Map<String, String> body) {
    String item = body == null ? null : body.get("item");
    if (item == null || item.isBlank()) {
      return ResponseEntity.badRequest().body(Map.of("error", "item is required"));
    }
    String requestId = UUID.randomUUID().toString();
    // idempotent: a re-run after a COMMIT whose outcome is unknown finds its own row
    Long id =
        tx.executeIdempotent(
            status -> {
              List<Long> done =
                  jdbc.queryForList(
                      "SELECT id FROM orders WHERE request_id = ?", Long.class, requestId);
              if (!done.isEmpty()) {
                return done.get(0);
              }
              jdbc.update("INSERT INTO orders (request_id, item) VALUES (?, ?)", requestId, item);
              return jdbc.queryForObject("SELECT LAST_INSERT_ID()", Long.class);
            });
    events.publishConfirmed(id);
    return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", id));
  }

  /**
   * Rows, consumed events and distinct consumed order ids.
   *
   * @return {@code {"rows": R, "consumed": C, "distinct_consumed": D}}
   */
  @GetMapping("/orders/stats")
  public Map<String, Long> stats() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("rows", jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class));
    m.put("consumed", jdbc.queryForObject("SELECT COUNT(*) FROM consumed", Long.class));
    m.put(
        "distinct_consumed",
        jdbc.queryForObject("SELECT COUNT(DISTINCT order_id) FROM consumed", Long.class));
    return m;
  }
}

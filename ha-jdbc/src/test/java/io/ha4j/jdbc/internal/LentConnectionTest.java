package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The delegating wrappers {@link Proxies#connection} lends, on a fake driver connection. */
class LentConnectionTest {

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<SQLException> errors = new ArrayList<>();
  private final AtomicInteger writes = new AtomicInteger();
  private final Boolean[] brokenOnClose = new Boolean[1];

  private final SQLException lost =
      new SQLNonTransientConnectionException("Connection reset", "08000", 2013);

  /** A fake statement: {@code execute("select")} returns a result set, executeQuery fails. */
  private <T extends Statement> T statement(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {type},
            (p, m, args) -> {
              calls.add(type.getSimpleName() + "." + m.getName());
              if (m.getName().equals("executeQuery")) {
                throw lost;
              }
              return switch (m.getName()) {
                case "executeUpdate" -> 3;
                case "execute" -> args != null && "select".equals(args[0]);
                case "executeBatch" -> new int[] {1, 1};
                default -> null;
              };
            }));
  }

  private Connection raw() {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (p, m, args) -> {
              calls.add("Connection." + m.getName());
              return switch (m.getName()) {
                case "prepareStatement" -> statement(PreparedStatement.class);
                case "prepareCall" -> statement(CallableStatement.class);
                case "createStatement" -> statement(Statement.class);
                case "getAutoCommit" -> true;
                case "toString" -> "raw";
                default -> null;
              };
            });
  }

  private Connection lend() {
    return Proxies.connection(
        raw(), "n:1", errors::add, b -> brokenOnClose[0] = b, writes::incrementAndGet);
  }

  @Test
  void preparedAndCallableStatementsKeepTheirTypeAndReportWritesInAutoCommit() throws SQLException {
    Connection c = lend();

    PreparedStatement ps = c.prepareStatement("UPDATE t SET v = ?");
    CallableStatement cs = c.prepareCall("{call p()}");
    assertThat(ps.executeUpdate()).isEqualTo(3);
    assertThat(cs.executeBatch()).containsExactly(1, 1);
    assertThat(cs.execute("select")).as("a query").isTrue();
    assertThat(writes.get()).as("the update and the batch, not the query").isEqualTo(2);
    assertThat(ps.getConnection()).as("the lent connection, not the pool's").isSameAs(c);
    assertThat(cs).isInstanceOf(CallableStatement.class);
  }

  @Test
  void anErrorOfAPreparedStatementReachesTheMonitorAndTheCallerAndBreaksTheLease()
      throws SQLException {
    Connection c = lend();
    PreparedStatement ps = c.prepareStatement("SELECT 1");

    SQLException thrown = catchThrowableOfType(SQLException.class, ps::executeQuery);
    c.close();

    assertThat((Object) thrown).as("unchanged").isSameAs(lost);
    assertThat(errors).containsExactly(lost);
    assertThat(brokenOnClose[0]).isTrue();
    assertThat(calls).endsWith("Connection.close");
  }

  @Test
  void closeTellsTheLeaseBeforeTheConnectionGoesBackAndTheNodeIsKnown() throws SQLException {
    Connection c = lend();
    calls.clear();
    boolean[] closedFirst = new boolean[1];
    Connection lent =
        Proxies.connection(
            raw(),
            "n:2",
            errors::add,
            b -> closedFirst[0] = calls.contains("Connection.close"),
            () -> {});

    lent.close();

    assertThat(closedFirst[0]).as("the pool's connection was still open").isFalse();
    assertThat(calls).containsExactly("Connection.close");
    assertThat(Proxies.nodeOf(c)).isEqualTo("n:1");
    assertThat(Proxies.nodeOf(lent)).isEqualTo("n:2");
    assertThat(Proxies.nodeOf(raw())).isNull();
    assertThat(c.toString()).contains("n:1").contains("raw");
  }
}

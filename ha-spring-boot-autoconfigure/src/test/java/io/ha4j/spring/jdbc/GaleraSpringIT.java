package io.ha4j.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.spring.Ha4jAutoConfiguration;
import io.ha4j.spring.actuate.Ha4jHealthContributorAutoConfiguration;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.LocalClusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The Galera DataSource and GaleraTransactionTemplate in a Spring context on a real cluster. */
@ExtendWith(LocalClusters.class)
class GaleraSpringIT {

  private static ApplicationContextRunner runner(GaleraCluster galera) {
    List<String> nodes = new ArrayList<>();
    galera.nodes().forEach(n -> nodes.add(n.address() + ":" + n.port()));
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                Ha4jAutoConfiguration.class,
                Ha4jJdbcAutoConfiguration.class,
                DataSourceAutoConfiguration.class,
                DataSourceTransactionManagerAutoConfiguration.class,
                JdbcTemplateAutoConfiguration.class,
                Ha4jHealthContributorAutoConfiguration.class))
        .withPropertyValues(
            "ha4j.database.connection=mysql+pymysql://"
                + galera.user()
                + ":"
                + galera.password()
                + "@"
                + String.join(",", nodes)
                + "/"
                + galera.database(),
            "ha4j.database.db-retry-interval=0");
  }

  @Test
  void unitsOfWorkRunJdbcTemplateAndNestedTransactionsOnOneWriterConnection(GaleraCluster galera) {
    runner(galera)
        .run(
            context -> {
              JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
              GaleraTransactionTemplate galeraTx = context.getBean(GaleraTransactionTemplate.class);
              TransactionTemplate nested =
                  new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
              LazyGaleraDataSource ds = context.getBean(LazyGaleraDataSource.class);
              jdbc.execute("CREATE TABLE IF NOT EXISTS spring_it (id INT PRIMARY KEY, v INT)");
              jdbc.update("DELETE FROM spring_it");
              assertThat(ds.isStarted()).isTrue();

              // when: a unit of work with JdbcTemplate and a nested @Transactional-style block
              List<Long> connectionIds =
                  galeraTx.execute(
                      status -> {
                        jdbc.update("INSERT INTO spring_it VALUES (1, 10)");
                        long outer = jdbc.queryForObject("SELECT CONNECTION_ID()", Long.class);
                        long inner =
                            nested.execute(
                                s -> {
                                  jdbc.update("INSERT INTO spring_it VALUES (2, 20)");
                                  return jdbc.queryForObject("SELECT CONNECTION_ID()", Long.class);
                                });
                        return List.of(outer, inner);
                      });

              // then: one connection, one commit
              assertThat(connectionIds.get(0)).isEqualTo(connectionIds.get(1));
              assertThat(jdbc.queryForObject("SELECT SUM(v) FROM spring_it", Integer.class))
                  .isEqualTo(30);

              // a unit of work that asks for a rollback leaves nothing
              Integer r =
                  galeraTx.execute(
                      status -> {
                        jdbc.update("INSERT INTO spring_it VALUES (3, 30)");
                        status.setRollbackOnly();
                        return 7;
                      });
              assertThat(r).isEqualTo(7);
              assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM spring_it", Integer.class))
                  .isEqualTo(2);

              // an error that retrying cannot fix arrives as Spring's exception, at once
              assertThatThrownBy(
                      () ->
                          galeraTx.executeWithoutResult(
                              status -> jdbc.update("INSERT INTO spring_it VALUES (1, 99)")))
                  .isInstanceOf(DuplicateKeyException.class);
              assertThat(ds.galera().retries().values()).allMatch(n -> n == 0);

              // health: the writer and every node's wsrep state
              Health h =
                  context.getBean("ha4jGaleraHealthIndicator", HealthIndicator.class).health();
              assertThat(h.getStatus()).isEqualTo(Status.UP);
              assertThat(h.getDetails().get("writer")).isEqualTo(ds.writer().orElseThrow());
              @SuppressWarnings("unchecked")
              Map<String, Map<String, Object>> nodes =
                  (Map<String, Map<String, Object>>) h.getDetails().get("nodes");
              assertThat(nodes).hasSize(3);
              assertThat(nodes.values()).allMatch(n -> "Synced".equals(n.get("wsrepState")));
              assertThat(h.toString()).doesNotContain(galera.password());
            });
  }

  @Test
  void aUnitOfWorkIsReRunOnTheNewWriterWhenTheWriterDies(GaleraCluster galera) {
    runner(galera)
        .run(
            context -> {
              JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
              GaleraTransactionTemplate galeraTx = context.getBean(GaleraTransactionTemplate.class);
              LazyGaleraDataSource ds = context.getBean(LazyGaleraDataSource.class);
              jdbc.execute("CREATE TABLE IF NOT EXISTS spring_it2 (id INT PRIMARY KEY)");
              jdbc.update("DELETE FROM spring_it2");
              String writer = ds.writer().orElseThrow();
              int[] runs = {0};

              // when: the writer is killed inside the first run, before COMMIT
              galeraTx.execute(
                  status -> {
                    jdbc.update("INSERT INTO spring_it2 VALUES (1)");
                    if (runs[0]++ == 0) {
                      galera.nodes().stream()
                          .filter(n -> (n.address() + ":" + n.port()).equals(writer))
                          .findFirst()
                          .orElseThrow()
                          .kill();
                      jdbc.queryForObject("SELECT COUNT(*) FROM spring_it2", Integer.class);
                    }
                    return null;
                  });

              // then: re-run once on another node, committed once
              assertThat(runs[0]).isEqualTo(2);
              assertThat(ds.writer()).get().isNotEqualTo(writer);
              assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM spring_it2", Integer.class))
                  .isEqualTo(1);
            });
  }
}

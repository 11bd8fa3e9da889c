package io.ha4j.testkit;

import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests a {@link RabbitCluster} or {@link GaleraCluster} parameter.
 * Each kind is started once per test run (on first use) with {@link TestKit#defaultNodes()} nodes,
 * shared by every test class of the run, restored to healthy after each test, and stopped when the
 * run ends (or, if the JVM dies, by the next run).
 *
 * <pre>{@code
 * @ExtendWith(LocalClusters.class)
 * class FailoverIT {
 *   @Test
 *   void survivesKill(RabbitCluster rabbit) { rabbit.node(1).kill(); … }
 * }
 * }</pre>
 *
 * <p>A test that needs a server which is not installed fails with a message saying how to install
 * it; it is never skipped.
 *
 * @since 0.1.0
 */
public final class LocalClusters implements ParameterResolver, AfterEachCallback {

  /** Time allowed to restore a cluster to healthy after a test. */
  public static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(3);

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(LocalClusters.class);

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> t = pc.getParameter().getType();
    return t == RabbitCluster.class || t == GaleraCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec)
      throws ParameterResolutionException {
    Class<?> t = pc.getParameter().getType();
    ExtensionContext.Store store = ec.getRoot().getStore(NS);
    if (t == RabbitCluster.class) {
      return store.getOrComputeIfAbsent(
              "rabbit",
              k ->
                  new Shared(
                      RabbitCluster.builder()
                          .name("it-" + ProcessHandle.current().pid())
                          .nodes(TestKit.defaultNodes())
                          .start()),
              Shared.class)
          .cluster;
    }
    return store.getOrComputeIfAbsent(
            "galera",
            k ->
                new Shared(
                    GaleraCluster.builder()
                        .name("it-" + ProcessHandle.current().pid())
                        .nodes(TestKit.defaultNodes())
                        .start()),
            Shared.class)
        .cluster;
  }

  @Override
  public void afterEach(ExtensionContext ec) {
    ExtensionContext.Store store = ec.getRoot().getStore(NS);
    for (String kind : new String[] {"rabbit", "galera"}) {
      Shared s = store.get(kind, Shared.class);
      if (s != null) {
        s.cluster.restoreHealthy(RESTORE_TIMEOUT);
      }
    }
  }

  /** Closes the cluster when the root context closes (end of the test run). */
  static final class Shared implements AutoCloseable {
    final LocalCluster<?> cluster;

    Shared(LocalCluster<?> cluster) {
      this.cluster = cluster;
    }

    @Override
    public void close() {
      cluster.close();
    }
  }
}

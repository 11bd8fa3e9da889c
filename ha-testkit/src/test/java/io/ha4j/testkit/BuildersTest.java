package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildersTest {

  @Test
  void nodeCountOutsideOneToNineIsRejectedWithTheValue() {
    assertThatThrownBy(() -> RabbitCluster.builder().nodes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nodes must be between 1 and 9, was 0");
    assertThatThrownBy(() -> GaleraCluster.builder().nodes(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nodes must be between 1 and 9, was 10");
  }

  @Test
  void nullArgumentsNameTheProperty() {
    assertThatThrownBy(() -> RabbitCluster.builder().name(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
    assertThatThrownBy(() -> GaleraCluster.builder().baseDir(null)).hasMessage("baseDir");
  }

  @Test
  void attachingWhereNoClusterIsNamesTheDirectory(@TempDir Path dir) {
    assertThatThrownBy(() -> GaleraCluster.attach(dir))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("no cluster in " + dir);
  }
}

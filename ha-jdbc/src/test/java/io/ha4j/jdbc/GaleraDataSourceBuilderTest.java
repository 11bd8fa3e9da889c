package io.ha4j.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each builder method checks its own argument; build() checks what is required. */
class GaleraDataSourceBuilderTest {

  @Test
  void nullArgumentsAreRejectedWithTheirName() {
    GaleraDataSource.Builder b = GaleraDataSource.builder();
    assertThatThrownBy(() -> b.settings(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("settings");
    assertThatThrownBy(() -> b.name(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
    assertThatThrownBy(() -> b.listener(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listener");
  }

  @Test
  void aBlankNameIsRejectedNamingThePropertyAndTheValue() {
    assertThatThrownBy(() -> GaleraDataSource.builder().name("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name")
        .hasMessageContaining("'  '");
    assertThatThrownBy(() -> GaleraDataSource.builder().name("a\nb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a?b'");
  }

  @Test
  void buildWithoutSettingsIsAnIllegalState() {
    assertThatThrownBy(() -> GaleraDataSource.builder().name("x").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("settings");
  }
}

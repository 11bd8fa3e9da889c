package io.ha4j.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Java examples are the bodies of the {@code example} methods of this package, word
 * for word: the compiler checks them, {@code ReadmeExamplesIT} runs them, and this test fails as
 * soon as the README and the code drift apart. A block is tied to its class by an HTML comment
 * {@code <!-- example: ClassName -->} right before the fence.
 */
class ReadmeExamplesTest {

  private static final Path README = Path.of("..", "README.md");
  private static final Path SOURCES = Path.of("src", "main", "java", "io", "ha4j", "examples");
  private static final Pattern MARKER = Pattern.compile("<!-- example: (\\w+) -->");

  /**
   * Java blocks that are sketches, not runnable library use: the test kit's own example, and a
   * fragment of a Spring bean (the example app holds the real code, run by {@code OrdersAppIT}).
   */
  private static final List<String> UNMARKED_SKETCHES =
      List.of(
          "@ExtendWith(LocalClusters.class)",
          "@Endpoint(namespace = \"calc\", version = \"1.2\") // optional; default: no namespace, 1.0",
          "long id = galeraTx.executeIdempotent(status -> {");

  @Test
  void everyMarkedReadmeBlockIsTheBodyOfItsExampleMethod() throws IOException {
    Map<String, String> blocks = markedBlocks();

    assertThat(blocks.keySet())
        .containsExactlyInAnyOrder(
            "ReadmeQuickStart", "ReadmeConfiguration", "ReadmeAmqp", "ReadmeGalera", "ReadmeOslo");
    for (Map.Entry<String, String> b : blocks.entrySet()) {
      Path source = SOURCES.resolve("readme").resolve(b.getKey() + ".java");
      assertThat(b.getValue())
          .as("README block %s against %s", b.getKey(), source)
          .isEqualTo(exampleBody(Files.readString(source)));
    }
  }

  @Test
  void everyJavaBlockOfTheReadmeIsMarked() throws IOException {
    List<String> lines = Files.readAllLines(README);
    List<String> unmarked = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).equals("```java")) {
        continue;
      }
      boolean marked = i > 0 && MARKER.matcher(lines.get(i - 1)).matches();
      boolean sketch = i + 1 < lines.size() && UNMARKED_SKETCHES.contains(lines.get(i + 1));
      if (!marked && !sketch) {
        unmarked.add("README.md:" + (i + 1));
      }
    }

    assertThat(unmarked).as("java blocks without <!-- example: … -->").isEmpty();
  }

  @Test
  void theExtractorFindsTheBodyOfAnExampleMethodDedented() {
    String source =
        String.join(
            "\n",
            "final class X {",
            "  static void helper() {}",
            "",
            "  public static int example(Path f) throws Exception {",
            "    int a = 1;",
            "",
            "    if (a > 0) {",
            "      a++;",
            "    }",
            "    return a;",
            "  }",
            "}");

    assertThat(exampleBody(source)).isEqualTo("int a = 1;\n\nif (a > 0) {\n  a++;\n}\nreturn a;\n");
  }

  /** Each marked java block of the README by class name, fences excluded, ending in a newline. */
  private static Map<String, String> markedBlocks() throws IOException {
    List<String> lines = Files.readAllLines(README);
    Map<String, String> blocks = new LinkedHashMap<>();
    for (int i = 0; i + 1 < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      assertThat(lines.get(i + 1)).as("line after README.md:%d", i + 1).isEqualTo("```java");
      StringBuilder b = new StringBuilder();
      int j = i + 2;
      for (; j < lines.size() && !lines.get(j).equals("```"); j++) {
        b.append(lines.get(j)).append('\n');
      }
      assertThat(j).as("end of the block at README.md:%d", i + 2).isLessThan(lines.size());
      assertThat(blocks.put(m.group(1), b.toString())).as("marked twice: " + m.group(1)).isNull();
    }
    return blocks;
  }

  /** The body of the method named {@code example}, without its braces, indented by two less. */
  static String exampleBody(String source) {
    List<String> lines = source.lines().toList();
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("  (public )?static .*\\bexample\\(.*\\{")) {
        start = i + 1;
        break;
      }
    }
    assertThat(start).as("a method example(…) on one line").isPositive();
    StringBuilder b = new StringBuilder();
    for (int i = start; !lines.get(i).equals("  }"); i++) {
      String line = lines.get(i);
      b.append(line.isEmpty() ? "" : line.substring(4)).append('\n');
    }
    return b.toString();
  }
}

package io.ha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every option that {@code oslo-config-generator --namespace oslo.messaging} prints for {@code
 * [DEFAULT]} and {@code [oslo_messaging_rabbit]} is either supported by ha4j with the same default
 * (as {@code ha4j config --json} prints it for an empty file) or listed in the README as not
 * supported, with a reason.
 */
class OsloConformanceTest {

  private static final List<String> SECTIONS = List.of("DEFAULT", "oslo_messaging_rabbit");
  private static final Pattern OPTION = Pattern.compile("^#([a-z0-9_]+) = ?(.*)$");
  private static final Pattern UNSUPPORTED =
      Pattern.compile("^\\| `\\[([a-z_A-Z]+)\\] ([a-z0-9_]+)` \\| (.+) \\|$");

  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void everyOsloMessagingRabbitOptionIsSupportedWithOslosDefaultOrListedAsUnsupported()
      throws Exception {
    Map<String, Map<String, String>> oslo = generatorDefaults();
    Map<String, String> unsupported = readmeUnsupported();
    Path empty = Files.createFile(dir.resolve("empty.conf"));
    ConfigCommandTest.Run r =
        ConfigCommandTest.ha4j("config", "--config-file", empty.toString(), "--json");
    assertThat(r.code()).isZero();
    Map<String, Object> ours = ConfigCommandTest.json(r.out());

    List<String> problems = new ArrayList<>();
    int compared = 0;
    for (String section : SECTIONS) {
      assertThat(oslo.get(section)).as("generator output for [%s]", section).isNotEmpty();
      Map<String, Object> mine = (Map<String, Object>) ours.get(section);
      for (Map.Entry<String, String> o : oslo.get(section).entrySet()) {
        String key = "[" + section + "] " + o.getKey();
        if (mine != null && mine.containsKey(o.getKey())) {
          Object value = ((Map<String, Object>) mine.get(o.getKey())).get("value");
          String text = osloText(value);
          compared++;
          if (!text.equals(o.getValue())) {
            problems.add(key + ": oslo default '" + o.getValue() + "', ha4j '" + text + "'");
          }
        } else if (!unsupported.containsKey(key)) {
          problems.add(key + ": neither supported nor listed as unsupported in the README");
        }
      }
    }
    for (String listed : unsupported.keySet()) {
      String section = listed.substring(1, listed.indexOf(']'));
      String name = listed.substring(listed.indexOf(']') + 2);
      Map<String, Object> mine = (Map<String, Object>) ours.get(section);
      if (mine != null && mine.containsKey(name)) {
        problems.add(listed + ": listed as unsupported in the README but ha4j supports it");
      }
    }

    assertThat(problems).isEmpty();
    assertThat(compared).isGreaterThanOrEqualTo(30);
  }

  private static String osloText(Object value) {
    if (value == null) {
      return "<None>";
    }
    if (value instanceof List<?> l) {
      return String.join(",", l.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }

  private static Map<String, Map<String, String>> generatorDefaults() throws Exception {
    Path generator = Path.of("/usr/bin/oslo-config-generator");
    if (!Files.isExecutable(generator)) {
      fail(
          "oslo-config-generator is missing: install python3-oslo.messaging (scripts/install-servers "
              + "does, or: apt-get install python3-oslo.messaging)");
    }
    Process p =
        new ProcessBuilder(generator.toString(), "--namespace", "oslo.messaging")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("generator finished").isTrue();
    assertThat(p.exitValue()).as("generator exit code").isZero();
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    String section = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1);
        continue;
      }
      Matcher m = OPTION.matcher(line);
      if (section != null && SECTIONS.contains(section) && m.matches()) {
        out.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(m.group(1), m.group(2));
      }
    }
    return out;
  }

  private static Map<String, String> readmeUnsupported() throws IOException {
    Path readme = Path.of("..", "README.md");
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(readme)) {
      Matcher m = UNSUPPORTED.matcher(line.strip());
      if (m.matches()) {
        assertThat(m.group(3).strip()).as("reason for %s", m.group(2)).isNotBlank();
        out.put("[" + m.group(1) + "] " + m.group(2), m.group(3));
      }
    }
    return out;
  }
}

package io.ha4j.config.internal;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads every source into assignments with their locations and ranks: files and directories in the
 * order given, then {@code HA4J_<SECTION>__<OPTION>} environment variables, {@code
 * ha4j.<section>.<option>} Java properties and programmatic overrides. It knows how each source
 * names a section and an option, and nothing about the options themselves, so a source that cannot
 * be read is a problem here and an unknown option is one for {@link EffectiveValues}.
 */
final class SourceReader {

  private final ProblemList problems;

  SourceReader(ProblemList problems) {
    this.problems = problems;
  }

  /** Every assignment, files first in order, then environment, properties and overrides. */
  List<RawAssignment> read(
      List<Resolver.Input> inputs,
      Map<String, String> env,
      Map<String, String> properties,
      Map<String, String> overrides) {
    List<RawAssignment> raws = new ArrayList<>();
    for (Resolver.Input in : inputs) {
      if (in instanceof Resolver.Input.File f) {
        readFile(f.path(), raws);
      } else if (in instanceof Resolver.Input.Dir d) {
        readDir(d.path(), raws);
      }
    }
    readEnv(env, raws);
    readProperties(properties, raws);
    overrides.forEach(
        (k, v) -> {
          int dot = k.lastIndexOf('.');
          raws.add(
              new RawAssignment(
                  dot < 0 ? Options.DEFAULT : section(k.substring(0, dot)),
                  k.substring(dot + 1),
                  v,
                  "builder",
                  Resolver.BUILDER_RANK,
                  false));
        });
    return raws;
  }

  private void readEnv(Map<String, String> env, List<RawAssignment> raws) {
    String prefix = Resolver.ENV_PREFIX;
    env.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && e.getKey().contains("__"))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              String rest = e.getKey().substring(prefix.length());
              int sep = rest.indexOf("__");
              raws.add(
                  new RawAssignment(
                      section(rest.substring(0, sep)),
                      rest.substring(sep + 2).toLowerCase(Locale.ROOT),
                      e.getValue(),
                      "env:" + e.getKey(),
                      Resolver.ENV_RANK,
                      false));
            });
  }

  private void readProperties(Map<String, String> properties, List<RawAssignment> raws) {
    String prefix = Resolver.PROPERTY_PREFIX;
    properties.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              String rest = e.getKey().substring(prefix.length());
              int dot = rest.lastIndexOf('.');
              if (dot <= 0) {
                problems.warn(
                    "property:" + e.getKey(), "", "", "", "expected ha4j.<section>.<option>");
                return;
              }
              raws.add(
                  new RawAssignment(
                      section(rest.substring(0, dot)),
                      rest.substring(dot + 1),
                      e.getValue(),
                      "property:" + e.getKey(),
                      Resolver.PROPERTY_RANK,
                      false));
            });
  }

  private static String section(String s) {
    return s.equalsIgnoreCase(Options.DEFAULT) ? Options.DEFAULT : s.toLowerCase(Locale.ROOT);
  }

  private void readDir(Path dir, List<RawAssignment> raws) {
    if (!Files.isDirectory(dir)) {
      problems.error(dir.toString(), "", "", "", "config directory not found (or not a directory)");
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(p -> p.getFileName().toString().endsWith(".conf"))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .forEach(p -> readFile(p, raws));
    } catch (IOException e) {
      problems.error(dir.toString(), "", "", "", "cannot list config directory: " + e.getMessage());
    }
  }

  private void readFile(Path file, List<RawAssignment> raws) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      problems.error(file.toString(), "", "", "", "config file not found");
      return;
    } catch (MalformedInputException e) {
      problems.error(file.toString(), "", "", "", "config file is not UTF-8 text");
      return;
    } catch (IOException e) {
      problems.error(
          file.toString(),
          "",
          "",
          "",
          "cannot read config file ("
              + (Files.isDirectory(file) ? "it is a directory" : e.getClass().getSimpleName())
              + ")");
      return;
    }
    IniParser.Result parsed = IniParser.parse(file.toString(), text);
    problems.addAll(parsed.problems());
    for (IniParser.Entry e : parsed.entries()) {
      raws.add(
          new RawAssignment(
              e.section(), e.key(), e.value(), e.location(), Resolver.FILE_RANK, true));
    }
  }
}

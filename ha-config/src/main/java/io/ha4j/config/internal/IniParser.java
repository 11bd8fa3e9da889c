package io.ha4j.config.internal;

import io.ha4j.config.ConfigProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads oslo.config-style INI text the way oslo.config's own parser does: {@code [section]}
 * headers, {@code key = value} or {@code key: value}, whole-line comments starting with {@code #}
 * or {@code ;} (a {@code #} inside a value is part of the value), indented continuation lines
 * (joined with a newline), matching surrounding quotes removed. Syntax errors are collected, not
 * thrown, so that every problem of a file is reported at once.
 */
public final class IniParser {

  /** One assignment as written. */
  public record Entry(String file, int line, String section, String key, String value) {
    /** {@code file:line}. */
    public String location() {
      return file + ":" + line;
    }
  }

  /** Everything read from one file. */
  public record Result(List<Entry> entries, List<ConfigProblem> problems) {}

  private IniParser() {}

  /** Parses text; {@code file} is used only in locations. */
  public static Result parse(String file, String text) {
    List<Entry> entries = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    String section = null;
    String key = null;
    int keyLine = 0;
    StringBuilder value = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int no = i + 1;
      if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && !line.isBlank()) {
        if (key != null) {
          value.append('\n').append(line.strip());
          continue;
        }
        // An indented line that continues nothing is read as an ordinary line, as oslo does.
      }
      if (key != null) {
        entries.add(new Entry(file, keyLine, section, key, unquote(value.toString())));
        key = null;
      }
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#") || s.startsWith(";")) {
        continue;
      }
      if (s.startsWith("[")) {
        if (!s.endsWith("]")) {
          problems.add(error(file, no, "invalid section header '" + s + "': it must end with ]"));
          section = null;
        } else if (s.substring(1, s.length() - 1).isBlank()) {
          problems.add(error(file, no, "empty section name"));
          section = null;
        } else {
          String name = s.substring(1, s.length() - 1).strip();
          section = name.equalsIgnoreCase("default") ? Options.DEFAULT : name;
        }
        continue;
      }
      int eq = s.indexOf('=');
      int colon = s.indexOf(':');
      int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
      if (sep < 0) {
        // The text is not echoed: a line without a key may be a stray secret.
        problems.add(error(file, no, "expected 'key = value' but the line has no '=' or ':'"));
        continue;
      }
      String k = s.substring(0, sep).strip();
      if (k.isEmpty()) {
        problems.add(error(file, no, "a key is missing before '" + s.charAt(sep) + "'"));
        continue;
      }
      if (section == null) {
        problems.add(
            error(file, no, "'" + k + "' comes before any [section] header; put it under one"));
        continue;
      }
      key = k;
      keyLine = no;
      value = new StringBuilder(s.substring(sep + 1).strip());
    }
    if (key != null) {
      entries.add(new Entry(file, keyLine, section, key, unquote(value.toString())));
    }
    return new Result(entries, problems);
  }

  private static String unquote(String v) {
    if (v.length() >= 2
        && v.charAt(0) == v.charAt(v.length() - 1)
        && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  private static ConfigProblem error(String file, int line, String message) {
    return new ConfigProblem(ConfigProblem.Severity.ERROR, file + ":" + line, "", "", "", message);
  }
}

package io.ha4j.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags: {@code --name value}, {@code --name=value}, boolean {@code --name}; flags may
 * repeat. Anything not starting with {@code --} is a positional argument.
 */
public final class Args {

  private final Map<String, List<String>> flags = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();
  private final List<String> order = new ArrayList<>();

  private Args() {}

  /**
   * Parses arguments.
   *
   * @param valued flags that take a value
   * @param bool flags that take none
   * @throws UsageException for an unknown flag or a missing value
   */
  public static Args parse(List<String> args, Set<String> valued, Set<String> bool) {
    Args a = new Args();
    for (int i = 0; i < args.size(); i++) {
      String s = args.get(i);
      if (!s.startsWith("--") || s.equals("--")) {
        a.positional.add(s);
        continue;
      }
      String name = s.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (bool.contains(name)) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value");
        }
        value = "true";
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new UsageException("--" + name + " needs a value");
          }
          value = args.get(++i);
        }
      } else {
        throw new UsageException("unknown option --" + name);
      }
      a.flags.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      a.order.add(name);
    }
    return a;
  }

  /** Whether a boolean flag is set. */
  public boolean has(String name) {
    return flags.containsKey(name);
  }

  /** Every value of a flag, in order. */
  public List<String> all(String name) {
    return flags.getOrDefault(name, List.of());
  }

  /** The last value of a flag, or the default. */
  public String get(String name, String def) {
    List<String> v = all(name);
    return v.isEmpty() ? def : v.get(v.size() - 1);
  }

  /** The flag names in the order given, repeats included. */
  public List<String> order() {
    return order;
  }

  /** Positional arguments. */
  public List<String> positional() {
    return positional;
  }

  /** The value of a flag that must be given and not blank. */
  public String required(String name) {
    String v = get(name, null);
    if (v == null || v.isBlank()) {
      throw new UsageException("--" + name + " is required");
    }
    return v;
  }

  /** A positive integer flag; required when {@code def} is null. */
  public int positive(String name, String def) {
    String v = def == null ? required(name) : get(name, def);
    try {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a positive integer, was '" + v + "'");
    }
  }
}

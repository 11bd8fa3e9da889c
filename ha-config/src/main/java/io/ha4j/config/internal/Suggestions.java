package io.ha4j.config.internal;

import java.util.Locale;

/**
 * The "did you mean" for a name ha4j does not know: the nearest known option name by edit distance.
 * A misspelt option is otherwise silently ignored (oslo.config ignores unknown keys), so both an
 * unknown key in a file and an unknown {@code transport_url} query parameter name their nearest
 * option.
 */
final class Suggestions {

  private Suggestions() {}

  /**
   * The nearest known name: in the same section first, then in another known section.
   *
   * @return the name ({@code [section] name} when in another section), or null when nothing is near
   *     enough
   */
  static String suggest(String section, String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String s : Options.SECTIONS) {
      for (String name : Options.namesIn(s)) {
        int d = distance(key.toLowerCase(Locale.ROOT), name);
        if (!s.equals(section)) {
          d += 1;
        }
        if (d < bestDistance) {
          bestDistance = d;
          best = s.equals(section) ? name : "[" + s + "] " + name;
        }
      }
    }
    int limit = Math.max(2, key.length() / 4);
    return bestDistance <= limit ? best : null;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

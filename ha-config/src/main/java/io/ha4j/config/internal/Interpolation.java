package io.ha4j.config.internal;

import java.util.function.BiFunction;

/**
 * oslo.config value interpolation: {@code $name} and {@code ${name}} are the value of option {@code
 * name} in the same section, else in {@code [DEFAULT]}; {@code ${section.name}} names the section;
 * {@code $$} is a literal {@code $}.
 */
public final class Interpolation {

  private static final int MAX_DEPTH = 10;

  private Interpolation() {}

  /**
   * Substitutes references.
   *
   * @param lookup (section, name) to the raw value, or null when there is none
   * @throws IllegalArgumentException naming the reference that cannot be resolved
   */
  public static String apply(
      String text, String section, BiFunction<String, String, String> lookup) {
    return apply(text, section, lookup, 0);
  }

  private static String apply(
      String text, String section, BiFunction<String, String, String> lookup, int depth) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("interpolation loop (a $reference refers to itself)");
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 < text.length() && text.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String ref;
      int end;
      if (i + 1 < text.length() && text.charAt(i + 1) == '{') {
        int close = text.indexOf('}', i);
        if (close < 0) {
          throw new IllegalArgumentException("'${' without a closing '}' (write $$ for a $)");
        }
        ref = text.substring(i + 2, close);
        end = close + 1;
      } else {
        int j = i + 1;
        while (j < text.length()
            && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
          j++;
        }
        ref = text.substring(i + 1, j);
        end = j;
      }
      if (ref.isEmpty()) {
        throw new IllegalArgumentException("a lone '$' (write $$ for a literal $)");
      }
      String refSection = section;
      String refName = ref;
      int dot = ref.indexOf('.');
      if (dot > 0) {
        refSection = ref.substring(0, dot);
        refName = ref.substring(dot + 1);
      }
      String value = lookup.apply(refSection, refName);
      if (value == null) {
        throw new IllegalArgumentException(
            "cannot interpolate $" + ref + ": no option of that name has a value");
      }
      out.append(apply(value, refSection, lookup, depth + 1));
      i = end;
    }
    return out.toString();
  }
}

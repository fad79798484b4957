package io.ferry.connector.hbase;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * How a row key is made of columns (the {@code rowKey} option): one column, several joined by a
 * separator, or several of fixed byte widths (the last may take the rest). The same rule composes
 * keys in the sink and decomposes them in the source.
 *
 * @param columns the key's columns, in key order
 * @param separator the separator between parts (UTF-8), or null
 * @param widths the byte width of each part (the last may be 0: the rest of the key), or null
 * @param pad with widths: a character that left-pads string-encoded parts to their width (and is
 *     stripped from them when reading), or null
 */
record RowKeyRule(List<String> columns, String separator, int[] widths, Character pad) {

  boolean single() {
    return columns.size() == 1 && separator == null && widths == null;
  }

  /** One column's rule. */
  static RowKeyRule of(String column) {
    return new RowKeyRule(List.of(column), null, null, null);
  }

  /**
   * Parses the {@code rowKey} option: a column name, a list of names, or a map {@code {columns,
   * separator | widths, pad}}.
   */
  static RowKeyRule parse(Object raw) {
    if (raw instanceof String s) {
      List<String> names = names(s);
      return validate(new RowKeyRule(names, null, null, null));
    }
    if (raw instanceof List<?> list) {
      return validate(new RowKeyRule(names(list), null, null, null));
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          "expected a column name or {columns: [...], separator: \"|\"} or {columns: [...],"
              + " widths: [...]}");
    }
    for (Object key : m.keySet()) {
      if (!List.of("columns", "separator", "widths", "pad").contains(key)) {
        throw new IllegalArgumentException(
            "unknown attribute '" + key + "'; known: columns, separator, widths, pad");
      }
    }
    Object cols = m.get("columns");
    if (cols == null) {
      throw new IllegalArgumentException("needs columns: the key's columns in key order");
    }
    List<String> names = cols instanceof List<?> l ? names(l) : names(String.valueOf(cols));
    String separator = m.get("separator") == null ? null : String.valueOf(m.get("separator"));
    int[] widths = null;
    if (m.get("widths") != null) {
      Object w = m.get("widths");
      List<?> items = w instanceof List<?> l ? l : List.of(String.valueOf(w).split(","));
      widths = new int[items.size()];
      for (int i = 0; i < widths.length; i++) {
        try {
          widths[i] = Integer.parseInt(String.valueOf(items.get(i)).trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("widths: '" + items.get(i) + "' is not a number");
        }
      }
    }
    Character pad = null;
    if (m.get("pad") != null) {
      String p = String.valueOf(m.get("pad"));
      if (p.length() != 1 || p.charAt(0) > 127) {
        throw new IllegalArgumentException("pad must be one ASCII character, got '" + p + "'");
      }
      pad = p.charAt(0);
    }
    return validate(new RowKeyRule(names, separator, widths, pad));
  }

  private static List<String> names(String text) {
    List<String> names = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        names.add(part.trim());
      }
    }
    return names;
  }

  private static List<String> names(List<?> list) {
    List<String> names = new ArrayList<>();
    for (Object o : list) {
      names.add(String.valueOf(o).trim());
    }
    return names;
  }

  private static RowKeyRule validate(RowKeyRule rule) {
    if (rule.columns.isEmpty() || rule.columns.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("needs at least one column name");
    }
    if (rule.columns.stream().distinct().count() != rule.columns.size()) {
      throw new IllegalArgumentException("names a column twice: " + rule.columns);
    }
    if (rule.separator != null && rule.widths != null) {
      throw new IllegalArgumentException("give a separator or widths, not both");
    }
    if (rule.separator != null && rule.separator.isEmpty()) {
      throw new IllegalArgumentException("the separator must not be empty");
    }
    if (rule.columns.size() > 1 && rule.separator == null && rule.widths == null) {
      throw new IllegalArgumentException(
          "a key of " + rule.columns.size() + " columns needs a separator or widths");
    }
    if (rule.widths != null) {
      if (rule.widths.length != rule.columns.size()) {
        throw new IllegalArgumentException(
            "gives "
                + rule.widths.length
                + " widths for "
                + rule.columns.size()
                + " columns; give one per column");
      }
      for (int i = 0; i < rule.widths.length; i++) {
        boolean last = i == rule.widths.length - 1;
        if (rule.widths[i] < 0 || (rule.widths[i] == 0 && !last)) {
          throw new IllegalArgumentException(
              "widths must be positive (only the last may be 0: the rest of the key), got "
                  + rule.widths[i]);
        }
      }
    }
    if (rule.pad != null && rule.widths == null) {
      throw new IllegalArgumentException("pad goes with widths");
    }
    return rule;
  }

  /**
   * The parts of {@code key} as {@code [offset, length]} pairs, one per column.
   *
   * @param padded whether each part is string-encoded (a pad is stripped only from those)
   * @throws IllegalArgumentException when the key does not follow the rule
   */
  int[][] split(byte[] key, boolean[] padded) {
    int n = columns.size();
    int[][] parts = new int[n][];
    if (separator == null && widths == null) {
      parts[0] = new int[] {0, key.length};
      return parts;
    }
    if (separator != null) {
      byte[] sep = separator.getBytes(StandardCharsets.UTF_8);
      int start = 0;
      for (int i = 0; i < n - 1; i++) {
        int at = indexOf(key, sep, start);
        if (at < 0) {
          throw new IllegalArgumentException(
              "row key "
                  + Bytes.toStringBinary(key)
                  + " has "
                  + (i + 1)
                  + " part(s) separated by '"
                  + separator
                  + "'; the rowKey rule names "
                  + n);
        }
        parts[i] = new int[] {start, at - start};
        start = at + sep.length;
      }
      parts[n - 1] = new int[] {start, key.length - start};
      return parts;
    }
    int offset = 0;
    for (int i = 0; i < n; i++) {
      int width = widths[i] == 0 ? key.length - offset : widths[i];
      if (offset + width > key.length || (i == n - 1 && offset + width != key.length)) {
        throw new IllegalArgumentException(
            "row key "
                + Bytes.toStringBinary(key)
                + " is "
                + key.length
                + " bytes; the rowKey widths "
                + java.util.Arrays.toString(widths)
                + " need "
                + (widths[n - 1] == 0 ? "at least " + offset : String.valueOf(sum(widths))));
      }
      int from = offset;
      int length = width;
      if (pad != null && padded[i]) {
        while (length > 1 && key[from] == (byte) pad.charValue()) {
          from++;
          length--;
        }
      }
      parts[i] = new int[] {from, length};
      offset += width;
    }
    return parts;
  }

  private static int sum(int[] widths) {
    int s = 0;
    for (int w : widths) {
      s += w;
    }
    return s;
  }

  /**
   * The row key of encoded parts.
   *
   * @param padded whether each part is string-encoded (only those are padded)
   * @throws IllegalArgumentException naming the column whose part breaks the rule
   */
  byte[] join(byte[][] parts, boolean[] padded) {
    if (parts.length == 1 && separator == null && widths == null) {
      return parts[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    byte[] sep = separator == null ? null : separator.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < parts.length; i++) {
      byte[] part = parts[i];
      if (sep != null) {
        if (i < parts.length - 1 && indexOf(part, sep, 0) >= 0) {
          throw new RowKeyProblem(
              columns.get(i), "the value contains the row key separator '" + separator + "'");
        }
        if (i > 0) {
          out.writeBytes(sep);
        }
        out.writeBytes(part);
        continue;
      }
      int width = widths[i];
      if (width != 0 && part.length < width && pad != null && padded[i]) {
        for (int k = part.length; k < width; k++) {
          out.write(pad);
        }
        out.writeBytes(part);
        continue;
      }
      if (width != 0 && part.length != width) {
        throw new RowKeyProblem(
            columns.get(i),
            "the value takes "
                + part.length
                + " bytes; the rowKey widths give it "
                + width
                + (pad == null ? "" : " (only string-encoded values are padded)"));
      }
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public String toString() {
    if (separator != null) {
      return String.join(" + '" + separator + "' + ", columns);
    }
    if (widths != null) {
      return columns + " of widths " + java.util.Arrays.toString(widths);
    }
    return columns.get(0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowKeyRule r
        && r.columns.equals(columns)
        && java.util.Objects.equals(r.separator, separator)
        && java.util.Arrays.equals(r.widths, widths)
        && java.util.Objects.equals(r.pad, pad);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(columns, separator, java.util.Arrays.hashCode(widths), pad);
  }

  /** A key part that breaks the rule, naming its column. */
  static final class RowKeyProblem extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    final String column;

    RowKeyProblem(String column, String message) {
      super(message);
      this.column = column;
    }
  }
}

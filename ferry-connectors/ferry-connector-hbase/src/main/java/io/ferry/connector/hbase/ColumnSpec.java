package io.ferry.connector.hbase;

import io.ferry.spi.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * One entry of the {@code columns} option: a Ferry column and where its value lives, the row key
 * ({@code :key}) or a cell {@code family:qualifier}, with the value's encoding.
 *
 * @param name the Ferry column's name
 * @param type the Ferry type; null where the role takes types from the rows (the sink)
 * @param family the column family, or null for the row key
 * @param qualifier the qualifier (may be empty), or null for the row key
 * @param encoding the value encoding, or null for the role's default ({@code encoding} option)
 * @param allVersions source only: the column is {@code array<T>} holding every version of the cell
 *     the scan returns (see {@code versions}), newest first
 */
record ColumnSpec(
    String name,
    DataType type,
    String family,
    String qualifier,
    Encoding encoding,
    boolean allVersions) {

  static final String ROW_KEY = ":key";

  boolean isRowKey() {
    return family == null;
  }

  byte[] familyBytes() {
    return Bytes.toBytesBinary(family);
  }

  byte[] qualifierBytes() {
    return Bytes.toBytesBinary(qualifier);
  }

  String mapping() {
    return isRowKey() ? ROW_KEY : family + ":" + qualifier;
  }

  Encoding encodingOr(Encoding fallback) {
    return encoding != null ? encoding : fallback;
  }

  /**
   * Parses the {@code columns} option: a list whose entries are either text {@code "name [type]
   * mapping [encoding]"} (e.g. {@code "id int64 :key binary"}, {@code "amount decimal(12,2)
   * d:amount"}) or a map {@code {name, type, column, encoding, allVersions}}.
   */
  static List<ColumnSpec> parseList(Object raw) {
    if (!(raw instanceof List<?> list)) {
      if (raw instanceof String s && !s.isBlank()) {
        // One entry, or several separated by ';' (a parameter substitution yields text).
        List<ColumnSpec> out = new ArrayList<>();
        for (String part : s.split(";")) {
          if (!part.isBlank()) {
            out.add(parseText(part.trim()));
          }
        }
        return List.copyOf(out);
      }
      throw new IllegalArgumentException(
          "expected a list of columns such as [\"id int64 :key binary\", \"name string d:name\"]");
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("must name at least one column");
    }
    List<ColumnSpec> out = new ArrayList<>();
    for (Object entry : list) {
      if (entry instanceof String s) {
        out.add(parseText(s.trim()));
      } else if (entry instanceof Map<?, ?> m) {
        out.add(parseMap(m));
      } else {
        throw new IllegalArgumentException(
            "each column is a text \"name [type] mapping [encoding]\" or a map, got " + entry);
      }
    }
    return List.copyOf(out);
  }

  static ColumnSpec parseText(String text) {
    String[] tokens = text.split("\\s+");
    if (tokens.length < 2) {
      throw new IllegalArgumentException(
          "column '"
              + text
              + "' needs a name and a mapping (:key or family:qualifier), e.g. \"name string"
              + " d:name\"");
    }
    int last = tokens.length - 1;
    Encoding encoding = null;
    if (tokens.length >= 3 && Encoding.named(tokens[last]) != null && isMapping(tokens[last - 1])) {
      encoding = Encoding.named(tokens[last]);
      last--;
    }
    if (!isMapping(tokens[last])) {
      throw new IllegalArgumentException(
          "column '"
              + text
              + "': '"
              + tokens[last]
              + "' is not a mapping; write :key for the row key or family:qualifier");
    }
    String mapping = tokens[last];
    StringBuilder type = new StringBuilder();
    for (int i = 1; i < last; i++) {
      type.append(i > 1 ? " " : "").append(tokens[i]);
    }
    return of(
        tokens[0],
        type.length() == 0 ? null : parseType(tokens[0], type.toString()),
        mapping,
        encoding,
        false);
  }

  private static ColumnSpec parseMap(Map<?, ?> m) {
    for (Object key : m.keySet()) {
      if (!List.of("name", "type", "column", "encoding", "allVersions").contains(key)) {
        throw new IllegalArgumentException(
            "unknown column attribute '"
                + key
                + "'; known: name, type, column, encoding,"
                + " allVersions");
      }
    }
    Object name = m.get("name");
    Object column = m.get("column");
    if (!(name instanceof String n) || n.isBlank()) {
      throw new IllegalArgumentException("a column map needs a name");
    }
    if (!(column instanceof String c) || !isMapping(c)) {
      throw new IllegalArgumentException(
          "column '" + n + "' needs column: :key or family:qualifier");
    }
    DataType type = m.get("type") == null ? null : parseType(n, String.valueOf(m.get("type")));
    Encoding encoding = null;
    if (m.get("encoding") != null) {
      encoding = Encoding.named(String.valueOf(m.get("encoding")));
      if (encoding == null) {
        throw new IllegalArgumentException(
            "column '" + n + "': encoding '" + m.get("encoding") + "' is not string or binary");
      }
    }
    boolean allVersions =
        m.get("allVersions") != null && Boolean.parseBoolean(String.valueOf(m.get("allVersions")));
    return of(n, type, c.trim(), encoding, allVersions);
  }

  private static ColumnSpec of(
      String name, DataType type, String mapping, Encoding encoding, boolean allVersions) {
    if (mapping.equals(ROW_KEY)) {
      if (allVersions) {
        throw new IllegalArgumentException("column '" + name + "': the row key has no versions");
      }
      return new ColumnSpec(name, type, null, null, encoding, false);
    }
    int colon = mapping.indexOf(':');
    String family = mapping.substring(0, colon);
    if (family.isEmpty()) {
      throw new IllegalArgumentException(
          "column '" + name + "': '" + mapping + "' has no column family");
    }
    if (allVersions && (type == null || type.kind() != io.ferry.spi.TypeKind.ARRAY)) {
      throw new IllegalArgumentException(
          "column '" + name + "': allVersions needs an array type, e.g. array<string>");
    }
    return new ColumnSpec(name, type, family, mapping.substring(colon + 1), encoding, allVersions);
  }

  private static boolean isMapping(String token) {
    return token.equals(ROW_KEY) || (token.indexOf(':') > 0);
  }

  private static DataType parseType(String column, String text) {
    try {
      return DataType.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("column '" + column + "': " + e.getMessage());
    }
  }
}

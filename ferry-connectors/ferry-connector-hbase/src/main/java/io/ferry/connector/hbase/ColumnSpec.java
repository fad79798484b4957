package io.ferry.connector.hbase;

import io.ferry.connector.support.ColumnList;
import io.ferry.spi.DataType;
import java.util.List;
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

  private static final ColumnList GRAMMAR =
      ColumnList.of("column", "[\"id int64 :key binary\", \"name string d:name\"]")
          .keys("type", "column", "encoding", "allVersions")
          .textForm("\"name [type] mapping [encoding]\"")
          // One entry, or several separated by ';' (a parameter substitution yields text).
          .orText(";");

  /**
   * Parses the {@code columns} option: a list whose entries are either text {@code "name [type]
   * mapping [encoding]"} (e.g. {@code "id int64 :key binary"}, {@code "amount decimal(12,2)
   * d:amount"}) or a map {@code {name, type, column, encoding, allVersions}}.
   *
   * @param uniqueNames whether a name may stand in one entry only (the source's columns); the sink
   *     may write a key column as a cell too
   */
  static List<ColumnSpec> parseList(Object raw, boolean uniqueNames) {
    return (uniqueNames ? GRAMMAR : GRAMMAR.namesMayRepeat())
        .parse(raw, entry -> entry.isText() ? parseText(entry) : parseMap(entry));
  }

  private static ColumnSpec parseText(ColumnList.Entry entry) {
    List<String> tokens = entry.words();
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(
          "column '"
              + entry
              + "' needs a name and a mapping (:key or family:qualifier), e.g. \"name string"
              + " d:name\"");
    }
    int last = tokens.size() - 1;
    Encoding encoding = null;
    if (tokens.size() >= 2
        && Encoding.named(tokens.get(last)) != null
        && isMapping(tokens.get(last - 1))) {
      encoding = Encoding.named(tokens.get(last));
      last--;
    }
    if (!isMapping(tokens.get(last))) {
      throw entry.problem(
          "'"
              + tokens.get(last)
              + "' is not a mapping; write :key for the row key or family:qualifier");
    }
    String type = String.join(" ", tokens.subList(0, last));
    return of(
        entry.name(),
        type.isEmpty() ? null : entry.dataType(type),
        tokens.get(last),
        encoding,
        false);
  }

  private static ColumnSpec parseMap(ColumnList.Entry entry) {
    String n = entry.name();
    if (!(entry.get("column") instanceof String c) || !isMapping(c)) {
      throw new IllegalArgumentException(
          "column '" + n + "' needs column: :key or family:qualifier");
    }
    DataType type = entry.type();
    Encoding encoding = null;
    Object named = entry.get("encoding");
    if (named != null) {
      encoding = Encoding.named(String.valueOf(named));
      if (encoding == null) {
        throw entry.problem("encoding '" + named + "' is not string or binary");
      }
    }
    Object allVersions = entry.get("allVersions");
    return of(
        n,
        type,
        c.trim(),
        encoding,
        allVersions != null && Boolean.parseBoolean(String.valueOf(allVersions)));
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
}

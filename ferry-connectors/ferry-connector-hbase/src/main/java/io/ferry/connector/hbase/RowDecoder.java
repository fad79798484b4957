package io.ferry.connector.hbase;

import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.util.Bytes;

/** Turns a scanned row (a {@link Result}) into a Ferry row by the source's column mapping. */
final class RowDecoder {
  private final Schema schema;
  private final List<ColumnSpec> specs;
  private final Encoding[] encodings;
  private final RowKeyRule rule;

  /** For each part of the rule, the column index it fills. */
  private final int[] keyColumns;

  private final boolean[] keyPadded;
  private final ZoneId zone;
  private final byte[][] families;
  private final byte[][] qualifiers;

  RowDecoder(
      Schema schema, List<ColumnSpec> specs, Encoding fallback, RowKeyRule rule, ZoneId zone) {
    this.schema = schema;
    this.specs = specs;
    this.rule = rule;
    this.zone = zone;
    this.encodings = new Encoding[specs.size()];
    this.families = new byte[specs.size()][];
    this.qualifiers = new byte[specs.size()][];
    for (int i = 0; i < specs.size(); i++) {
      encodings[i] = specs.get(i).encodingOr(fallback);
      if (!specs.get(i).isRowKey()) {
        families[i] = specs.get(i).familyBytes();
        qualifiers[i] = specs.get(i).qualifierBytes();
      }
    }
    int parts = rule == null ? 0 : rule.columns().size();
    this.keyColumns = new int[parts];
    this.keyPadded = new boolean[parts];
    for (int p = 0; p < parts; p++) {
      keyColumns[p] = schema.indexOf(rule.columns().get(p));
      keyPadded[p] = encodings[keyColumns[p]] == Encoding.STRING;
    }
  }

  /** A value of one column that does not decode, with the reason. */
  static final class BadValue extends Exception {
    private static final long serialVersionUID = 1L;
    final String column;
    final String raw;

    BadValue(String column, String raw, String reason) {
      super(reason, null, false, false);
      this.column = column;
      this.raw = raw;
    }
  }

  /** The Ferry row of {@code result}. */
  Object[] decode(Result result) throws BadValue {
    Object[] row = new Object[specs.size()];
    if (rule != null) {
      byte[] key = result.getRow();
      int[][] parts;
      try {
        parts = rule.split(key, keyPadded);
      } catch (IllegalArgumentException e) {
        throw new BadValue(rule.columns().get(0), Bytes.toStringBinary(key), e.getMessage());
      }
      for (int p = 0; p < parts.length; p++) {
        int c = keyColumns[p];
        row[c] = value(c, key, parts[p][0], parts[p][1]);
      }
    }
    for (int c = 0; c < specs.size(); c++) {
      ColumnSpec spec = specs.get(c);
      if (spec.isRowKey()) {
        continue;
      }
      if (spec.allVersions()) {
        List<Cell> cells = result.getColumnCells(families[c], qualifiers[c]);
        if (cells.isEmpty()) {
          continue;
        }
        DataType element = spec.type().elementType();
        List<Object> versions = new ArrayList<>(cells.size());
        for (Cell cell : cells) {
          versions.add(
              decodeAs(
                  c, element, cell.getValueArray(), cell.getValueOffset(), cell.getValueLength()));
        }
        row[c] = versions;
      } else {
        Cell cell = result.getColumnLatestCell(families[c], qualifiers[c]);
        if (cell != null) {
          row[c] = value(c, cell.getValueArray(), cell.getValueOffset(), cell.getValueLength());
        }
      }
    }
    return row;
  }

  private Object value(int column, byte[] bytes, int offset, int length) throws BadValue {
    return decodeAs(column, schema.column(column).type(), bytes, offset, length);
  }

  private Object decodeAs(int column, DataType type, byte[] bytes, int offset, int length)
      throws BadValue {
    try {
      return encodings[column].decode(bytes, offset, length, type, zone);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new BadValue(
          schema.column(column).name(),
          Bytes.toStringBinary(bytes, offset, length),
          "cannot decode "
              + encodings[column].choice()
              + "-encoded "
              + type
              + " from "
              + specs.get(column).mapping()
              + ": "
              + e.getMessage());
    }
  }

  /** The row's cells as text, by column, for a dirty row. */
  Map<String, Object> raw(Result result) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("_row", Bytes.toStringBinary(result.getRow()));
    for (ColumnSpec spec : specs) {
      if (!spec.isRowKey()) {
        Cell cell = result.getColumnLatestCell(spec.familyBytes(), spec.qualifierBytes());
        if (cell != null) {
          raw.put(
              spec.name(),
              io.ferry.connector.support.Values.abbreviate(
                  Bytes.toStringBinary(
                      cell.getValueArray(), cell.getValueOffset(), cell.getValueLength())));
        }
      }
    }
    return raw;
  }
}

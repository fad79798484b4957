package io.ferry.connector.hbase;

import io.ferry.spi.Schema;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Mutation;
import org.apache.hadoop.hbase.client.Put;

/** Turns a Ferry row into the mutations of the sink's mapping: a Put, and a Delete of NULLs. */
final class RowEncoder {
  /** One cell a column writes. */
  record Target(int column, byte[] family, byte[] qualifier, Encoding encoding) {}

  private final Schema schema;
  private final RowKeyRule rule;
  private final int[] keyColumns;
  private final Encoding[] keyEncodings;
  private final boolean[] keyPadded;
  private final List<Target> targets;
  private final byte[] markerFamily;
  private final boolean deleteNulls;
  private final org.apache.hadoop.hbase.client.Durability durability;
  private final ZoneId zone;

  RowEncoder(
      Schema schema,
      RowKeyRule rule,
      Encoding[] keyEncodings,
      List<Target> targets,
      byte[] markerFamily,
      boolean deleteNulls,
      org.apache.hadoop.hbase.client.Durability durability,
      ZoneId zone) {
    this.schema = schema;
    this.rule = rule;
    this.keyColumns = new int[rule.columns().size()];
    this.keyPadded = new boolean[keyColumns.length];
    for (int p = 0; p < keyColumns.length; p++) {
      keyColumns[p] = schema.indexOf(rule.columns().get(p));
      keyPadded[p] = keyEncodings[p] == Encoding.STRING;
    }
    this.keyEncodings = keyEncodings;
    this.targets = List.copyOf(targets);
    this.markerFamily = markerFamily;
    this.deleteNulls = deleteNulls;
    this.durability = durability;
    this.zone = zone;
  }

  Schema schema() {
    return schema;
  }

  /** The row key of {@code row}. */
  byte[] key(Object[] row) {
    byte[][] parts = new byte[keyColumns.length][];
    for (int p = 0; p < parts.length; p++) {
      Object value = row[keyColumns[p]];
      String column = rule.columns().get(p);
      if (value == null) {
        throw new RowKeyRule.RowKeyProblem(column, "a row key column is NULL");
      }
      parts[p] = encode(keyEncodings[p], value, keyColumns[p], column);
    }
    byte[] key = rule.join(parts, keyPadded);
    if (key.length == 0) {
      throw new RowKeyRule.RowKeyProblem(rule.columns().get(0), "the row key is empty");
    }
    if (key.length > HConstants.MAX_ROW_LENGTH) {
      throw new RowKeyRule.RowKeyProblem(
          rule.columns().get(0),
          "the row key takes " + key.length + " bytes; HBase allows " + HConstants.MAX_ROW_LENGTH);
    }
    return key;
  }

  /** The row key of a single-column key holding {@code value}. */
  byte[] keyOf(Object value) {
    return encode(keyEncodings[0], value, keyColumns[0], rule.columns().get(0));
  }

  Encoding keyEncoding() {
    return keyEncodings[0];
  }

  private byte[] encode(Encoding encoding, Object value, int column, String name) {
    try {
      return encoding.encode(value, schema.column(column).type(), zone);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new RowKeyRule.RowKeyProblem(name, e.getMessage());
    }
  }

  /** The Put of {@code row} and, with nulls: delete, the Delete of its NULL cells. */
  List<Mutation> mutations(Object[] row) {
    byte[] key = key(row);
    Put put = new Put(key);
    Delete delete = null;
    for (Target t : targets) {
      Object value = row[t.column];
      if (value == null) {
        if (deleteNulls) {
          if (delete == null) {
            delete = new Delete(key);
          }
          delete.addColumns(t.family, t.qualifier);
        }
        continue;
      }
      put.addColumn(
          t.family,
          t.qualifier,
          encode(t.encoding, value, t.column, schema.column(t.column).name()));
    }
    if (put.isEmpty()) {
      // HBase keeps no row without a cell: one empty cell (family, empty qualifier) keeps it.
      put.addColumn(markerFamily, HConstants.EMPTY_BYTE_ARRAY, HConstants.EMPTY_BYTE_ARRAY);
    }
    List<Mutation> out = new ArrayList<>(2);
    put.setDurability(durability);
    out.add(put);
    if (delete != null) {
      delete.setDurability(durability);
      out.add(delete);
    }
    return out;
  }

  /**
   * The mutations of a change's row at timestamp {@code ts}: a Put of the values, a Delete of the
   * cells of NULL values whatever the nulls option (a change writes the whole row), nothing for the
   * columns {@code skip} names; one empty cell when nothing else keeps the row.
   */
  List<Mutation> changeMutations(Object[] row, long ts, java.util.function.IntPredicate skip) {
    byte[] key = key(row);
    Put put = new Put(key, ts);
    Delete delete = null;
    for (Target t : targets) {
      if (skip.test(t.column)) {
        continue;
      }
      Object value = row[t.column];
      if (value == null) {
        if (delete == null) {
          delete = new Delete(key, ts);
        }
        delete.addColumns(t.family, t.qualifier, ts);
        continue;
      }
      put.addColumn(
          t.family,
          t.qualifier,
          ts,
          encode(t.encoding, value, t.column, schema.column(t.column).name()));
    }
    if (put.isEmpty()) {
      put.addColumn(markerFamily, HConstants.EMPTY_BYTE_ARRAY, ts, HConstants.EMPTY_BYTE_ARRAY);
    }
    List<Mutation> out = new ArrayList<>(2);
    put.setDurability(durability);
    out.add(put);
    if (delete != null) {
      delete.setDurability(durability);
      out.add(delete);
    }
    return out;
  }

  /** The Delete of a whole row: every cell up to {@code ts}. */
  Delete deleteRow(Object[] row, long ts) {
    Delete delete = new Delete(key(row), ts);
    delete.setDurability(durability);
    return delete;
  }
}

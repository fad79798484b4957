package io.ferry.spi;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a store holds: schemas, tables, columns with their native and Ferry types, keys and row
 * estimates. Used for field mapping, for creating target tables and by the metadata catalog.
 */
public interface Catalog extends AutoCloseable {
  /** Schemas (databases, for stores that call them so) the connection can see. */
  List<String> schemas();

  /** Tables of one schema; null for stores without schemas. */
  List<TableRef> tables(String schema);

  /**
   * @throws FerryException with {@link ErrorCode#NOT_FOUND} when there is no such table
   */
  TableInfo table(TableRef table);

  @Override
  default void close() {}

  /** A table's name, with its schema (null where the store has none). */
  record TableRef(String schema, String name) {
    public TableRef {
      Objects.requireNonNull(name, "name is null");
    }

    @Override
    public String toString() {
      return schema == null ? name : schema + "." + name;
    }
  }

  /**
   * @param nativeType the store's own type text, e.g. {@code varchar(32)}, {@code numeric(12,2)}
   * @param type the Ferry type its values map to
   * @param defaultValue the store's default expression, or null
   * @param comment the store's comment, or null
   */
  record ColumnInfo(
      String name,
      String nativeType,
      DataType type,
      boolean nullable,
      String defaultValue,
      String comment) {
    public ColumnInfo {
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(nativeType, "nativeType is null");
      Objects.requireNonNull(type, "type is null");
    }
  }

  /**
   * An index of a table.
   *
   * @param columns the indexed column names in index order
   */
  record IndexInfo(String name, List<String> columns, boolean unique) {
    public IndexInfo {
      Objects.requireNonNull(name, "name is null");
      columns = List.copyOf(columns);
    }
  }

  /**
   * @param primaryKey the key's column names in key order; empty when the table has none
   * @param indexes the table's indexes besides the primary key
   * @param rowEstimate the store's estimate of the row count, when it keeps one
   */
  record TableInfo(
      TableRef ref,
      List<ColumnInfo> columns,
      List<String> primaryKey,
      List<IndexInfo> indexes,
      OptionalLong rowEstimate,
      String comment) {
    public TableInfo {
      Objects.requireNonNull(ref, "ref is null");
      columns = List.copyOf(columns);
      primaryKey = List.copyOf(primaryKey);
      indexes = List.copyOf(indexes);
      Objects.requireNonNull(rowEstimate, "rowEstimate is null");
    }

    /** A table whose indexes are not known. */
    public TableInfo(
        TableRef ref,
        List<ColumnInfo> columns,
        List<String> primaryKey,
        OptionalLong rowEstimate,
        String comment) {
      this(ref, columns, primaryKey, List.of(), rowEstimate, comment);
    }

    /** The columns as a schema of Ferry types. */
    public Schema schema() {
      return Schema.of(
          columns.stream().map(c -> new Column(c.name(), c.type(), c.nullable())).toList());
    }
  }
}

package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.DataType;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * How a database's column types meet Ferry types: the {@link ColumnMapping} a column is read with,
 * the {@link ColumnBinder} values are written with, and the native types {@code createTable} and
 * the catalog show. One part of a {@link Dialect} ({@link Dialect#types()}); the defaults are
 * {@link StandardColumnMappings} ({@link #STANDARD}). Implementations are shared by threads: keep
 * them immutable.
 */
public interface TypeMapping {
  /** The portable mappings of {@link StandardColumnMappings}. */
  TypeMapping STANDARD = new TypeMapping() {};

  /**
   * How a column is read: its Ferry type and reader. Called wherever the base describes a table
   * (source, sink target, catalog) and once per column and split. Default: {@link
   * StandardColumnMappings#columnMapping}.
   *
   * @throws IllegalArgumentException from the returned reader when a value cannot be converted: the
   *     row becomes dirty
   */
  default ColumnMapping toColumnMapping(JdbcColumn column) {
    return StandardColumnMappings.columnMapping(column);
  }

  /**
   * Binds non-null values of the incoming {@code type} to parameters for the {@code target} column.
   * Called once per column and writer. Default: {@link StandardColumnMappings#binder}.
   */
  default ColumnBinder binder(DataType type, JdbcColumn target) {
    return StandardColumnMappings.binder(type);
  }

  /**
   * The column type {@code createTable} uses for {@code type}. Default: standard SQL.
   *
   * @throws IllegalArgumentException when the database has no type for it (a decimal wider than it
   *     allows), saying what to do instead
   */
  default String nativeType(DataType type) {
    return StandardColumnMappings.nativeType(type);
  }

  /** The native type the catalog shows, e.g. {@code varchar(32)}. */
  default String nativeTypeText(JdbcColumn column) {
    return StandardColumnMappings.nativeTypeText(column);
  }

  /**
   * The columns of a table as the database's own catalog describes them, given what {@link
   * DatabaseMetaData#getColumns} said ({@code columns}, in table order). Called wherever the base
   * describes a table (source, sink target, catalog), before {@link #toColumnMapping}; return the
   * list with corrected entries (same names, same order), e.g. MariaDB's {@code json}, reported as
   * {@code LONGTEXT}, with the type name {@code json}. Keep it to one query per table; never close
   * or commit the connection. Default: {@code columns}.
   */
  default List<JdbcColumn> refineColumns(
      Connection connection, TableRef table, List<JdbcColumn> columns) throws SQLException {
    return columns;
  }
}

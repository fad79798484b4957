package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link BulkWriter} loads into.
 *
 * @param table the target table, qualified and quoted, ready for SQL
 * @param ref the target table's schema and name, unquoted
 * @param columns the target columns written, in the order of the {@link RowBuffer} values
 * @param types the Ferry type of each buffer value, in the same order (the incoming types, which
 *     may differ from the column's own mapping: the database converts)
 * @param writeMode never {@link WriteMode#TRUNCATE_INSERT}: the sink truncated already and asks for
 *     {@link WriteMode#INSERT}
 * @param keys the conflict key columns for upsert and replace; empty for insert
 * @param context the sink's context (time zone, job name for staging object names, work folder, and
 *     {@link ConnectorContext#dirtyRows()} for rows the bulk writer sets aside, see {@link
 *     BulkWriter})
 */
public record BulkTarget(
    String table,
    TableRef ref,
    List<JdbcColumn> columns,
    List<DataType> types,
    WriteMode writeMode,
    List<String> keys,
    ConnectorContext context) {
  public BulkTarget {
    Objects.requireNonNull(table, "table is null");
    Objects.requireNonNull(ref, "ref is null");
    columns = List.copyOf(columns);
    types = List.copyOf(types);
    Objects.requireNonNull(writeMode, "writeMode is null");
    keys = List.copyOf(keys);
    Objects.requireNonNull(context, "context is null");
  }
}

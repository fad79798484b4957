package io.ferry.connector.jdbc;

import io.ferry.spi.DataType;
import java.util.List;

/**
 * How every writer of a sink writes, worked out once in {@code prepare}.
 *
 * @param sql the batched statement (insert, upsert or replace), one parameter per target column
 * @param columns the target columns written, in parameter order
 * @param types the incoming Ferry type of each target column's values
 * @param batchIndexes the incoming batch column of each target column
 * @param keys the key columns (upsert/replace conflict keys, or the primary key) for dirty-row
 *     locations; may be empty
 * @param bulkTarget what a dialect bulk writer loads into
 */
record WritePlan(
    String label,
    String sql,
    List<JdbcColumn> columns,
    List<DataType> types,
    int[] batchIndexes,
    ColumnBinder[] binders,
    List<String> keys,
    BulkTarget bulkTarget) {

  List<String> columnNames() {
    return columns.stream().map(JdbcColumn::name).toList();
  }
}

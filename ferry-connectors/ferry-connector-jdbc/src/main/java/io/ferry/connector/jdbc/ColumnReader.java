package io.ferry.connector.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads one column of the current row as a Ferry value. Chosen once per split by {@link
 * TypeMapping#toColumnMapping}, so the hot loop does no per-value type switch.
 *
 * <p>Returns the Java class {@link io.ferry.spi.TypeKind} fixes for the column's Ferry type, or
 * null for SQL NULL (check {@link ResultSet#wasNull()} after primitive getters).
 */
@FunctionalInterface
public interface ColumnReader {
  /**
   * @param index the 1-based column index in the result set
   * @throws IllegalArgumentException when the value cannot be converted (a MySQL zero date
   *     configured as an error): the message is the reason, and the row goes to the dirty-data
   *     store instead of failing the run
   * @throws SQLException on a driver failure; retriable ones reopen the cursor
   */
  Object read(ResultSet resultSet, int index) throws SQLException;
}

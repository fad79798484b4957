package io.ferry.connector.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Binds one non-null Ferry value to a statement parameter. Chosen once per writer by {@link
 * TypeMapping#binder}; NULLs never reach it (the base binds them with {@code setNull} and the
 * target column's type code).
 */
@FunctionalInterface
public interface ColumnBinder {
  /**
   * @param index the 1-based parameter index
   * @param value a non-null value of the Java class of the incoming Ferry type
   * @throws IllegalArgumentException when the value does not fit the target column: the row goes to
   *     the dirty-data store with the message as the reason
   */
  void bind(PreparedStatement statement, int index, Object value) throws SQLException;
}

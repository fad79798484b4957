package io.ferry.connector.jdbc;

import io.ferry.spi.DataType;
import java.util.Objects;

/**
 * How one database column is read: the Ferry type its values take and the {@link ColumnReader} that
 * produces them. Chosen once per column by {@link TypeMapping#toColumnMapping}; the source declares
 * {@link #type()} in its schema and reads every row of a split through {@link #reader()}, so the
 * hot loop does no per-value type switch. {@link StandardColumnMappings} builds the portable ones.
 *
 * @param type the Ferry type of the column's values
 * @param reader returns values of {@code type}'s Java class (see {@link io.ferry.spi.TypeKind})
 */
public record ColumnMapping(DataType type, ColumnReader reader) {
  public ColumnMapping {
    Objects.requireNonNull(type, "type is null");
    Objects.requireNonNull(reader, "reader is null");
  }
}

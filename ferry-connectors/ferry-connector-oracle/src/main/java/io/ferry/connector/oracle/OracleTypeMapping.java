package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.ColumnBinder;
import io.ferry.connector.jdbc.ColumnMapping;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.TypeMapping;
import io.ferry.spi.DataType;
import java.util.Objects;

/**
 * How Oracle columns read and write ({@link OracleTypes}): NUMBER without precision at {@code
 * numberScale} decimal places, empty strings as {@code emptyStrings} says.
 */
final class OracleTypeMapping implements TypeMapping {
  private final int numberScale;
  private final EmptyStrings.Policy emptyStrings;

  OracleTypeMapping(int numberScale, EmptyStrings.Policy emptyStrings) {
    this.numberScale = numberScale;
    this.emptyStrings = Objects.requireNonNull(emptyStrings, "emptyStrings is null");
  }

  @Override
  public ColumnMapping toColumnMapping(JdbcColumn column) {
    DataType type = OracleTypes.ferryType(column, numberScale);
    return new ColumnMapping(type, OracleTypes.reader(column, type));
  }

  @Override
  public ColumnBinder binder(DataType type, JdbcColumn target) {
    return OracleTypes.binder(type, target, emptyStrings);
  }

  @Override
  public String nativeType(DataType type) {
    return OracleTypes.nativeType(type);
  }
}

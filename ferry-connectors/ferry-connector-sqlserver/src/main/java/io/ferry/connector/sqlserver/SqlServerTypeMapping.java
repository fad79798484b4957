package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.ColumnMapping;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.StandardColumnMappings;
import io.ferry.connector.jdbc.TypeMapping;
import io.ferry.spi.DataType;

/** How SQL Server columns read and write: the types of {@link SqlServerTypes}, JDBC getters. */
final class SqlServerTypeMapping implements TypeMapping {
  static final SqlServerTypeMapping INSTANCE = new SqlServerTypeMapping();

  private SqlServerTypeMapping() {}

  @Override
  public ColumnMapping toColumnMapping(JdbcColumn column) {
    return StandardColumnMappings.mapping(SqlServerTypes.ferryType(column));
  }

  @Override
  public String nativeType(DataType type) {
    return SqlServerTypes.nativeType(type, false);
  }
}

package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.ColumnBinder;
import io.ferry.connector.jdbc.ColumnMapping;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.StandardColumnMappings;
import io.ferry.connector.jdbc.TypeMapping;
import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;

/** How SQL Server columns read and write: the types of {@link SqlServerTypes}, JDBC getters. */
final class SqlServerTypeMapping implements TypeMapping {
  static final SqlServerTypeMapping INSTANCE = new SqlServerTypeMapping();

  private SqlServerTypeMapping() {}

  @Override
  public ColumnMapping toColumnMapping(JdbcColumn column) {
    return StandardColumnMappings.mapping(SqlServerTypes.ferryType(column));
  }

  /**
   * Temporal values as the default binds them, after {@link SqlServerTemporal} checked that the
   * column's type holds them; a character column gets the text of 24:00:00 and the infinities.
   */
  @Override
  public ColumnBinder binder(DataType type, JdbcColumn target) {
    ColumnBinder standard = StandardColumnMappings.binder(type);
    return switch (type.kind()) {
      case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> {
        if (SqlServerTypes.ferryType(target).kind() == TypeKind.STRING) {
          yield (ps, i, v) -> {
            String special = Values.specialText(v);
            if (special != null) {
              ps.setString(i, special);
            } else {
              standard.bind(ps, i, v);
            }
          };
        }
        yield (ps, i, v) -> {
          SqlServerTemporal.checkStorable(v);
          standard.bind(ps, i, v);
        };
      }
      default -> standard;
    };
  }

  @Override
  public String nativeType(DataType type) {
    return SqlServerTypes.nativeType(type, false);
  }
}

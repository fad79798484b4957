package io.ferry.connector.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.spi.DataType;
import java.sql.Types;
import org.junit.jupiter.api.Test;

/** The SQL Server type mapping table, as mssql-jdbc describes columns. */
class SqlServerTypesTest {
  private final SqlServerDialect dialect = new SqlServerDialect();

  private DataType type(int sqlType, String typeName, int precision, int scale) {
    return dialect
        .types()
        .toColumnMapping(new JdbcColumn("c", sqlType, typeName, precision, scale, true, false))
        .type();
  }

  @Test
  void numbers() {
    assertThat(type(Types.BIT, "bit", 1, 0)).isEqualTo(DataType.BOOLEAN);
    assertThat(type(Types.TINYINT, "tinyint", 3, 0))
        .as("unsigned 0..255")
        .isEqualTo(DataType.INT16);
    assertThat(type(Types.SMALLINT, "smallint", 5, 0)).isEqualTo(DataType.INT16);
    assertThat(type(Types.INTEGER, "int identity", 10, 0)).isEqualTo(DataType.INT32);
    assertThat(type(Types.BIGINT, "bigint", 19, 0)).isEqualTo(DataType.INT64);
    assertThat(type(Types.REAL, "real", 24, 0)).isEqualTo(DataType.FLOAT32);
    assertThat(type(Types.DOUBLE, "float", 53, 0)).isEqualTo(DataType.FLOAT64);
    assertThat(type(Types.DECIMAL, "decimal", 38, 6)).isEqualTo(DataType.decimal(38, 6));
    assertThat(type(Types.NUMERIC, "numeric", 10, 0)).isEqualTo(DataType.decimal(10, 0));
    assertThat(type(Types.DECIMAL, "money", 19, 4)).isEqualTo(DataType.decimal(19, 4));
    assertThat(type(Types.DECIMAL, "smallmoney", 10, 4)).isEqualTo(DataType.decimal(10, 4));
  }

  @Test
  void textAndBinary() {
    for (String text :
        new String[] {"nvarchar", "varchar", "nchar", "char", "text", "ntext", "xml", "sysname"}) {
      assertThat(type(Types.NVARCHAR, text, 10, 0)).as(text).isEqualTo(DataType.STRING);
    }
    assertThat(type(Types.CHAR, "uniqueidentifier", 36, 0)).isEqualTo(DataType.STRING);
    for (String binary : new String[] {"varbinary", "binary", "image"}) {
      assertThat(type(Types.VARBINARY, binary, 10, 0)).as(binary).isEqualTo(DataType.BYTES);
    }
    assertThat(type(Types.BINARY, "timestamp", 8, 0)).as("rowversion").isEqualTo(DataType.BYTES);
    assertThat(type(Types.BINARY, "rowversion", 8, 0)).isEqualTo(DataType.BYTES);
    assertThat(type(Types.LONGNVARCHAR, "json", 0, 0)).isEqualTo(DataType.JSON);
  }

  @Test
  void dateAndTime() {
    assertThat(type(Types.DATE, "date", 10, 0)).isEqualTo(DataType.DATE);
    assertThat(type(Types.TIME, "time", 16, 7)).isEqualTo(DataType.time(7));
    assertThat(type(Types.TIME, "time", 8, 0)).isEqualTo(DataType.time(0));
    assertThat(type(Types.TIMESTAMP, "datetime2", 27, 7)).isEqualTo(DataType.timestamp(7));
    assertThat(type(Types.TIMESTAMP, "datetime2", 22, 2)).isEqualTo(DataType.timestamp(2));
    assertThat(type(Types.TIMESTAMP, "datetime", 23, 3)).isEqualTo(DataType.timestamp(3));
    assertThat(type(Types.TIMESTAMP, "smalldatetime", 16, 0)).isEqualTo(DataType.timestamp(0));
    assertThat(type(-155, "datetimeoffset", 34, 7)).isEqualTo(DataType.timestampTz(7));
    assertThat(type(-155, "datetimeoffset", 26, 0)).isEqualTo(DataType.timestampTz(0));
    assertThat(type(Types.TIMESTAMP, "TIMESTAMP", 26, 6))
        .as("a TIMESTAMP with a datetime type code is not rowversion")
        .isEqualTo(DataType.timestamp(6));
  }

  @Test
  void nativeTypesForCreateTable() {
    assertThat(dialect.types().nativeType(DataType.BOOLEAN)).isEqualTo("BIT");
    assertThat(dialect.types().nativeType(DataType.INT8)).isEqualTo("SMALLINT");
    assertThat(dialect.types().nativeType(DataType.INT32)).isEqualTo("INT");
    assertThat(dialect.types().nativeType(DataType.INT64)).isEqualTo("BIGINT");
    assertThat(dialect.types().nativeType(DataType.FLOAT32)).isEqualTo("REAL");
    assertThat(dialect.types().nativeType(DataType.FLOAT64)).isEqualTo("FLOAT(53)");
    assertThat(dialect.types().nativeType(DataType.STRING)).isEqualTo("NVARCHAR(MAX)");
    assertThat(dialect.types().nativeType(DataType.BYTES)).isEqualTo("VARBINARY(MAX)");
    assertThat(dialect.types().nativeType(DataType.time(9))).isEqualTo("TIME(7)");
    assertThat(dialect.types().nativeType(DataType.timestamp(3))).isEqualTo("DATETIME2(3)");
    assertThat(dialect.types().nativeType(DataType.TIMESTAMP_TZ)).isEqualTo("DATETIMEOFFSET(6)");
    assertThat(dialect.types().nativeType(DataType.map(DataType.STRING, DataType.INT64)))
        .isEqualTo("NVARCHAR(MAX)");
    assertThatThrownBy(() -> dialect.types().nativeType(DataType.decimal(39, 0)))
        .hasMessageContaining("38 digits");
  }
}

package io.ferry.connector.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.jdbc.ColumnReader;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The Oracle type mapping table, and values read through the dialect's readers. */
class OracleTypesTest {
  private final OracleDialect dialect = new OracleDialect();

  /** A column as ojdbc describes it. */
  private static JdbcColumn col(int sqlType, String typeName, int precision, int scale) {
    return new JdbcColumn("c", sqlType, typeName, precision, scale, true, false);
  }

  private DataType type(int sqlType, String typeName, int precision, int scale) {
    return dialect.types().toColumnMapping(col(sqlType, typeName, precision, scale)).type();
  }

  @Test
  void numbersMapByDigits() {
    assertThat(type(Types.NUMERIC, "NUMBER", 1, 0)).isEqualTo(DataType.INT32);
    assertThat(type(Types.NUMERIC, "NUMBER", 9, 0)).isEqualTo(DataType.INT32);
    assertThat(type(Types.NUMERIC, "NUMBER", 10, 0)).isEqualTo(DataType.INT64);
    assertThat(type(Types.NUMERIC, "NUMBER", 18, 0)).isEqualTo(DataType.INT64);
    assertThat(type(Types.NUMERIC, "NUMBER", 19, 0))
        .as("Oracle's BIGINT")
        .isEqualTo(DataType.INT64);
    assertThat(type(Types.NUMERIC, "NUMBER", 20, 0)).isEqualTo(DataType.decimal(20, 0));
    assertThat(type(Types.NUMERIC, "NUMBER", 38, 0)).isEqualTo(DataType.decimal(38, 0));
    assertThat(type(Types.NUMERIC, "NUMBER", 12, 2)).isEqualTo(DataType.decimal(12, 2));
    assertThat(type(Types.NUMERIC, "NUMBER", 5, -2))
        .as("7-digit integers")
        .isEqualTo(DataType.INT32);
    assertThat(type(Types.NUMERIC, "NUMBER", 2, 5)).isEqualTo(DataType.decimal(5, 5));
    assertThat(type(Types.NUMERIC, "NUMBER", 0, -127))
        .as("NUMBER without precision")
        .isEqualTo(DataType.decimal(38, 10));
    assertThat(type(Types.NUMERIC, "NUMBER", 126, -127))
        .as("FLOAT(126)")
        .isEqualTo(DataType.FLOAT64);
    assertThat(type(Types.FLOAT, "FLOAT", 126, 0)).isEqualTo(DataType.FLOAT64);
    assertThat(type(Types.NUMERIC, "INTEGER", 0, 0)).isEqualTo(DataType.decimal(38, 0));
    assertThat(type(Types.NUMERIC, "DECFLOAT", 40, 0))
        .as("H2 stand-in")
        .isEqualTo(DataType.decimal(38, 10));
    assertThat(type(100, "BINARY_FLOAT", 0, 0)).isEqualTo(DataType.FLOAT32);
    assertThat(type(101, "BINARY_DOUBLE", 0, 0)).isEqualTo(DataType.FLOAT64);
  }

  @Test
  void numberScaleOptionSetsTheScaleOfUnboundedNumbers() {
    OracleTypeMapping four = new OracleTypeMapping(4, EmptyStrings.NULL.policy());
    assertThat(four.toColumnMapping(col(Types.NUMERIC, "NUMBER", 0, -127)).type())
        .isEqualTo(DataType.decimal(38, 4));
  }

  @Test
  void textBinaryAndTimeTypes() {
    for (String text :
        new String[] {"VARCHAR2", "NVARCHAR2", "CHAR", "NCHAR", "CLOB", "NCLOB", "LONG", "ROWID"}) {
      assertThat(type(Types.VARCHAR, text, 10, 0)).as(text).isEqualTo(DataType.STRING);
    }
    for (String binary : new String[] {"BLOB", "RAW", "LONG RAW"}) {
      assertThat(type(Types.VARBINARY, binary, 16, 0)).as(binary).isEqualTo(DataType.BYTES);
    }
    assertThat(type(Types.TIMESTAMP, "DATE", 7, 0))
        .as("Oracle DATE keeps the time of day")
        .isEqualTo(DataType.timestamp(0));
    assertThat(type(Types.TIMESTAMP, "TIMESTAMP(9)", 11, 9)).isEqualTo(DataType.timestamp(9));
    assertThat(type(Types.TIMESTAMP, "TIMESTAMP", 11, 3)).isEqualTo(DataType.timestamp(3));
    assertThat(type(-101, "TIMESTAMP(6) WITH TIME ZONE", 13, 6)).isEqualTo(DataType.timestampTz(6));
    assertThat(type(-102, "TIMESTAMP WITH LOCAL TIME ZONE", 11, 6))
        .isEqualTo(DataType.timestampTz(6));
    assertThat(type(Types.TIMESTAMP_WITH_TIMEZONE, "unknown", 13, 3))
        .isEqualTo(DataType.timestampTz(3));
    assertThat(type(-104, "INTERVALDS", 2, 6)).isEqualTo(DataType.STRING);
    assertThat(type(-103, "INTERVAL YEAR(2) TO MONTH", 2, 0)).isEqualTo(DataType.STRING);
    assertThat(type(Types.OTHER, "JSON", 0, 0)).isEqualTo(DataType.JSON);
    assertThat(type(Types.BOOLEAN, "BOOLEAN", 1, 0)).isEqualTo(DataType.BOOLEAN);
  }

  @Test
  void nativeTypesForCreateTable() {
    assertThat(dialect.types().nativeType(DataType.BOOLEAN)).isEqualTo("NUMBER(1)");
    assertThat(dialect.types().nativeType(DataType.INT8)).isEqualTo("NUMBER(3)");
    assertThat(dialect.types().nativeType(DataType.INT16)).isEqualTo("NUMBER(5)");
    assertThat(dialect.types().nativeType(DataType.INT32)).isEqualTo("NUMBER(10)");
    assertThat(dialect.types().nativeType(DataType.INT64)).isEqualTo("NUMBER(19)");
    assertThat(dialect.types().nativeType(DataType.FLOAT32)).isEqualTo("BINARY_FLOAT");
    assertThat(dialect.types().nativeType(DataType.FLOAT64)).isEqualTo("BINARY_DOUBLE");
    assertThat(dialect.types().nativeType(DataType.decimal(38, 10))).isEqualTo("NUMBER(38,10)");
    assertThat(dialect.types().nativeType(DataType.STRING)).isEqualTo("VARCHAR2(4000 CHAR)");
    assertThat(dialect.types().nativeType(DataType.BYTES)).isEqualTo("BLOB");
    assertThat(dialect.types().nativeType(DataType.DATE)).isEqualTo("DATE");
    assertThat(dialect.types().nativeType(DataType.time(3))).isEqualTo("VARCHAR2(18 CHAR)");
    assertThat(dialect.types().nativeType(DataType.timestamp(9))).isEqualTo("TIMESTAMP(9)");
    assertThat(dialect.types().nativeType(DataType.timestampTz(6)))
        .isEqualTo("TIMESTAMP(6) WITH TIME ZONE");
    assertThat(dialect.types().nativeType(DataType.JSON)).isEqualTo("CLOB");
    assertThat(dialect.types().nativeType(DataType.array(DataType.INT32))).isEqualTo("CLOB");
  }

  /** Reads the single value of {@code sqlType} that {@code literal} makes, on H2 MODE=Oracle. */
  private static Object read(String columnType, String literal, JdbcColumn column, DataType type)
      throws Exception {
    OracleTestDatabase db = OracleTestDatabase.h2("oracle-types");
    db.execute("CREATE TABLE v (c " + columnType + ")", "INSERT INTO v VALUES (" + literal + ")");
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT c FROM v")) {
      rs.next();
      ColumnReader reader = OracleTypes.reader(column, type);
      return reader.read(rs, 1);
    }
  }

  @Test
  void decimalsComeBackWithTheColumnsScale() throws Exception {
    JdbcColumn number = col(Types.NUMERIC, "NUMBER", 12, 2);
    assertThat(read("NUMBER(12,2)", "0.1", number, DataType.decimal(12, 2)))
        .isEqualTo(new BigDecimal("0.10"));
    JdbcColumn unbounded = col(Types.NUMERIC, "NUMBER", 0, -127);
    assertThat(read("NUMBER", "1.5", unbounded, DataType.decimal(38, 10)))
        .isEqualTo(new BigDecimal("1.5000000000"));
  }

  @Test
  void unboundedNumbersWithMoreDecimalPlacesAreDirtyNotRounded() {
    JdbcColumn unbounded = col(Types.NUMERIC, "NUMBER", 0, -127);
    assertThatThrownBy(() -> read("NUMBER", "0.123456789012", unbounded, DataType.decimal(38, 10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.123456789012")
        .hasMessageContaining("decimal(38,10)");
  }

  @Test
  void number19BeyondLongIsDirtyNotWrapped() throws Exception {
    JdbcColumn bigint = col(Types.NUMERIC, "NUMBER", 19, 0);
    assertThat(read("NUMBER(19)", "-9223372036854775808", bigint, DataType.INT64))
        .isEqualTo(Long.MIN_VALUE);
    assertThatThrownBy(() -> read("NUMBER(19)", "9999999999999999999", bigint, DataType.INT64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9999999999999999999 does not fit int64");
  }

  @Test
  void dateKeepsItsTimeOfDayAndZonedTimestampsTheirOffset() throws Exception {
    assertThat(
            read(
                "DATE",
                "TIMESTAMP '2024-02-29 13:45:07'",
                col(Types.TIMESTAMP, "DATE", 7, 0),
                DataType.timestamp(0)))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 45, 7));
    assertThat(
            read(
                "TIMESTAMP(6) WITH TIME ZONE",
                "TIMESTAMP WITH TIME ZONE '1999-12-31 23:59:59.123456-09:30'",
                col(-101, "TIMESTAMP WITH TIME ZONE", 13, 6),
                DataType.timestampTz(6)))
        .isEqualTo(
            OffsetDateTime.of(
                1999, 12, 31, 23, 59, 59, 123_456_000, ZoneOffset.ofHoursMinutes(-9, -30)));
  }

  @Test
  void timeIsReadFromItsIsoText() throws Exception {
    assertThat(
            read(
                "VARCHAR2(18 CHAR)",
                "'23:59:59.999999'",
                col(Types.VARCHAR, "VARCHAR2", 18, 0),
                DataType.TIME))
        .isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));
  }

  /** The end of day written as 24:00:00 (see OracleWriteFlows) is read back as Ferry's. */
  @Test
  void timeTextOf24IsTheEndOfDay() throws Exception {
    assertThat(OracleTypes.timeText(LocalTime.MAX)).isEqualTo("24:00:00");
    assertThat(
            read(
                "VARCHAR2(18 CHAR)",
                "'24:00:00'",
                col(Types.VARCHAR, "VARCHAR2", 18, 0),
                DataType.TIME))
        .isEqualTo(LocalTime.MAX);
  }
}

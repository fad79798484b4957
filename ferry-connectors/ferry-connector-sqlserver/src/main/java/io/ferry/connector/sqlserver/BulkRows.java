package io.ferry.connector.sqlserver;

import com.microsoft.sqlserver.jdbc.ISQLServerBulkData;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Ferry rows as the source of a {@code SQLServerBulkCopy}: the driver pulls one row at a time with
 * {@link #next()} and {@link #getRowData()}, so a buffer streams to the server without a copy.
 *
 * <p>Each source column declares its target column's JDBC type, precision and scale, so the driver
 * converts nothing on its own; the values are turned into the classes its bulk writer expects for
 * that type (Boolean, Short, Integer, Long, Float, Double, BigDecimal, String, byte[], a date's ISO
 * text, a time's text with nine fraction digits, {@link Timestamp}, {@code
 * microsoft.sql.DateTimeOffset}); a temporal value SQL Server's types cannot hold (24:00:00, an
 * infinity, a year outside 0001 to 9999: {@link SqlServerTemporal}) is refused. A value whose
 * incoming Ferry type differs from the column's is first converted with {@link Values#cast}, which
 * never loses digits silently. The converter of each column is chosen once, not per value.
 *
 * <p>A value that cannot be sent throws {@link SQLDataException} (SQLState 22xxx) naming the row
 * and column: the sink then writes that buffer with batched statements, which put the bad row into
 * the dirty-data store.
 */
final class BulkRows implements ISQLServerBulkData {
  private static final long serialVersionUID = 1L;

  /** The rows: {@code RowBuffer::get} in the sink, a list in tests. */
  @FunctionalInterface
  interface Source {
    Object get(int row, int column);
  }

  /** Turns one non-null Ferry value into what the driver's bulk writer takes. */
  @FunctionalInterface
  private interface Converter {
    Object convert(Object value) throws SQLException;
  }

  private final transient List<JdbcColumn> columns;
  private final int[] types;
  private final transient Converter[] converters;
  private final transient Source source;
  private final int rows;
  private int row = -1;

  /**
   * @param columns the target columns, in the order of the row values
   * @param incoming the Ferry type of each row value, same order
   * @param source the values
   * @param rows how many rows {@code source} holds
   * @param zone interprets zone-less values converted to or from timestamp_tz
   */
  BulkRows(
      List<JdbcColumn> columns, List<DataType> incoming, Source source, int rows, ZoneId zone) {
    if (columns.size() != incoming.size()) {
      throw new IllegalArgumentException(
          columns.size() + " columns but " + incoming.size() + " incoming types");
    }
    this.columns = List.copyOf(columns);
    this.source = Objects.requireNonNull(source, "source is null");
    this.rows = rows;
    this.types = new int[columns.size()];
    this.converters = new Converter[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      JdbcColumn column = columns.get(c);
      DataType target = SqlServerTypes.ferryType(column);
      types[c] = bulkType(column);
      converters[c] = converter(column, incoming.get(c), target, zone);
    }
  }

  /**
   * The JDBC type the source column declares: the target's, taken from its type name where metadata
   * codes vary between driver versions (time and datetime types), with JSON and XML sent as
   * nvarchar text.
   */
  static int bulkType(JdbcColumn column) {
    return switch (SqlServerTypes.baseName(column.typeName())) {
      case "json", "xml" -> Types.LONGNVARCHAR;
      case "datetimeoffset" -> SqlServerTypes.DATETIMEOFFSET;
      case "time" -> Types.TIME;
      case "date" -> Types.DATE;
      case "datetime2", "datetime", "smalldatetime" -> Types.TIMESTAMP;
      default -> column.sqlType();
    };
  }

  private static Converter converter(
      JdbcColumn column, DataType incoming, DataType target, ZoneId zone) {
    Converter toTarget = toDriverClass(column, target);
    if (incoming.equals(target)) {
      return toTarget;
    }
    return value -> {
      Object cast;
      try {
        cast = Values.cast(value, incoming, target, zone);
      } catch (IllegalArgumentException e) {
        throw new SQLDataException(
            "cannot convert " + incoming + " to " + target + ": " + e.getMessage(), "22018");
      }
      return toTarget.convert(cast);
    };
  }

  /** A value of {@code target} (the column's Ferry type) as the driver's class. */
  private static Converter toDriverClass(JdbcColumn column, DataType target) {
    String name = SqlServerTypes.baseName(column.typeName());
    return switch (target.kind()) {
      case INT16 ->
          name.equals("tinyint")
              ? value -> {
                short v = (Short) value;
                if (v < 0 || v > 255) {
                  throw new SQLDataException(v + " is outside tinyint's 0..255", "22003");
                }
                return v;
              }
              : value -> value;
      case TIME -> value -> timeText((LocalTime) storable(value));
      case DATE -> value -> ((LocalDate) storable(value)).toString();
      case TIMESTAMP -> value -> timestamp((LocalDateTime) storable(value));
      case TIMESTAMP_TZ ->
          value -> microsoft.sql.DateTimeOffset.valueOf((OffsetDateTime) storable(value));
      case DECIMAL -> value -> (BigDecimal) value;
      default ->
          value -> value; // Boolean, Integer, Long, Float, Double, String, byte[] as they are
    };
  }

  /** {@code value} if SQL Server holds it as it is ({@link SqlServerTemporal}). */
  private static Object storable(Object value) throws SQLDataException {
    try {
      SqlServerTemporal.checkStorable(value);
    } catch (IllegalArgumentException e) {
      throw new SQLDataException(e.getMessage(), "22008");
    }
    return value;
  }

  /**
   * The driver parses a time's text itself and reads the digits after the dot as nanoseconds, so
   * they are written as exactly nine digits.
   */
  static String timeText(LocalTime t) {
    return String.format(
        "%02d:%02d:%02d.%09d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
  }

  /**
   * The driver's bulk writer takes datetime values as {@link Timestamp}, which it reads back in the
   * JVM's zone: exact for every local time except one inside a daylight-saving gap of that zone,
   * which cannot exist as a Timestamp and is refused rather than shifted.
   */
  static Timestamp timestamp(LocalDateTime value) throws SQLDataException {
    Timestamp ts = Timestamp.valueOf(value);
    if (!ts.toLocalDateTime().equals(value)) {
      throw new SQLDataException(
          value
              + " falls into a daylight-saving gap of the JVM time zone "
              + ZoneId.systemDefault()
              + " and cannot pass the bulk copy API; run Ferry with -Duser.timezone=UTC",
          "22007");
    }
    return ts;
  }

  @Override
  public Set<Integer> getColumnOrdinals() {
    Set<Integer> ordinals = new LinkedHashSet<>();
    for (int c = 1; c <= types.length; c++) {
      ordinals.add(c);
    }
    return ordinals;
  }

  @Override
  public String getColumnName(int column) {
    return columns.get(column - 1).name();
  }

  @Override
  public int getColumnType(int column) {
    return types[column - 1];
  }

  @Override
  public int getPrecision(int column) {
    return columns.get(column - 1).precision();
  }

  @Override
  public int getScale(int column) {
    return columns.get(column - 1).scale();
  }

  @Override
  public boolean next() {
    return ++row < rows;
  }

  @Override
  public Object[] getRowData() throws SQLException {
    Object[] values = new Object[types.length];
    for (int c = 0; c < values.length; c++) {
      Object value = source.get(row, c);
      if (value != null) {
        try {
          values[c] = converters[c].convert(value);
        } catch (SQLException e) {
          throw new SQLDataException(
              "row "
                  + row
                  + " of the batch, column "
                  + getColumnName(c + 1)
                  + ": "
                  + e.getMessage(),
              e.getSQLState(),
              e);
        }
      }
    }
    return values;
  }
}

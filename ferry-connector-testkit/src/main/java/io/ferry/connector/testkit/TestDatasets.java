package io.ferry.connector.testkit;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The rows the suites ask connectors to hold or write: a "standard" table of ordinary rows (any
 * size, deterministic) and a "types" table with one column per Ferry type and the edge values of
 * each (min and max integers, decimals with trailing zeros, emoji, empty strings next to NULLs,
 * bytes, fractional seconds, timestamps with offsets, nested values).
 *
 * <p>Both start with {@code id int64 not null} holding the row number from 0, so stores that need a
 * key have one. Columns of types the connector does not support are left out.
 */
public final class TestDatasets {
  private static final LocalDateTime EPOCH_2024 = LocalDateTime.of(2024, 1, 1, 0, 0);

  private TestDatasets() {}

  /**
   * {@code id int64 not null, name string, amount decimal(12,2), created_at timestamp, active
   * boolean}, minus the types {@code supported} rejects ({@code id} and {@code name} always stay).
   */
  public static Schema standardSchema(Predicate<DataType> supported) {
    List<Column> columns = new ArrayList<>();
    columns.add(new Column("id", DataType.INT64, false));
    columns.add(Column.of("name", DataType.STRING));
    for (Column c :
        List.of(
            Column.of("amount", DataType.decimal(12, 2)),
            Column.of("created_at", DataType.TIMESTAMP),
            Column.of("active", DataType.BOOLEAN))) {
      if (supported.test(c.type())) {
        columns.add(c);
      }
    }
    return Schema.of(columns);
  }

  /** {@code count} rows of {@code schema} (made by {@link #standardSchema}), all distinct. */
  public static List<Object[]> standardRows(Schema schema, int count) {
    List<Object[]> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Object[] row = new Object[schema.size()];
      for (int c = 0; c < row.length; c++) {
        row[c] = standardValue(schema.column(c).name(), i);
      }
      rows.add(row);
    }
    return rows;
  }

  private static Object standardValue(String column, int i) {
    return switch (column) {
      case "id" -> (long) i;
      case "name" ->
          i % 7 == 3 ? null : i % 11 == 5 ? "" : "name-" + i + (i % 13 == 0 ? " \uD83D\uDE80" : "");
      case "amount" -> BigDecimal.valueOf((i * 7919L) % 10_000_000 - 5_000_000, 2);
      case "created_at" -> EPOCH_2024.plusSeconds(i).plusNanos((i % 1000) * 1000L);
      case "active" -> i % 5 == 0 ? null : i % 2 == 0;
      default -> throw new IllegalArgumentException("not a standard column: " + column);
    };
  }

  /** {@code id int64 not null} and one nullable column per type {@code supported} accepts. */
  public static Schema typesSchema(Predicate<DataType> supported) {
    List<Column> columns = new ArrayList<>();
    columns.add(new Column("id", DataType.INT64, false));
    for (Map.Entry<String, Sample> e : samples().entrySet()) {
      if (supported.test(e.getValue().type())) {
        columns.add(Column.of(e.getKey(), e.getValue().type()));
      }
    }
    return Schema.of(columns);
  }

  /**
   * Rows of {@code schema} (made by {@link #typesSchema}): row {@code i} holds sample {@code i} of
   * each column, cycling, so every sample, NULL included, appears at least once.
   */
  public static List<Object[]> typesRows(Schema schema) {
    Map<String, Sample> samples = samples();
    int count = 0;
    for (Sample s : samples.values()) {
      count = Math.max(count, s.values().size());
    }
    List<Object[]> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Object[] row = new Object[schema.size()];
      row[0] = (long) i;
      for (int c = 1; c < row.length; c++) {
        List<Object> values = samples.get(schema.column(c).name()).values();
        row[c] = copy(values.get(i % values.size()));
      }
      rows.add(row);
    }
    return rows;
  }

  /** Byte arrays and rows are mutable: every row gets its own. */
  private static Object copy(Object value) {
    if (value instanceof byte[] b) {
      return b.clone();
    }
    if (value instanceof Object[] fields) {
      return fields.clone();
    }
    return value;
  }

  private record Sample(DataType type, List<Object> values) {}

  private static Map<String, Sample> samples() {
    Map<String, Sample> s = new LinkedHashMap<>();
    s.put("c_boolean", sample(DataType.BOOLEAN, true, false, null));
    s.put("c_int8", sample(DataType.INT8, Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0, null));
    s.put("c_int16", sample(DataType.INT16, Short.MIN_VALUE, Short.MAX_VALUE, (short) -1, null));
    s.put("c_int32", sample(DataType.INT32, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, null));
    s.put("c_int64", sample(DataType.INT64, Long.MIN_VALUE, Long.MAX_VALUE, 1L, null));
    s.put(
        "c_float32",
        sample(DataType.FLOAT32, -3.25f, Float.MAX_VALUE, Float.MIN_NORMAL, 0.0f, null));
    s.put(
        "c_float64",
        sample(DataType.FLOAT64, -2.5, Double.MAX_VALUE, Double.MIN_NORMAL, 0.1, null));
    s.put(
        "c_decimal",
        sample(
            DataType.decimal(12, 2),
            new BigDecimal("0.10"),
            new BigDecimal("-9999999999.99"),
            new BigDecimal("9999999999.99"),
            new BigDecimal("0.00"),
            null));
    s.put(
        "c_decimal_wide",
        sample(
            DataType.decimal(38, 0),
            new BigDecimal("99999999999999999999999999999999999999"),
            new BigDecimal("-12345678901234567890123456789012345678"),
            null));
    s.put(
        "c_string",
        sample(
            DataType.STRING,
            "plain",
            "",
            "emoji \uD83D\uDE80\uD83D\uDE00",
            "\u4E2D\u6587 and accents \u00E9\u00E8",
            "tab\tnewline\nquote\" backslash\\ comma,",
            null));
    s.put(
        "c_bytes",
        sample(
            DataType.BYTES,
            new byte[] {0, -1, 127, -128, 10, 13},
            new byte[0],
            "text".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            null));
    s.put(
        "c_date",
        sample(
            DataType.DATE,
            LocalDate.of(2024, 2, 29),
            LocalDate.of(1000, 1, 1),
            LocalDate.of(9999, 12, 31),
            LocalDate.of(1970, 1, 1),
            null));
    s.put(
        "c_time",
        sample(
            DataType.TIME,
            LocalTime.of(0, 0),
            LocalTime.of(23, 59, 59, 999_999_000),
            LocalTime.of(12, 34, 56, 500_000_000),
            null));
    s.put(
        "c_timestamp",
        sample(
            DataType.TIMESTAMP,
            LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000),
            LocalDateTime.of(1970, 1, 1, 0, 0),
            LocalDateTime.of(1000, 1, 1, 0, 0, 0, 1_000),
            null));
    s.put(
        "c_timestamp_millis",
        sample(
            DataType.timestamp(3),
            LocalDateTime.of(2024, 5, 1, 13, 45, 0, 120_000_000),
            LocalDateTime.of(2038, 1, 19, 3, 14, 8),
            null));
    s.put(
        "c_timestamp_tz",
        sample(
            DataType.TIMESTAMP_TZ,
            OffsetDateTime.of(2024, 5, 1, 13, 45, 0, 123_456_000, ZoneOffset.ofHours(8)),
            OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 0, ZoneOffset.ofHoursMinutes(-9, -30)),
            OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 1_000, ZoneOffset.UTC),
            null));
    s.put(
        "c_json",
        sample(
            DataType.JSON,
            "{\"a\":[1,2.50,\"x\"],\"b\":null,\"c\":{\"d\":true}}",
            "[]",
            "\"text \uD83D\uDE80\"",
            "12.50",
            null));
    s.put(
        "c_array",
        sample(
            DataType.array(DataType.INT32),
            List.of(1, -2, Integer.MAX_VALUE),
            Arrays.asList(7, null),
            List.of(),
            null));
    s.put(
        "c_array_string",
        sample(DataType.array(DataType.STRING), List.of("a", "", "\uD83D\uDE80"), List.of(), null));
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put("a", 1L);
    map.put("b", null);
    s.put(
        "c_map",
        sample(
            DataType.map(DataType.STRING, DataType.INT64),
            map,
            Map.of("", Long.MIN_VALUE),
            Map.of(),
            null));
    s.put(
        "c_row",
        sample(
            DataType.parse("row<id int64, tags array<string>>"),
            new Object[] {1L, List.of("x", "y")},
            new Object[] {null, List.of()},
            null));
    return s;
  }

  private static Sample sample(DataType type, Object... values) {
    return new Sample(type, Arrays.asList(values));
  }
}

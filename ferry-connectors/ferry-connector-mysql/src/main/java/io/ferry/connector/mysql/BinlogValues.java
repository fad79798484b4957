package io.ferry.connector.mysql;

import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import io.ferry.connector.mysql.MySqlDialect.ZeroDates;
import io.ferry.connector.support.Values;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A captured table's columns as the binlog carries them, and the conversion of each logged value to
 * the Ferry value the batch source reads for the same column ({@link MySqlTypeMapping}): the Ferry
 * types come from the connector's catalog (the batch path's own description), the rest of what the
 * log does not say (unsigned, character set, ENUM and SET members, binary length) from {@code
 * information_schema.COLUMNS}.
 */
final class BinlogValues {
  /**
   * One column.
   *
   * @param dataType {@code information_schema.COLUMNS.DATA_TYPE}, lower case
   * @param columnType {@code COLUMN_TYPE}, lower case ({@code int(10) unsigned}, {@code
   *     enum('a','b')})
   * @param charset the column's character set (UTF-8 when it has none)
   * @param members ENUM or SET members, in order
   * @param octets {@code binary(n)}'s n, else 0
   */
  record ColumnDef(
      String name,
      DataType type,
      String dataType,
      String columnType,
      Charset charset,
      List<String> members,
      int octets) {
    boolean unsigned() {
      return columnType.contains("unsigned");
    }
  }

  /** A captured table at one point of the log. */
  record Table(TableRef ref, Schema schema, List<ColumnDef> columns) {}

  /**
   * The table as a row event of the log shows it: its columns in the log's order, each with the
   * definition the table's column of that name has now, or one derived from the log for a column
   * the table no longer has.
   */
  static Table project(
      TableRef ref,
      Table now,
      List<String> names,
      com.github.shyiko.mysql.binlog.event.TableMapEventData map) {
    List<ColumnDef> defs = new java.util.ArrayList<>();
    List<io.ferry.spi.Column> columns = new java.util.ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int at = now == null ? -1 : now.schema().names().indexOf(name);
      ColumnDef def = at >= 0 ? now.columns().get(at) : fromLog(name, map, i);
      defs.add(def);
      columns.add(
          at >= 0 ? now.schema().column(at) : new io.ferry.spi.Column(name, def.type(), true));
    }
    List<String> key =
        now == null ? List.of() : now.schema().key().stream().filter(names::contains).toList();
    Schema schema = Schema.of(columns);
    if (now != null && key.size() == now.schema().key().size() && !key.isEmpty()) {
      schema = schema.withKey(key);
    }
    return new Table(ref, schema, defs);
  }

  /**
   * A column known only from the log's table map: integers as int64, decimals with the logged
   * precision and scale, temporal types with their fraction digits, character and ENUM/SET types as
   * strings (UTF-8), BLOB/TEXT and BIT as bytes.
   */
  static ColumnDef fromLog(
      String name, com.github.shyiko.mysql.binlog.event.TableMapEventData map, int i) {
    int code = map.getColumnTypes()[i] & 0xFF;
    int meta = map.getColumnMetadata()[i];
    com.github.shyiko.mysql.binlog.event.deserialization.ColumnType t =
        com.github.shyiko.mysql.binlog.event.deserialization.ColumnType.byCode(code);
    DataType type;
    String dataType;
    switch (t) {
      case TINY, SHORT, INT24, LONG, LONGLONG -> {
        type = DataType.INT64;
        dataType = "bigint";
      }
      case FLOAT -> {
        type = DataType.FLOAT32;
        dataType = "float";
      }
      case DOUBLE -> {
        type = DataType.FLOAT64;
        dataType = "double";
      }
      case NEWDECIMAL -> {
        type = DataType.decimal(meta & 0xFF, meta >> 8);
        dataType = "decimal";
      }
      case DATE -> {
        type = DataType.DATE;
        dataType = "date";
      }
      case DATETIME, DATETIME_V2 -> {
        type = DataType.timestamp(Math.min(6, meta));
        dataType = "datetime";
      }
      case TIMESTAMP, TIMESTAMP_V2 -> {
        type = DataType.timestampTz(Math.min(6, meta));
        dataType = "timestamp";
      }
      case TIME, TIME_V2 -> {
        type = DataType.time(Math.min(6, meta));
        dataType = "time";
      }
      case YEAR -> {
        type = DataType.INT16;
        dataType = "year";
      }
      case VARCHAR, VAR_STRING, STRING, ENUM, SET -> {
        type = DataType.STRING;
        dataType = "varchar";
      }
      default -> {
        type = DataType.BYTES;
        dataType = "blob";
      }
    }
    return new ColumnDef(name, type, dataType, dataType, StandardCharsets.UTF_8, List.of(), 0);
  }

  private final boolean zeroDatesAsNull;
  private final ZoneId sessionZone;

  BinlogValues(ZeroDates zeroDates, ZoneId sessionZone) {
    this.zeroDatesAsNull = zeroDates == ZeroDates.NULL;
    this.sessionZone = sessionZone;
  }

  /**
   * The Ferry value of a logged cell.
   *
   * @throws IllegalArgumentException for a value the batch source would send to the dirty-data
   *     store (a zero date under {@code zeroDates: error}, a TIME outside a day, a tinyint(1) that
   *     is not 0 or 1), with the batch source's message
   */
  Object convert(ColumnDef c, Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BinlogRows.ZeroDate zero) {
      if (zeroDatesAsNull) {
        return null;
      }
      throw new IllegalArgumentException(
          "zero date '"
              + zero.text()
              + "' has no calendar value; set zeroDates: null to read it as NULL");
    }
    DataType type = c.type();
    return switch (type.kind()) {
      case BOOLEAN -> {
        if (v instanceof BitSet bits) {
          yield bits.get(0);
        }
        int i = ((Number) v).intValue();
        if (i == 0 || i == 1) {
          yield i == 1;
        }
        throw new IllegalArgumentException(
            i + " in tinyint(1) is not a boolean (0 or 1); set tinyInt1IsBoolean: false");
      }
      case INT8 -> (byte) ((Number) v).intValue();
      case INT16 -> {
        int i = ((Number) v).intValue();
        yield (short) (c.dataType().equals("tinyint") && c.unsigned() ? i & 0xFF : i);
      }
      case INT32 -> {
        int i = ((Number) v).intValue();
        if (c.unsigned()) {
          i =
              switch (c.dataType()) {
                case "smallint" -> i & 0xFFFF;
                case "mediumint" -> i & 0xFFFFFF;
                default -> i;
              };
        }
        yield i;
      }
      case INT64 -> {
        if (c.unsigned() && c.dataType().equals("int")) {
          yield ((Number) v).intValue() & 0xFFFFFFFFL;
        }
        yield ((Number) v).longValue();
      }
      case FLOAT32 -> ((Number) v).floatValue();
      case FLOAT64 -> ((Number) v).doubleValue();
      case DECIMAL -> {
        BigDecimal d =
            v instanceof BigDecimal b
                ? b
                : c.unsigned()
                    ? new BigDecimal(Long.toUnsignedString(((Number) v).longValue()))
                    : BigDecimal.valueOf(((Number) v).longValue());
        yield d.setScale(type.scale());
      }
      case STRING, JSON -> text(c, v);
      case BYTES -> bytes(c, v);
      case DATE, TIMESTAMP -> v;
      case TIMESTAMP_TZ -> ((Instant) v).atZone(sessionZone).toOffsetDateTime();
      case TIME -> {
        Duration d = (Duration) v;
        if (d.isNegative() || d.compareTo(DAY) >= 0) {
          if (d.equals(DAY)) {
            yield Values.END_OF_DAY;
          }
          yield MySqlTemporal.time(timeText(d));
        }
        yield LocalTime.ofNanoOfDay(d.toNanos());
      }
      default ->
          throw new IllegalArgumentException(
              "no binlog conversion to " + type + " for " + c.columnType());
    };
  }

  private static final Duration DAY = Duration.ofDays(1);

  private static String text(ColumnDef c, Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (c.dataType().equals("enum") && v instanceof Number n) {
      int index = n.intValue();
      return index <= 0 || index > c.members().size() ? "" : c.members().get(index - 1);
    }
    if (c.dataType().equals("set") && v instanceof Number n) {
      long bits = n.longValue();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < c.members().size(); i++) {
        if ((bits & (1L << i)) != 0) {
          sb.append(sb.length() > 0 ? "," : "").append(c.members().get(i));
        }
      }
      return sb.toString();
    }
    byte[] bytes = (byte[]) v;
    if (c.dataType().equals("json")) {
      // MySQL's binary JSON; MariaDB's json is a longtext and arrives as its text.
      try {
        return JsonBinary.parseAsString(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new String(bytes, c.charset());
  }

  private static byte[] bytes(ColumnDef c, Object v) {
    if (v instanceof BitSet bits) {
      // bit(n): big-endian, ⌈n/8⌉ bytes, as the batch source reads it.
      int n = bitLength(c.columnType());
      byte[] out = new byte[(n + 7) / 8];
      for (int i = 0; i < n; i++) {
        if (bits.get(i)) {
          out[out.length - 1 - i / 8] |= (byte) (1 << (i % 8));
        }
      }
      return out;
    }
    byte[] b = v instanceof String s ? s.getBytes(c.charset()) : (byte[]) v;
    // The log drops binary(n)'s trailing zero bytes; the batch source reads them padded.
    return c.octets() > b.length ? Arrays.copyOf(b, c.octets()) : b;
  }

  private static int bitLength(String columnType) {
    int open = columnType.indexOf('(');
    int close = columnType.indexOf(')');
    return open < 0 || close < open ? 1 : Integer.parseInt(columnType.substring(open + 1, close));
  }

  /** A TIME outside a day as MySQL shows it ({@code -01:00:00}, {@code 838:59:59.000001}). */
  private static String timeText(Duration d) {
    boolean negative = d.isNegative();
    Duration a = d.abs();
    String text =
        String.format(
            "%s%02d:%02d:%02d",
            negative ? "-" : "", a.toHours(), a.toMinutesPart(), a.toSecondsPart());
    return a.getNano() == 0 ? text : text + String.format(".%06d", a.getNano() / 1000);
  }

  /** The Java charset of a MySQL character set name (utf8mb3/utf8mb4 are UTF-8). */
  static Charset charset(String mysql) {
    if (mysql == null) {
      return StandardCharsets.UTF_8;
    }
    return switch (mysql.toLowerCase(Locale.ROOT)) {
      case "utf8", "utf8mb3", "utf8mb4" -> StandardCharsets.UTF_8;
      case "latin1" -> Charset.forName("windows-1252");
      case "ascii" -> StandardCharsets.US_ASCII;
      case "binary" -> StandardCharsets.ISO_8859_1;
      case "ucs2", "utf16" -> StandardCharsets.UTF_16BE;
      case "utf16le" -> StandardCharsets.UTF_16LE;
      case "utf32" -> Charset.forName("UTF-32BE");
      case "gbk" -> Charset.forName("GBK");
      case "gb2312" -> Charset.forName("GB2312");
      case "gb18030" -> Charset.forName("GB18030");
      case "big5" -> Charset.forName("Big5");
      case "sjis" -> Charset.forName("Shift_JIS");
      case "cp932" -> Charset.forName("windows-31j");
      case "ujis", "eucjpms" -> Charset.forName("EUC-JP");
      case "euckr" -> Charset.forName("EUC-KR");
      case "latin2" -> Charset.forName("ISO-8859-2");
      case "cp1250" -> Charset.forName("windows-1250");
      case "cp1251" -> Charset.forName("windows-1251");
      case "cp1256" -> Charset.forName("windows-1256");
      case "koi8r" -> Charset.forName("KOI8-R");
      default -> {
        try {
          yield Charset.forName(mysql);
        } catch (RuntimeException e) {
          yield StandardCharsets.UTF_8;
        }
      }
    };
  }

  /** ENUM or SET members of a {@code COLUMN_TYPE} such as {@code enum('a','it''s')}. */
  static List<String> members(String columnType) {
    int open = columnType.indexOf('(');
    if (open < 0 || !(columnType.startsWith("enum") || columnType.startsWith("set"))) {
      return List.of();
    }
    List<String> out = new java.util.ArrayList<>();
    StringBuilder cur = null;
    for (int i = open + 1; i < columnType.length(); i++) {
      char ch = columnType.charAt(i);
      if (cur == null) {
        if (ch == '\'') {
          cur = new StringBuilder();
        }
      } else if (ch == '\'') {
        if (i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
          cur.append('\'');
          i++;
        } else {
          out.add(cur.toString());
          cur = null;
        }
      } else if (ch == '\\' && i + 1 < columnType.length()) {
        cur.append(columnType.charAt(++i));
      } else {
        cur.append(ch);
      }
    }
    return out;
  }
}

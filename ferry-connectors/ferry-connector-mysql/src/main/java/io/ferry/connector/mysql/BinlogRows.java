package io.ferry.connector.mysql;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.BinlogCheckpointEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.FormatDescriptionEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidListEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.QueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RotateEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The binlog client's event deserializer with Ferry's decoding of row values: the library's own
 * turns dates into {@code java.util.Date} through the JVM's calendar and zero dates into nulls, so
 * the temporal types are decoded here straight from their binary forms into {@link LocalDate},
 * {@link LocalDateTime}, {@link Instant} (TIMESTAMP: UTC seconds in the log) and {@link Duration}
 * (TIME, signed), and a zero date into a {@link ZeroDate} carrying its text. Strings stay bytes
 * ({@code CHAR_AND_BINARY_AS_BYTE_ARRAY}): the column's character set decodes them. YEAR 0 stays 0.
 * The value conversion to Ferry types is {@link BinlogValues}'.
 */
final class BinlogRows {
  private BinlogRows() {}

  /** A zero date (or one with a zero month or day), as MySQL would show it. */
  record ZeroDate(String text) implements Serializable {}

  /**
   * @param tableMaps where TABLE_MAP events are kept by table id, for the row deserializers and the
   *     reader
   */
  static EventDeserializer deserializer(Map<Long, TableMapEventData> tableMaps) {
    Map<EventType, EventDataDeserializer> d = new IdentityHashMap<>();
    d.put(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventDataDeserializer());
    d.put(EventType.ROTATE, new RotateEventDataDeserializer());
    d.put(EventType.QUERY, new QueryEventDataDeserializer());
    d.put(EventType.TABLE_MAP, new TableMapEventDataDeserializer());
    d.put(EventType.XID, new XidEventDataDeserializer());
    d.put(EventType.WRITE_ROWS, new Write(tableMaps));
    d.put(EventType.UPDATE_ROWS, new Update(tableMaps));
    d.put(EventType.DELETE_ROWS, new Delete(tableMaps));
    d.put(EventType.EXT_WRITE_ROWS, new Write(tableMaps).setMayContainExtraInformation(true));
    d.put(EventType.EXT_UPDATE_ROWS, new Update(tableMaps).setMayContainExtraInformation(true));
    d.put(EventType.EXT_DELETE_ROWS, new Delete(tableMaps).setMayContainExtraInformation(true));
    d.put(EventType.GTID, new GtidEventDataDeserializer());
    d.put(EventType.MARIADB_GTID, new MariadbGtidEventDataDeserializer());
    d.put(EventType.MARIADB_GTID_LIST, new MariadbGtidListEventDataDeserializer());
    d.put(EventType.BINLOG_CHECKPOINT, new BinlogCheckpointEventDataDeserializer());
    EventDeserializer deserializer =
        new EventDeserializer(
            new EventHeaderV4Deserializer(), new NullEventDataDeserializer(), d, tableMaps);
    deserializer.setCompatibilityMode(
        EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
    return deserializer;
  }

  static final class Write extends WriteRowsEventDataDeserializer {
    Write(Map<Long, TableMapEventData> tableMaps) {
      super(tableMaps);
    }

    @Override
    protected Serializable deserializeCell(
        ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
      Serializable v = cell(type, meta, in);
      return v != NOT_TEMPORAL ? v : super.deserializeCell(type, meta, length, in);
    }
  }

  static final class Update extends UpdateRowsEventDataDeserializer {
    Update(Map<Long, TableMapEventData> tableMaps) {
      super(tableMaps);
    }

    @Override
    protected Serializable deserializeCell(
        ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
      Serializable v = cell(type, meta, in);
      return v != NOT_TEMPORAL ? v : super.deserializeCell(type, meta, length, in);
    }
  }

  static final class Delete extends DeleteRowsEventDataDeserializer {
    Delete(Map<Long, TableMapEventData> tableMaps) {
      super(tableMaps);
    }

    @Override
    protected Serializable deserializeCell(
        ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
      Serializable v = cell(type, meta, in);
      return v != NOT_TEMPORAL ? v : super.deserializeCell(type, meta, length, in);
    }
  }

  private static final Serializable NOT_TEMPORAL = new Serializable() {};

  /** The temporal and YEAR cells; {@link #NOT_TEMPORAL} (nothing read) for the others. */
  static Serializable cell(ColumnType type, int meta, ByteArrayInputStream in) throws IOException {
    switch (type) {
      case DATE:
        {
          int v = in.readInteger(3);
          return date(v >> 9, (v >> 5) & 15, v & 31);
        }
      case DATETIME_V2:
        {
          long packed = bigEndian(in.read(5)) - 0x8000000000L;
          int micros = fraction(meta, in);
          long ymd = packed >> 17;
          long ym = ymd >> 5;
          long hms = packed % (1 << 17);
          return dateTime(
              (int) (ym / 13),
              (int) (ym % 13),
              (int) (ymd % 32),
              (int) (hms >> 12),
              (int) ((hms >> 6) % 64),
              (int) (hms % 64),
              micros);
        }
      case DATETIME:
        {
          long v = in.readLong(8);
          int second = (int) (v % 100);
          int minute = (int) (v / 100 % 100);
          int hour = (int) (v / 10000 % 100);
          long d = v / 1000000;
          return dateTime(
              (int) (d / 10000), (int) (d / 100 % 100), (int) (d % 100), hour, minute, second, 0);
        }
      case TIMESTAMP_V2:
        {
          long seconds = bigEndian(in.read(4));
          int micros = fraction(meta, in);
          if (seconds == 0 && micros == 0) {
            return new ZeroDate("0000-00-00 00:00:00");
          }
          return Instant.ofEpochSecond(seconds, micros * 1000L);
        }
      case TIMESTAMP:
        {
          long seconds = in.readLong(4);
          return seconds == 0
              ? new ZeroDate("0000-00-00 00:00:00")
              : Instant.ofEpochSecond(seconds);
        }
      case TIME_V2:
        return timeV2(meta, in);
      case TIME:
        {
          int v = (in.readInteger(3) << 8) >> 8;
          boolean negative = v < 0;
          v = Math.abs(v);
          Duration d = Duration.ofHours(v / 10000).plusMinutes(v / 100 % 100).plusSeconds(v % 100);
          return negative ? d.negated() : d;
        }
      case YEAR:
        {
          int v = in.readInteger(1);
          return v == 0 ? 0 : 1900 + v;
        }
      default:
        return NOT_TEMPORAL;
    }
  }

  /** MySQL's my_time_packed_from_binary, then the packed value as a signed duration. */
  private static Duration timeV2(int meta, ByteArrayInputStream in) throws IOException {
    long packed;
    switch (meta) {
      case 1, 2 -> {
        long intPart = bigEndian(in.read(3)) - 0x800000L;
        long frac = in.read() & 0xFF;
        if (intPart < 0 && frac != 0) {
          intPart++;
          frac -= 0x100;
        }
        packed = (intPart << 24) + frac * 10000;
      }
      case 3, 4 -> {
        long intPart = bigEndian(in.read(3)) - 0x800000L;
        long frac = bigEndian(in.read(2));
        if (intPart < 0 && frac != 0) {
          intPart++;
          frac -= 0x10000;
        }
        packed = (intPart << 24) + frac * 100;
      }
      case 5, 6 -> packed = bigEndian(in.read(6)) - 0x800000000000L;
      default -> packed = (bigEndian(in.read(3)) - 0x800000L) << 24;
    }
    boolean negative = packed < 0;
    long p = Math.abs(packed);
    long hms = p >> 24;
    long micros = p % (1L << 24);
    Duration d =
        Duration.ofHours((hms >> 12) % (1 << 10))
            .plusMinutes((hms >> 6) % (1 << 6))
            .plusSeconds(hms % (1 << 6))
            .plusNanos(micros * 1000);
    return negative ? d.negated() : d;
  }

  private static Serializable date(int year, int month, int day) {
    if (year == 0 && month == 0 && day == 0) {
      return new ZeroDate("0000-00-00");
    }
    if (month == 0 || day == 0) {
      return new ZeroDate("0000-00-00 (a zero month or day)");
    }
    if (year == 0) {
      return new ZeroDate(String.format("%04d-%02d-%02d", year, month, day));
    }
    return LocalDate.of(year, month, day);
  }

  private static Serializable dateTime(
      int year, int month, int day, int hour, int minute, int second, int micros) {
    if (year == 0 && month == 0 && day == 0) {
      String text = String.format("0000-00-00 %02d:%02d:%02d", hour, minute, second);
      return new ZeroDate(micros == 0 ? text : text + String.format(".%06d", micros));
    }
    if (month == 0 || day == 0) {
      return new ZeroDate("0000-00-00 (a zero month or day)");
    }
    if (year == 0) {
      String text =
          String.format("%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute, second);
      return new ZeroDate(micros == 0 ? text : text + String.format(".%06d", micros));
    }
    return LocalDateTime.of(
        LocalDate.of(year, month, day), LocalTime.of(hour, minute, second, micros * 1000));
  }

  /** Fractional seconds of {@code meta} digits (0 to 6), stored big-endian, as microseconds. */
  private static int fraction(int meta, ByteArrayInputStream in) throws IOException {
    int length = (meta + 1) / 2;
    if (length == 0) {
      return 0;
    }
    int v = (int) bigEndian(in.read(length));
    return switch (length) {
      case 1 -> v * 10000;
      case 2 -> v * 100;
      default -> v;
    };
  }

  private static long bigEndian(byte[] bytes) {
    long v = 0;
    for (byte b : bytes) {
      v = (v << 8) | (b & 0xFF);
    }
    return v;
  }
}

package io.ferry.connector.hdfs;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet file's records (flat columns), including Hive's legacy INT96 timestamps, read as
 * the UTC date-time they encode.
 */
final class ParquetFileReader extends ColumnarReader {
  /** The Julian day of 1970-01-01. */
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;

  private final ParquetReader<Group> reader;
  private final ColumnProjection projection;
  private final PrimitiveType[] fieldTypes;

  private ParquetFileReader(
      HdfsAccess access,
      String file,
      ParquetReader<Group> reader,
      MessageType message,
      ColumnProjection projection,
      int batchSize,
      long skipped)
      throws IOException {
    super(access, file, projection.size(), batchSize, skipped);
    this.reader = reader;
    this.projection = projection;
    this.fieldTypes = new PrimitiveType[message.getFieldCount()];
    for (int f = 0; f < fieldTypes.length; f++) {
      fieldTypes[f] = message.getType(f).asPrimitiveType();
    }
    for (long r = 0; r < skipped; r++) {
      if (reader.read() == null) {
        break;
      }
    }
  }

  static MessageType footerSchema(HdfsAccess access, String file) throws IOException {
    try (org.apache.parquet.hadoop.ParquetFileReader footer =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            HadoopInputFile.fromPath(new Path(file), access.conf()))) {
      return footer.getFooter().getFileMetaData().getSchema();
    }
  }

  static ParquetFileReader open(
      HdfsAccess access,
      String file,
      Schema wanted,
      boolean byPosition,
      int batchSize,
      long skipped)
      throws IOException {
    MessageType message = footerSchema(access, file);
    ColumnProjection projection =
        ColumnProjection.of(file, schemaOf(file, message), wanted, byPosition);
    ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new Path(file))
            .withConf(access.conf())
            .build();
    try {
      return new ParquetFileReader(access, file, reader, message, projection, batchSize, skipped);
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** The file's columns as Ferry columns. */
  static Schema schemaOf(String file, MessageType message) {
    List<Column> columns = new ArrayList<>();
    for (Type field : message.getFields()) {
      if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
        throw mismatch(
            file,
            "field '" + field.getName() + "' is nested or repeated; such fields are not read yet");
      }
      columns.add(Column.of(field.getName(), typeOf(field.asPrimitiveType())));
    }
    return Schema.of(columns);
  }

  private static DataType typeOf(PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    if (logical instanceof DecimalLogicalTypeAnnotation d) {
      return DataType.decimal(d.getPrecision(), d.getScale());
    }
    return switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> DataType.BOOLEAN;
      case INT32 -> {
        if (logical instanceof IntLogicalTypeAnnotation i && i.getBitWidth() == 8) {
          yield DataType.INT8;
        }
        if (logical instanceof IntLogicalTypeAnnotation i && i.getBitWidth() == 16) {
          yield DataType.INT16;
        }
        yield logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
            ? DataType.DATE
            : DataType.INT32;
      }
      case INT64 -> {
        if (logical instanceof TimestampLogicalTypeAnnotation t) {
          int fraction = fraction(t.getUnit());
          yield t.isAdjustedToUTC() ? DataType.timestampTz(fraction) : DataType.timestamp(fraction);
        }
        yield logical instanceof TimeLogicalTypeAnnotation t
            ? DataType.time(fraction(t.getUnit()))
            : DataType.INT64;
      }
      case INT96 -> DataType.timestamp(9);
      case FLOAT -> DataType.FLOAT32;
      case DOUBLE -> DataType.FLOAT64;
      case BINARY, FIXED_LEN_BYTE_ARRAY -> {
        if (logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          yield DataType.JSON;
        }
        yield logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            ? DataType.STRING
            : DataType.BYTES;
      }
    };
  }

  private static int fraction(TimeUnit unit) {
    return switch (unit) {
      case MILLIS -> 3;
      case MICROS -> 6;
      case NANOS -> 9;
    };
  }

  @Override
  boolean nextRow(Object[] row) throws IOException {
    Group group = reader.read();
    if (group == null) {
      return false;
    }
    for (int c = 0; c < row.length; c++) {
      int f = projection.field(c);
      row[c] =
          group.getFieldRepetitionCount(f) == 0
              ? null
              : projection.value(c, value(group, f, fieldTypes[f]));
    }
    return true;
  }

  private static Object value(Group group, int f, PrimitiveType type) {
    DataType ferry = typeOf(type);
    return switch (ferry.kind()) {
      case BOOLEAN -> group.getBoolean(f, 0);
      case INT8 -> (byte) group.getInteger(f, 0);
      case INT16 -> (short) group.getInteger(f, 0);
      case INT32 -> group.getInteger(f, 0);
      case INT64 -> group.getLong(f, 0);
      case FLOAT32 -> group.getFloat(f, 0);
      case FLOAT64 -> group.getDouble(f, 0);
      case DECIMAL -> decimal(group, f, type, ferry);
      case STRING, JSON -> group.getString(f, 0);
      case BYTES -> group.getBinary(f, 0).getBytes();
      case DATE -> LocalDate.ofEpochDay(group.getInteger(f, 0));
      case TIME -> LocalTime.ofNanoOfDay(group.getLong(f, 0) * perUnit(ferry));
      case TIMESTAMP ->
          type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96
              ? int96(group.getInt96(f, 0))
              : LocalDateTime.ofEpochSecond(
                  Math.floorDiv(group.getLong(f, 0), perSecond(ferry)),
                  (int) (Math.floorMod(group.getLong(f, 0), perSecond(ferry)) * perUnit(ferry)),
                  ZoneOffset.UTC);
      case TIMESTAMP_TZ ->
          OffsetDateTime.of(
              LocalDateTime.ofEpochSecond(
                  Math.floorDiv(group.getLong(f, 0), perSecond(ferry)),
                  (int) (Math.floorMod(group.getLong(f, 0), perSecond(ferry)) * perUnit(ferry)),
                  ZoneOffset.UTC),
              ZoneOffset.UTC);
      default -> throw new IllegalStateException("nested " + type + " refused at open");
    };
  }

  private static BigDecimal decimal(Group group, int f, PrimitiveType type, DataType ferry) {
    BigInteger unscaled =
        switch (type.getPrimitiveTypeName()) {
          case INT32 -> BigInteger.valueOf(group.getInteger(f, 0));
          case INT64 -> BigInteger.valueOf(group.getLong(f, 0));
          default -> new BigInteger(group.getBinary(f, 0).getBytes());
        };
    return new BigDecimal(unscaled, ferry.scale());
  }

  /** Units of a time type per second. */
  private static long perSecond(DataType type) {
    return 1_000_000_000L / perUnit(type);
  }

  /** Nanoseconds per unit of a time type (3, 6 or 9 fractional digits). */
  private static long perUnit(DataType type) {
    return switch (type.precision()) {
      case 3 -> 1_000_000L;
      case 6 -> 1_000L;
      default -> 1L;
    };
  }

  /** Hive's INT96: nanoseconds of the day, then the Julian day, little-endian. */
  private static LocalDateTime int96(Binary value) {
    ByteBuffer buffer = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buffer.getLong();
    long julianDay = buffer.getInt();
    return LocalDate.ofEpochDay(julianDay - JULIAN_EPOCH_DAY).atStartOfDay().plusNanos(nanosOfDay);
  }

  @Override
  void closeFile() throws IOException {
    reader.close();
  }
}

package io.ferry.connector.hdfs;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter.Mode;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * One Parquet file: each row a record of optional columns ({@link ParquetSchemas}); a value that
 * does not fit its column is checked before the record starts, so a dirty row leaves no trace.
 */
final class ParquetFileWriter implements RowFileWriter {
  private final ParquetWriter<Object[]> writer;
  private final Schema schema;
  private final String name;
  private final DirtyRowSink dirtyRows;
  private long rows;

  private ParquetFileWriter(
      ParquetWriter<Object[]> writer, Schema schema, String name, DirtyRowSink dirtyRows) {
    this.writer = writer;
    this.schema = schema;
    this.name = name;
    this.dirtyRows = dirtyRows;
  }

  static Factory factory(
      Configuration conf, HdfsCompression compression, Schema schema, DirtyRowSink dirtyRows) {
    ColumnarTypes.checkWritable(schema, FileType.PARQUET);
    MessageType message = ParquetSchemas.of(schema);
    CompressionCodecName codec =
        switch (compression) {
          case NONE -> CompressionCodecName.UNCOMPRESSED;
          case GZIP -> CompressionCodecName.GZIP;
          case SNAPPY -> CompressionCodecName.SNAPPY;
          case ZSTD -> CompressionCodecName.ZSTD;
          case BZIP2 -> throw new IllegalStateException("checked by the sink");
        };
    return (file, name) ->
        new ParquetFileWriter(
            new Builder(file, conf, new RowWriteSupport(schema, message))
                .withConf(conf)
                .withCompressionCodec(codec)
                .withWriteMode(Mode.OVERWRITE)
                .build(),
            schema,
            name,
            dirtyRows);
  }

  @Override
  public void write(RowBatch batch) throws IOException {
    for (int r = 0; r < batch.size(); r++) {
      Object[] row = batch.row(r);
      int misfit = -1;
      String reason = null;
      for (int c = 0; c < schema.size() && misfit < 0; c++) {
        reason = misfit(schema.column(c).type(), row[c]);
        if (reason != null) {
          misfit = c;
        }
      }
      if (misfit >= 0) {
        Column column = schema.column(misfit);
        Map<String, Object> values = new LinkedHashMap<>();
        for (int c = 0; c < schema.size(); c++) {
          values.put(schema.column(c).name(), row[c]);
        }
        dirtyRows.accept(
            new DirtyRow(
                name + ":row " + (rows + 1),
                values,
                column.name(),
                row[misfit],
                column.name() + " (" + column.type() + "): " + reason));
        continue;
      }
      writer.write(row);
      rows++;
    }
  }

  /** Why {@code value} cannot be written as {@code type}, or null when it can. */
  private static String misfit(DataType type, Object value) {
    if (value == null) {
      return null;
    }
    return switch (type.kind()) {
      case DECIMAL ->
          ColumnarTypes.storedAsDecimal(type)
                  && ColumnarTypes.fitDecimal((BigDecimal) value, type) == null
              ? ColumnarTypes.decimalMisfit(type)
              : null;
      case TIMESTAMP -> fitsLong(((LocalDateTime) value).toEpochSecond(ZoneOffset.UTC), type);
      case TIMESTAMP_TZ -> fitsLong(((OffsetDateTime) value).toEpochSecond(), type);
      default -> null;
    };
  }

  private static String fitsLong(long seconds, DataType type) {
    long max = Long.MAX_VALUE / (ParquetSchemas.nanos(type) ? 1_000_000_000L : 1_000_000L) - 1;
    return Math.abs(seconds) < max ? null : "is outside the range of Parquet's 64-bit timestamps";
  }

  @Override
  public void flush() {}

  @Override
  public void finish() throws IOException {
    writer.close();
  }

  @Override
  public void abandon() {
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      // the file is incomplete and will be deleted
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final RowWriteSupport support;

    Builder(Path file, Configuration conf, RowWriteSupport support) throws IOException {
      super(HadoopOutputFile.fromPath(file, conf));
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return support;
    }
  }

  /** Writes a row's values as one record, skipping NULL columns (all columns are optional). */
  private static final class RowWriteSupport extends WriteSupport<Object[]> {
    private final Schema schema;
    private final MessageType message;
    private RecordConsumer consumer;

    RowWriteSupport(Schema schema, MessageType message) {
      this.schema = schema;
      this.message = message;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(message, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
      consumer.startMessage();
      for (int c = 0; c < schema.size(); c++) {
        if (row[c] != null) {
          String field = schema.column(c).name();
          consumer.startField(field, c);
          add(schema.column(c).type(), row[c]);
          consumer.endField(field, c);
        }
      }
      consumer.endMessage();
    }

    private void add(DataType type, Object value) {
      switch (type.kind()) {
        case BOOLEAN -> consumer.addBoolean((Boolean) value);
        case INT8, INT16, INT32 -> consumer.addInteger(((Number) value).intValue());
        case INT64 -> consumer.addLong((Long) value);
        case FLOAT32 -> consumer.addFloat((Float) value);
        case FLOAT64 -> consumer.addDouble((Double) value);
        case DECIMAL -> {
          BigDecimal decimal = (BigDecimal) value;
          consumer.addBinary(
              ColumnarTypes.storedAsDecimal(type)
                  ? Binary.fromConstantByteArray(
                      ColumnarTypes.fitDecimal(decimal, type).unscaledValue().toByteArray())
                  : Binary.fromString(decimal.toPlainString()));
        }
        case STRING, JSON -> consumer.addBinary(Binary.fromString((String) value));
        case BYTES -> consumer.addBinary(Binary.fromConstantByteArray((byte[]) value));
        case DATE -> consumer.addInteger(Math.toIntExact(((LocalDate) value).toEpochDay()));
        case TIME -> {
          long nanos = ((LocalTime) value).toNanoOfDay();
          consumer.addLong(ParquetSchemas.nanos(type) ? nanos : nanos / 1000);
        }
        case TIMESTAMP -> {
          LocalDateTime t = (LocalDateTime) value;
          consumer.addLong(units(t.toEpochSecond(ZoneOffset.UTC), t.getNano(), type));
        }
        case TIMESTAMP_TZ -> {
          OffsetDateTime t = (OffsetDateTime) value;
          consumer.addLong(units(t.toEpochSecond(), t.getNano(), type));
        }
        default -> throw new IllegalStateException("nested " + type + " is refused at prepare");
      }
    }

    private static long units(long seconds, int nanos, DataType type) {
      return ParquetSchemas.nanos(type)
          ? seconds * 1_000_000_000L + nanos
          : seconds * 1_000_000L + nanos / 1000;
    }
  }
}

package io.ferry.connector.hdfs;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hive.common.type.HiveDecimal;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DecimalColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DoubleColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.TimestampColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.CompressionKind;
import org.apache.orc.OrcFile;
import org.apache.orc.TypeDescription;
import org.apache.orc.Writer;

/**
 * One ORC file: Ferry's columns as ORC types (see {@link #orcType}), timestamps in UTC and dates in
 * the proleptic Gregorian calendar, so that every value reads back as written.
 */
final class OrcFileWriter implements RowFileWriter {
  private final Writer writer;
  private final Schema schema;
  private final VectorizedRowBatch batch;
  private final String name;
  private final DirtyRowSink dirtyRows;
  private long rows;

  private OrcFileWriter(
      Writer writer, Schema schema, TypeDescription type, String name, DirtyRowSink dirtyRows) {
    this.writer = writer;
    this.schema = schema;
    this.batch = type.createRowBatch();
    this.name = name;
    this.dirtyRows = dirtyRows;
  }

  static Factory factory(
      FileSystem fs,
      Configuration conf,
      HdfsCompression compression,
      Schema schema,
      DirtyRowSink dirtyRows) {
    ColumnarTypes.checkWritable(schema, FileType.ORC);
    TypeDescription type = orcSchema(schema);
    CompressionKind kind =
        switch (compression) {
          case NONE -> CompressionKind.NONE;
          case GZIP -> CompressionKind.ZLIB;
          case SNAPPY -> CompressionKind.SNAPPY;
          case ZSTD -> CompressionKind.ZSTD;
          case BZIP2 -> throw new IllegalStateException("checked by the sink");
        };
    return (file, name) -> {
      Writer writer =
          OrcFile.createWriter(
              file,
              OrcFile.writerOptions(conf)
                  .fileSystem(fs)
                  .setSchema(type)
                  .compress(kind)
                  .useUTCTimestamp(true)
                  .setProlepticGregorian(true)
                  .overwrite(true));
      return new OrcFileWriter(writer, schema, type, name, dirtyRows);
    };
  }

  static TypeDescription orcSchema(Schema schema) {
    TypeDescription struct = TypeDescription.createStruct();
    for (Column c : schema.columns()) {
      struct.addField(c.name(), orcType(c.type()));
    }
    return struct;
  }

  /** The ORC type of a flat Ferry type (the README's table). */
  static TypeDescription orcType(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> TypeDescription.createBoolean();
      case INT8 -> TypeDescription.createByte();
      case INT16 -> TypeDescription.createShort();
      case INT32 -> TypeDescription.createInt();
      case INT64 -> TypeDescription.createLong();
      case FLOAT32 -> TypeDescription.createFloat();
      case FLOAT64 -> TypeDescription.createDouble();
      case DECIMAL ->
          ColumnarTypes.storedAsDecimal(type)
              ? TypeDescription.createDecimal()
                  .withPrecision(type.precision())
                  .withScale(type.scale())
              : TypeDescription.createString();
      case STRING, JSON, TIME -> TypeDescription.createString();
      case BYTES -> TypeDescription.createBinary();
      case DATE -> TypeDescription.createDate();
      case TIMESTAMP -> TypeDescription.createTimestamp();
      case TIMESTAMP_TZ -> TypeDescription.createTimestampInstant();
      case ROW, ARRAY, MAP -> throw new IllegalArgumentException("nested type " + type);
    };
  }

  @Override
  public void write(RowBatch rowsIn) throws IOException {
    for (int r = 0; r < rowsIn.size(); r++) {
      int at = batch.size;
      int c = 0;
      try {
        for (; c < schema.size(); c++) {
          set(batch.cols[c], at, schema.column(c).type(), rowsIn.get(r, c));
        }
      } catch (ValueMisfit | ArithmeticException e) {
        Column column = schema.column(c);
        dirtyRows.accept(
            new DirtyRow(
                name + ":row " + (rows + 1),
                rowMap(rowsIn, r),
                column.name(),
                rowsIn.get(r, c),
                column.name() + " (" + column.type() + "): " + e.getMessage()));
        continue;
      }
      batch.size++;
      rows++;
      if (batch.size == batch.getMaxSize()) {
        writer.addRowBatch(batch);
        batch.reset();
      }
    }
  }

  private Map<String, Object> rowMap(RowBatch rowsIn, int r) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int c = 0; c < schema.size(); c++) {
      row.put(schema.column(c).name(), rowsIn.get(r, c));
    }
    return row;
  }

  private static void set(ColumnVector vector, int r, DataType type, Object value)
      throws ValueMisfit {
    if (value == null) {
      vector.noNulls = false;
      vector.isNull[r] = true;
      return;
    }
    vector.isNull[r] = false;
    switch (type.kind()) {
      case BOOLEAN -> ((LongColumnVector) vector).vector[r] = (Boolean) value ? 1 : 0;
      case INT8, INT16, INT32, INT64 ->
          ((LongColumnVector) vector).vector[r] = ((Number) value).longValue();
      case FLOAT32, FLOAT64 ->
          ((DoubleColumnVector) vector).vector[r] = ((Number) value).doubleValue();
      case DECIMAL -> {
        BigDecimal decimal = (BigDecimal) value;
        if (!ColumnarTypes.storedAsDecimal(type)) {
          setText((BytesColumnVector) vector, r, decimal.toPlainString());
        } else {
          BigDecimal fit = ColumnarTypes.fitDecimal(decimal, type);
          if (fit == null) {
            throw new ValueMisfit(ColumnarTypes.decimalMisfit(type));
          }
          ((DecimalColumnVector) vector).set(r, HiveDecimal.create(fit));
        }
      }
      case STRING, JSON -> setText((BytesColumnVector) vector, r, (String) value);
      case TIME -> setText((BytesColumnVector) vector, r, ((LocalTime) value).toString());
      case BYTES -> ((BytesColumnVector) vector).setVal(r, (byte[]) value);
      case DATE -> ((LongColumnVector) vector).vector[r] = ((LocalDate) value).toEpochDay();
      case TIMESTAMP ->
          setInstant(
              (TimestampColumnVector) vector,
              r,
              ((LocalDateTime) value).toEpochSecond(ZoneOffset.UTC),
              ((LocalDateTime) value).getNano());
      case TIMESTAMP_TZ ->
          setInstant(
              (TimestampColumnVector) vector,
              r,
              ((OffsetDateTime) value).toEpochSecond(),
              ((OffsetDateTime) value).getNano());
      default -> throw new ValueMisfit("nested values are not written to ORC");
    }
  }

  private static void setText(BytesColumnVector vector, int r, String text) {
    vector.setVal(r, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void setInstant(TimestampColumnVector vector, int r, long seconds, int nanos) {
    vector.time[r] = Math.addExact(Math.multiplyExact(seconds, 1000L), nanos / 1_000_000);
    vector.nanos[r] = nanos;
  }

  @Override
  public void flush() {}

  @Override
  public void finish() throws IOException {
    if (batch.size > 0) {
      writer.addRowBatch(batch);
      batch.reset();
    }
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
}

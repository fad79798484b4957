package io.ferry.connector.hdfs;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DecimalColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DoubleColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.TimestampColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.RecordReader;
import org.apache.orc.TypeDescription;

/** Reads an ORC file's rows (flat columns; timestamps read in UTC, as the sink writes them). */
final class OrcFileReader extends ColumnarReader {
  private final Reader reader;
  private final RecordReader rows;
  private final VectorizedRowBatch batch;
  private final TypeDescription[] fieldTypes;
  private final ColumnProjection projection;
  private final boolean exhausted;
  private int next;

  private OrcFileReader(
      HdfsAccess access,
      String file,
      Reader reader,
      ColumnProjection projection,
      int batchSize,
      long skipped)
      throws IOException {
    super(access, file, projection.size(), batchSize, skipped);
    this.reader = reader;
    this.projection = projection;
    TypeDescription schema = reader.getSchema();
    this.fieldTypes = schema.getChildren().toArray(new TypeDescription[0]);
    this.rows = reader.rows();
    // ORC refuses to seek to the end: a reader resumed after the last row has nothing to read.
    this.exhausted = skipped >= reader.getNumberOfRows();
    if (skipped > 0 && !exhausted) {
      rows.seekToRow(skipped);
    }
    this.batch = schema.createRowBatch(Math.min(batchSize, 1024));
  }

  static Reader open(HdfsAccess access, String file) throws IOException {
    FileSystem fs = access.fs();
    return OrcFile.createReader(
        new Path(file), OrcFile.readerOptions(access.conf()).filesystem(fs).useUTCTimestamp(true));
  }

  static OrcFileReader open(
      HdfsAccess access,
      String file,
      Schema wanted,
      boolean byPosition,
      int batchSize,
      long skipped)
      throws IOException {
    Reader reader = open(access, file);
    try {
      ColumnProjection projection =
          ColumnProjection.of(file, schemaOf(file, reader.getSchema()), wanted, byPosition);
      return new OrcFileReader(access, file, reader, projection, batchSize, skipped);
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** The file's fields as Ferry columns. */
  static Schema schemaOf(String file, TypeDescription struct) {
    if (struct.getCategory() != TypeDescription.Category.STRUCT) {
      throw mismatch(file, "holds " + struct + ", not rows of fields");
    }
    List<Column> columns = new ArrayList<>();
    List<String> names = struct.getFieldNames();
    for (int i = 0; i < names.size(); i++) {
      columns.add(Column.of(names.get(i), typeOf(file, names.get(i), struct.getChildren().get(i))));
    }
    return Schema.of(columns);
  }

  private static DataType typeOf(String file, String field, TypeDescription t) {
    return switch (t.getCategory()) {
      case BOOLEAN -> DataType.BOOLEAN;
      case BYTE -> DataType.INT8;
      case SHORT -> DataType.INT16;
      case INT -> DataType.INT32;
      case LONG -> DataType.INT64;
      case FLOAT -> DataType.FLOAT32;
      case DOUBLE -> DataType.FLOAT64;
      case DECIMAL -> DataType.decimal(t.getPrecision(), t.getScale());
      case STRING, VARCHAR, CHAR -> DataType.STRING;
      case BINARY -> DataType.BYTES;
      case DATE -> DataType.DATE;
      case TIMESTAMP -> DataType.timestamp(9);
      case TIMESTAMP_INSTANT -> DataType.timestampTz(9);
      default ->
          throw mismatch(
              file, "field '" + field + "' is " + t + "; nested fields are not read yet");
    };
  }

  @Override
  boolean nextRow(Object[] row) throws IOException {
    if (exhausted) {
      return false;
    }
    if (next >= batch.size) {
      if (!rows.nextBatch(batch)) {
        return false;
      }
      next = 0;
      if (batch.size == 0) {
        return false;
      }
    }
    for (int c = 0; c < row.length; c++) {
      int f = projection.field(c);
      row[c] = projection.value(c, value(batch.cols[f], fieldTypes[f], next));
    }
    next++;
    return true;
  }

  private static Object value(ColumnVector vector, TypeDescription type, int r) {
    int i = vector.isRepeating ? 0 : r;
    if (!vector.noNulls && vector.isNull[i]) {
      return null;
    }
    return switch (type.getCategory()) {
      case BOOLEAN -> ((LongColumnVector) vector).vector[i] != 0;
      case BYTE -> (byte) ((LongColumnVector) vector).vector[i];
      case SHORT -> (short) ((LongColumnVector) vector).vector[i];
      case INT -> (int) ((LongColumnVector) vector).vector[i];
      case LONG -> ((LongColumnVector) vector).vector[i];
      case FLOAT -> (float) ((DoubleColumnVector) vector).vector[i];
      case DOUBLE -> ((DoubleColumnVector) vector).vector[i];
      case DECIMAL -> {
        BigDecimal d = ((DecimalColumnVector) vector).vector[i].getHiveDecimal().bigDecimalValue();
        yield d.setScale(type.getScale());
      }
      case STRING, VARCHAR, CHAR -> ((BytesColumnVector) vector).toString(i);
      case BINARY -> {
        BytesColumnVector b = (BytesColumnVector) vector;
        yield Arrays.copyOfRange(b.vector[i], b.start[i], b.start[i] + b.length[i]);
      }
      case DATE -> LocalDate.ofEpochDay(((LongColumnVector) vector).vector[i]);
      case TIMESTAMP ->
          LocalDateTime.ofInstant(instant((TimestampColumnVector) vector, i), ZoneOffset.UTC);
      case TIMESTAMP_INSTANT ->
          OffsetDateTime.ofInstant(instant((TimestampColumnVector) vector, i), ZoneOffset.UTC);
      default -> throw new IllegalStateException("nested " + type + " refused at open");
    };
  }

  private static Instant instant(TimestampColumnVector v, int i) {
    return Instant.ofEpochSecond(Math.floorDiv(v.time[i], 1000L), v.nanos[i]);
  }

  @Override
  void closeFile() throws IOException {
    try {
      rows.close();
    } finally {
      reader.close();
    }
  }
}

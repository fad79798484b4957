package io.ferry.connector.hdfs;

import static org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MICROS;
import static org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.NANOS;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** Ferry's flat columns as Parquet columns (the README's type mapping), all optional. */
final class ParquetSchemas {
  private ParquetSchemas() {}

  static MessageType of(Schema schema) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (Column c : schema.columns()) {
      message.addField(field(c.name(), c.type()));
    }
    return message.named("ferry");
  }

  private static Type field(String name, DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
      case INT8 ->
          Types.optional(PrimitiveTypeName.INT32)
              .as(LogicalTypeAnnotation.intType(8, true))
              .named(name);
      case INT16 ->
          Types.optional(PrimitiveTypeName.INT32)
              .as(LogicalTypeAnnotation.intType(16, true))
              .named(name);
      case INT32 -> Types.optional(PrimitiveTypeName.INT32).named(name);
      case INT64 -> Types.optional(PrimitiveTypeName.INT64).named(name);
      case FLOAT32 -> Types.optional(PrimitiveTypeName.FLOAT).named(name);
      case FLOAT64 -> Types.optional(PrimitiveTypeName.DOUBLE).named(name);
      case DECIMAL ->
          ColumnarTypes.storedAsDecimal(type)
              ? Types.optional(PrimitiveTypeName.BINARY)
                  .as(LogicalTypeAnnotation.decimalType(type.scale(), type.precision()))
                  .named(name)
              : text(name);
      case STRING -> text(name);
      case JSON ->
          Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.jsonType()).named(name);
      case BYTES -> Types.optional(PrimitiveTypeName.BINARY).named(name);
      case DATE ->
          Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
      case TIME ->
          Types.optional(PrimitiveTypeName.INT64)
              .as(LogicalTypeAnnotation.timeType(false, nanos(type) ? NANOS : MICROS))
              .named(name);
      case TIMESTAMP ->
          Types.optional(PrimitiveTypeName.INT64)
              .as(LogicalTypeAnnotation.timestampType(false, nanos(type) ? NANOS : MICROS))
              .named(name);
      case TIMESTAMP_TZ ->
          Types.optional(PrimitiveTypeName.INT64)
              .as(LogicalTypeAnnotation.timestampType(true, nanos(type) ? NANOS : MICROS))
              .named(name);
      case ROW, ARRAY, MAP -> throw new IllegalArgumentException("nested type " + type);
    };
  }

  private static Type text(String name) {
    return Types.optional(PrimitiveTypeName.BINARY)
        .as(LogicalTypeAnnotation.stringType())
        .named(name);
  }

  /** Whether a time type has more than microsecond digits (stored in nanoseconds). */
  static boolean nanos(DataType type) {
    return type.precision() > 6;
  }
}

package io.ferry.connector.mongodb;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Ferry types for fields, from the values a sample of documents holds (see the README's type
 * table). Nested documents and arrays whose elements are not all of one scalar type are {@code
 * json}, which holds any shape: declare {@code row<...>} or {@code map<...>} to read them typed.
 */
final class SchemaInference {
  private SchemaInference() {}

  /** What one field held across the sample. */
  static final class FieldTypes {
    private final Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    private int intDigits;
    private int scale;
    private FieldTypes elements;

    void add(BsonValue v) {
      if (v == null || v.isNull() || v.getBsonType() == org.bson.BsonType.UNDEFINED) {
        return;
      }
      switch (v.getBsonType()) {
        case BOOLEAN -> kinds.add(Kind.BOOLEAN);
        case INT32 -> kinds.add(Kind.INT32);
        case INT64 -> kinds.add(Kind.INT64);
        case DOUBLE -> kinds.add(Kind.DOUBLE);
        case DECIMAL128 -> {
          kinds.add(Kind.DECIMAL);
          if (v.asDecimal128().getValue().isFinite()) {
            BigDecimal d = v.asDecimal128().getValue().bigDecimalValue();
            scale = Math.max(scale, Math.max(d.scale(), 0));
            intDigits = Math.max(intDigits, d.precision() - d.scale());
          }
        }
        case STRING, SYMBOL -> kinds.add(Kind.STRING);
        case OBJECT_ID -> kinds.add(Kind.OBJECT_ID);
        case DATE_TIME -> kinds.add(Kind.DATE);
        case TIMESTAMP -> kinds.add(Kind.TIMESTAMP);
        case BINARY -> {
          BsonBinary b = v.asBinary();
          kinds.add(BsonValues.uuid(b) != null ? Kind.UUID : Kind.BINARY);
        }
        case ARRAY -> {
          kinds.add(Kind.ARRAY);
          if (elements == null) {
            elements = new FieldTypes();
          }
          for (BsonValue e : v.asArray()) {
            elements.add(e);
          }
        }
        default -> kinds.add(Kind.OTHER);
      }
    }

    /** The Ferry type for what was seen; json when nothing or several unrelated kinds were. */
    DataType type() {
      if (kinds.isEmpty()) {
        return DataType.JSON;
      }
      if (kinds.size() == 1) {
        Kind only = kinds.iterator().next();
        return switch (only) {
          case BOOLEAN -> DataType.BOOLEAN;
          case INT32 -> DataType.INT32;
          case INT64 -> DataType.INT64;
          case DOUBLE -> DataType.FLOAT64;
          case DECIMAL -> decimal();
          case STRING, OBJECT_ID, UUID -> DataType.STRING;
          case DATE -> DataType.timestampTz(3);
          case TIMESTAMP -> DataType.INT64;
          case BINARY -> DataType.BYTES;
          case ARRAY -> arrayType();
          case OTHER -> DataType.JSON;
        };
      }
      Set<Kind> numbers = EnumSet.of(Kind.INT32, Kind.INT64, Kind.DOUBLE, Kind.DECIMAL);
      if (numbers.containsAll(kinds)) {
        if (kinds.contains(Kind.DECIMAL)) {
          return decimal();
        }
        return kinds.contains(Kind.DOUBLE) ? DataType.FLOAT64 : DataType.INT64;
      }
      if (EnumSet.of(Kind.STRING, Kind.OBJECT_ID, Kind.UUID).containsAll(kinds)) {
        return DataType.STRING;
      }
      return DataType.JSON;
    }

    private DataType decimal() {
      int precision = Math.min(1000, Math.max(34, intDigits + scale));
      return DataType.decimal(precision, Math.min(scale, precision));
    }

    private DataType arrayType() {
      if (elements == null || elements.kinds.isEmpty()) {
        return DataType.JSON;
      }
      DataType element = elements.type();
      return element.kind().isNested() || element.equals(DataType.JSON)
          ? DataType.JSON
          : DataType.array(element);
    }
  }

  private enum Kind {
    BOOLEAN,
    INT32,
    INT64,
    DOUBLE,
    DECIMAL,
    STRING,
    OBJECT_ID,
    UUID,
    DATE,
    TIMESTAMP,
    BINARY,
    ARRAY,
    OTHER
  }

  /**
   * The schema of {@code declared} columns (null: every field of the sample), inferring the types
   * the declaration leaves out from {@code sample}.
   */
  static Schema schema(List<MongoOptions.MongoColumn> declared, List<BsonDocument> sample) {
    Map<String, FieldTypes> fields = new LinkedHashMap<>();
    if (declared == null) {
      fields.put("_id", new FieldTypes());
      for (BsonDocument doc : sample) {
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
          fields.computeIfAbsent(e.getKey(), k -> new FieldTypes()).add(e.getValue());
        }
      }
      List<Column> columns = new ArrayList<>();
      for (Map.Entry<String, FieldTypes> e : fields.entrySet()) {
        columns.add(new Column(e.getKey(), e.getValue().type(), !e.getKey().equals("_id")));
      }
      return Schema.of(columns);
    }
    List<Column> columns = new ArrayList<>();
    for (MongoOptions.MongoColumn c : declared) {
      if (c.type() != null) {
        columns.add(c.column(c.type()));
        continue;
      }
      FieldTypes types = new FieldTypes();
      for (BsonDocument doc : sample) {
        types.add(DocumentPaths.get(doc, c.name()));
      }
      columns.add(c.column(types.type()));
    }
    return Schema.of(columns);
  }
}

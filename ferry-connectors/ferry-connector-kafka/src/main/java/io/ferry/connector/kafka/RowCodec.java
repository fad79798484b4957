package io.ferry.connector.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.Column;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows as record values (or keys) and back, in one {@link ValueFormat}. json: an object keyed by
 * column name, every column present (NULL as JSON null), values as {@link JsonValues#toNode} writes
 * them. csv: one RFC 4180 line without its line break, the columns in order; NULL is an unquoted
 * empty field, and an empty string is written quoted ({@code ""}).
 */
final class RowCodec {
  private final ValueFormat format;
  private final char delimiter;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
  private final JsonGenerator json;

  RowCodec(ValueFormat format, char delimiter) {
    this.format = format;
    this.delimiter = delimiter;
    try {
      this.json = JsonValues.mapper().createGenerator(buffer);
      json.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      json.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A value that cannot be written or read, with the column at fault. */
  static final class BadValue extends Exception {
    private static final long serialVersionUID = 1L;
    final String column;
    final transient Object value;

    BadValue(String column, Object value, String message) {
      super(message);
      this.column = column;
      this.value = value;
    }
  }

  /**
   * Encodes the values {@code row}'s {@code indexes[i]}-th value of {@code batch} as columns {@code
   * columns[i]}, straight from the batch (no copy of the row).
   *
   * @throws BadValue when a value does not belong to its column's type
   */
  byte[] encode(List<Column> columns, io.ferry.spi.RowBatch batch, int row, int[] indexes)
      throws BadValue {
    buffer.reset();
    if (format == ValueFormat.JSON) {
      try {
        json.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
          Column column = columns.get(i);
          json.writeFieldName(column.name());
          writeJson(batch.get(row, indexes[i]), column);
        }
        json.writeEndObject();
        json.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      StringBuilder line = new StringBuilder(128);
      for (int i = 0; i < columns.size(); i++) {
        if (i > 0) {
          line.append(delimiter);
        }
        Object value = batch.get(row, indexes[i]);
        if (value != null) {
          appendCsv(line, text(value, columns.get(i)));
        }
      }
      return line.toString().getBytes(StandardCharsets.UTF_8);
    }
    return buffer.toByteArray();
  }

  private void writeJson(Object value, Column column) throws IOException, BadValue {
    try {
      JsonValues.write(json, value, column.type());
    } catch (ClassCastException | IllegalArgumentException e) {
      throw bad(column, value, e);
    }
  }

  private static String text(Object value, Column column) throws BadValue {
    try {
      return column.type().kind() == io.ferry.spi.TypeKind.STRING
          ? (String) value
          : Values.format(value, column.type());
    } catch (ClassCastException | IllegalArgumentException e) {
      throw bad(column, value, e);
    }
  }

  private static BadValue bad(Column column, Object value, RuntimeException e) {
    return new BadValue(
        column.name(),
        value,
        e instanceof ClassCastException
            ? "a " + value.getClass().getSimpleName() + " is not a value of " + column.type()
            : e.getMessage());
  }

  private void appendCsv(StringBuilder line, String text) {
    boolean quote = text.isEmpty();
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == delimiter || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      line.append(text);
      return;
    }
    line.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        line.append('"');
      }
      line.append(c);
    }
    line.append('"');
  }

  // ---- decoding -------------------------------------------------------------------------------

  /** A decoded value: a JSON object's fields or a csv line's fields. */
  interface Decoded {
    /**
     * The value of {@code column}, the {@code index}-th of the value's own columns.
     *
     * @throws BadValue when it does not fit the column's type
     */
    Object get(Column column, int index) throws BadValue;
  }

  /**
   * Parses a record's value.
   *
   * @param width the number of the value's own columns (csv: fields expected)
   * @throws BadValue when the bytes are not a value of this format (column null)
   */
  Decoded decode(byte[] bytes, int width) throws BadValue {
    if (format == ValueFormat.JSON) {
      JsonNode node;
      try {
        node = JsonValues.mapper().readTree(bytes);
      } catch (IOException e) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        throw new BadValue(null, text, "the value is not JSON: " + firstLine(e.getMessage()));
      }
      if (node == null || !node.isObject()) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        throw new BadValue(
            null, text, "the value is not a JSON object of the columns but " + shortly(text));
      }
      return (column, index) -> {
        JsonNode field = node.get(column.name());
        try {
          return JsonValues.fromNode(field, column.type());
        } catch (IllegalArgumentException e) {
          throw new BadValue(
              column.name(), field == null ? null : field.toString(), e.getMessage());
        }
      };
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<String> fields = parseCsv(text);
    if (fields.size() != width) {
      throw new BadValue(
          null, text, "the csv value has " + fields.size() + " fields, the columns are " + width);
    }
    return (column, index) -> {
      String field = fields.get(index);
      if (field == null) {
        return null;
      }
      try {
        return column.type().kind() == io.ferry.spi.TypeKind.STRING
            ? field
            : Values.parse(field, column.type());
      } catch (IllegalArgumentException e) {
        throw new BadValue(column.name(), field, e.getMessage());
      }
    };
  }

  /** The fields of one csv line; an unquoted empty field is null. */
  private List<String> parseCsv(String line) throws BadValue {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      field.setLength(0);
      boolean quoted = false;
      if (i < n && line.charAt(i) == '"') {
        quoted = true;
        i++;
        while (true) {
          if (i >= n) {
            throw new BadValue(null, line, "the csv value ends inside a quoted field");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < n && line.charAt(i) != delimiter) {
          throw new BadValue(
              null, line, "the csv value has text after a closing quote at character " + (i + 1));
        }
      } else {
        while (i < n && line.charAt(i) != delimiter) {
          field.append(line.charAt(i++));
        }
      }
      fields.add(!quoted && field.length() == 0 ? null : field.toString());
      if (i >= n) {
        return fields;
      }
      i++; // the delimiter
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static String shortly(String text) {
    return "'" + Values.abbreviate(text) + "'";
  }
}

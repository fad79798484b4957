package io.ferry.connector.datagen;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One generated column as a job file declares it in {@code columns}: name, type, generator kind and
 * the kind's parameters. Parameters are kept as text (parsed per type by {@link Generators}) or as
 * integers (lengths); null when not given.
 *
 * @param start first value of a sequence
 * @param step increment of a sequence (days for dates, seconds for timestamps)
 * @param min lower bound of a random number, date or time, included
 * @param max upper bound of a random number, date or time, included
 * @param minLength shortest random string or bytes, fewest elements of an array or map
 * @param maxLength longest random string or bytes, most elements of an array or map
 * @param value the constant, in the text form of {@code Values.parse}
 * @param values the choices, in the text form of {@code Values.parse}
 * @param nullRatio share of rows, 0 to 1, in which the column is NULL
 */
record ColumnSpec(
    String name,
    DataType type,
    GeneratorKind kind,
    String start,
    String step,
    String min,
    String max,
    Integer minLength,
    Integer maxLength,
    String value,
    List<String> values,
    double nullRatio) {

  private static final Set<String> KEYS =
      Set.of(
          "name",
          "type",
          "kind",
          "start",
          "step",
          "min",
          "max",
          "length",
          "minLength",
          "maxLength",
          "value",
          "values",
          "nullRatio");

  ColumnSpec {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(kind, "kind is null");
    values = values == null ? null : List.copyOf(values);
  }

  /** A random column with the type's default range. */
  static ColumnSpec random(String name, DataType type) {
    return new ColumnSpec(
        name, type, GeneratorKind.RANDOM, null, null, null, null, null, null, null, null, 0);
  }

  /**
   * The schema used when {@code columns} is absent: an order table of eight columns.
   *
   * <pre>
   * id          int64          sequence from 1
   * customer_id int32          random 1..100000
   * sku         string         random, 12 characters
   * qty         int32          random 1..100
   * price       decimal(12,2)  random 0.01..9999.99
   * status      string         choice of pending, paid, shipped, delivered, cancelled
   * created_at  timestamp      random in 2024 (microseconds)
   * note        string         random, 0..32 characters, NULL in 20% of rows
   * </pre>
   */
  static List<ColumnSpec> defaults() {
    return List.of(
        new ColumnSpec(
            "id",
            DataType.INT64,
            GeneratorKind.SEQUENCE,
            "1",
            "1",
            null,
            null,
            null,
            null,
            null,
            null,
            0),
        new ColumnSpec(
            "customer_id",
            DataType.INT32,
            GeneratorKind.RANDOM,
            null,
            null,
            "1",
            "100000",
            null,
            null,
            null,
            null,
            0),
        new ColumnSpec(
            "sku",
            DataType.STRING,
            GeneratorKind.RANDOM,
            null,
            null,
            null,
            null,
            12,
            12,
            null,
            null,
            0),
        new ColumnSpec(
            "qty",
            DataType.INT32,
            GeneratorKind.RANDOM,
            null,
            null,
            "1",
            "100",
            null,
            null,
            null,
            null,
            0),
        new ColumnSpec(
            "price",
            DataType.decimal(12, 2),
            GeneratorKind.RANDOM,
            null,
            null,
            "0.01",
            "9999.99",
            null,
            null,
            null,
            null,
            0),
        new ColumnSpec(
            "status",
            DataType.STRING,
            GeneratorKind.CHOICE,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of("pending", "paid", "shipped", "delivered", "cancelled"),
            0),
        new ColumnSpec(
            "created_at",
            DataType.TIMESTAMP,
            GeneratorKind.RANDOM,
            null,
            null,
            "2024-01-01T00:00:00",
            "2024-12-31T23:59:59.999999",
            null,
            null,
            null,
            null,
            0),
        new ColumnSpec(
            "note",
            DataType.STRING,
            GeneratorKind.RANDOM,
            null,
            null,
            null,
            null,
            0,
            32,
            null,
            null,
            0.2));
  }

  /**
   * Parses the {@code columns} option: a list of maps. Every column is checked here, generators
   * included, so a bad spec is reported with the options, before anything runs.
   *
   * @throws IllegalArgumentException naming the column (by position and name) and what is wrong
   */
  static List<ColumnSpec> parseAll(Object raw) {
    if (!(raw instanceof List<?> list)) {
      throw new IllegalArgumentException(
          "expected a list of column specs (maps with name, type, kind...)");
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("must list at least one column");
    }
    List<ColumnSpec> specs = new ArrayList<>(list.size());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "columns[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException(where + ": expected a map with name, type and kind");
      }
      Object rawName = map.get("name");
      if (rawName != null) {
        where += " (" + rawName + ")";
      }
      ColumnSpec spec;
      try {
        spec = parse(map);
        // Builds the generator once to check every parameter now; sequences are checked against
        // the row count again by the source.
        Generators.create(spec, 0, i, 1);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
      if (!names.add(spec.name())) {
        throw new IllegalArgumentException(where + ": duplicate column name '" + spec.name() + "'");
      }
      specs.add(spec);
    }
    return List.copyOf(specs);
  }

  private static ColumnSpec parse(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        throw new IllegalArgumentException(
            "unknown key '" + key + "'; known keys: " + String.join(", ", sortedKeys()));
      }
    }
    String name = text(map, "name");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("'name' is missing");
    }
    String typeText = text(map, "type");
    if (typeText == null) {
      throw new IllegalArgumentException("'type' is missing");
    }
    DataType type = DataType.parse(typeText);
    String kindText = text(map, "kind");
    GeneratorKind kind = kindText == null ? GeneratorKind.RANDOM : GeneratorKind.parse(kindText);
    Integer length = integer(map, "length");
    Integer minLength = integer(map, "minLength");
    Integer maxLength = integer(map, "maxLength");
    if (length != null) {
      if (minLength != null || maxLength != null) {
        throw new IllegalArgumentException("give 'length' or 'minLength'/'maxLength', not both");
      }
      minLength = length;
      maxLength = length;
    }
    List<String> values = null;
    Object rawValues = map.get("values");
    if (rawValues != null) {
      if (!(rawValues instanceof List<?> rawList)) {
        throw new IllegalArgumentException("'values' must be a list");
      }
      values = new ArrayList<>(rawList.size());
      for (Object v : rawList) {
        values.add(valueText(v, "values"));
      }
    }
    double nullRatio = 0;
    Object rawRatio = map.get("nullRatio");
    if (rawRatio != null) {
      try {
        nullRatio = Double.parseDouble(rawRatio.toString());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'nullRatio' must be a number, got '" + rawRatio + "'");
      }
      if (!(nullRatio >= 0 && nullRatio <= 1)) {
        throw new IllegalArgumentException("'nullRatio' must be between 0 and 1, got " + rawRatio);
      }
    }
    Object rawValue = map.get("value");
    return new ColumnSpec(
        name,
        type,
        kind,
        text(map, "start"),
        text(map, "step"),
        text(map, "min"),
        text(map, "max"),
        minLength,
        maxLength,
        rawValue == null ? null : valueText(rawValue, "value"),
        values,
        nullRatio);
  }

  private static List<String> sortedKeys() {
    List<String> keys = new ArrayList<>(KEYS);
    keys.sort(null);
    return keys;
  }

  private static String text(Map<?, ?> map, String key) {
    Object raw = map.get(key);
    if (raw == null) {
      return null;
    }
    if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
      return raw.toString();
    }
    throw new IllegalArgumentException("'" + key + "' must be a single value, got " + raw);
  }

  private static Integer integer(Map<?, ?> map, String key) {
    String text = text(map, key);
    if (text == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(text.trim());
      if (n < 0) {
        throw new IllegalArgumentException("'" + key + "' must not be negative, got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + key + "' must be an integer, got '" + text + "'");
    }
  }

  /** A constant or choice as text; lists and maps (nested values in YAML) become JSON text. */
  private static String valueText(Object raw, String key) {
    if (raw instanceof List<?> || raw instanceof Map<?, ?>) {
      try {
        return JsonValues.mapper().writeValueAsString(raw);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("'" + key + "' cannot be written as JSON: " + raw, e);
      }
    }
    if (raw == null) {
      throw new IllegalArgumentException("'" + key + "' holds a null; use nullRatio for NULLs");
    }
    return raw.toString();
  }
}

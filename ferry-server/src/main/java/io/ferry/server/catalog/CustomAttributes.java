package io.ferry.server.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.SqlText;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The custom attributes of the metadata catalog (docs/catalog.md): defined by people per meta-model
 * (name, type, required, allowed values) and set on collected tables. A collection never writes
 * them, so they survive re-collection. A value is checked against its definition when it is set;
 * every refusal names the attribute.
 */
@Service
public class CustomAttributes {
  /** The types a custom attribute may have. */
  static final Set<String> TYPES = Set.of("STRING", "NUMBER", "BOOLEAN", "DATE");

  static final int MAX_ATTRIBUTES = 50;
  static final int MAX_NAME = 100;
  static final int MAX_VALUE = 2000;
  static final int MAX_ALLOWED = 200;

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> VALUES = new TypeReference<>() {};

  private final JdbcClient db;
  private final AuditLog audit;

  public CustomAttributes(JdbcClient db, AuditLog audit) {
    this.db = db;
    this.audit = audit;
  }

  /**
   * @param type {@code string}, {@code number}, {@code boolean} or {@code date} (ISO {@code
   *     yyyy-MM-dd})
   * @param allowedValues the values a string or number attribute may take; empty for any
   */
  public record Definition(
      long id,
      String model,
      String name,
      String type,
      boolean required,
      List<String> allowedValues,
      String description,
      Instant createdAt,
      Instant updatedAt) {}

  public record Request(
      String name, String type, Boolean required, List<String> allowedValues, String description) {}

  private static final String COLUMNS =
      "id, model, attr_name, attr_type, is_required, allowed_values, description, created_at,"
          + " updated_at";

  public List<Definition> list(String model) {
    model(model);
    return db.sql(
            "SELECT " + COLUMNS + " FROM ferry_catalog_custom_attr WHERE model = ? ORDER BY id")
        .param(model)
        .query(CustomAttributes::definition)
        .list();
  }

  @Transactional
  public Definition create(String model, Request r) {
    model(model);
    List<Definition> existing = list(model);
    if (existing.size() >= MAX_ATTRIBUTES) {
      throw DomainException.invalid(
          "name", "a meta-model has at most " + MAX_ATTRIBUTES + " custom attributes");
    }
    Checked c = check(r, existing, null);
    Timestamp now = Timestamp.from(Instant.now());
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    db.sql(
            "INSERT INTO ferry_catalog_custom_attr (model, attr_name, attr_type, is_required,"
                + " allowed_values, description, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            model,
            c.name,
            c.type,
            c.required,
            SqlText.orNull(c.allowed.isEmpty() ? null : CatalogStore.json(c.allowed)),
            SqlText.orNull(c.description),
            now,
            now)
        .update(keys, "id");
    long id = keys.getKey().longValue();
    audit.record("catalog-attribute-create", "catalog-attribute", id, model + "." + c.name);
    return get(model, id);
  }

  /**
   * Changes a definition. Its name stays (the values set on tables are kept by name); the values
   * already set are checked again when a table's custom attributes are next saved.
   */
  @Transactional
  public Definition update(String model, long id, Request r) {
    Definition old = get(model, id);
    if (r.name() != null && !r.name().trim().equals(old.name())) {
      throw DomainException.invalid(
          "name", "the name of a custom attribute cannot change (was '" + old.name() + "')");
    }
    Request named =
        new Request(old.name(), r.type(), r.required(), r.allowedValues(), r.description());
    Checked c = check(named, list(model), id);
    db.sql(
            "UPDATE ferry_catalog_custom_attr SET attr_type = ?, is_required = ?,"
                + " allowed_values = ?, description = ?, updated_at = ? WHERE id = ?")
        .params(
            c.type,
            c.required,
            SqlText.orNull(c.allowed.isEmpty() ? null : CatalogStore.json(c.allowed)),
            SqlText.orNull(c.description),
            Timestamp.from(Instant.now()),
            id)
        .update();
    audit.record("catalog-attribute-update", "catalog-attribute", id, model + "." + c.name);
    return get(model, id);
  }

  /** Deletes a definition; the values tables had for it are no longer shown nor kept on save. */
  public void delete(String model, long id) {
    Definition d = get(model, id);
    db.sql("DELETE FROM ferry_catalog_custom_attr WHERE id = ?").param(id).update();
    audit.record("catalog-attribute-delete", "catalog-attribute", id, model + "." + d.name());
  }

  public Definition get(String model, long id) {
    model(model);
    return db.sql(
            "SELECT " + COLUMNS + " FROM ferry_catalog_custom_attr WHERE id = ? AND model = ?")
        .params(id, model)
        .query(CustomAttributes::definition)
        .optional()
        .orElseThrow(() -> DomainException.notFound("custom attribute of " + model, id));
  }

  /** A table's values, of the attributes its model defines now, in their order. */
  Map<String, Object> values(List<Definition> definitions, String json) {
    Map<String, Object> stored = parse(json);
    Map<String, Object> shown = new LinkedHashMap<>();
    for (Definition d : definitions) {
      if (stored.containsKey(d.name())) {
        shown.put(d.name(), stored.get(d.name()));
      }
    }
    return shown;
  }

  /**
   * Sets a table's custom attributes: all of them (what is left out is cleared), each checked
   * against its definition.
   *
   * @return the values as stored (numbers as numbers, dates as {@code yyyy-MM-dd})
   * @throws DomainException.Invalid naming each attribute at fault ({@code values.<name>})
   */
  Map<String, Object> set(long tableId, String model, Map<String, Object> values) {
    Map<String, Object> checked = validate(list(model), values == null ? Map.of() : values);
    db.sql("UPDATE ferry_catalog_table SET custom_values = ? WHERE id = ?")
        .params(SqlText.orNull(checked.isEmpty() ? null : CatalogStore.json(checked)), tableId)
        .update();
    audit.record("catalog-table-custom", "catalog-table", tableId, null);
    return checked;
  }

  /** The values checked against the definitions; package-private for its unit test. */
  static Map<String, Object> validate(List<Definition> definitions, Map<String, Object> values) {
    List<DomainException.FieldProblem> problems = new ArrayList<>();
    Map<String, Definition> byName = new LinkedHashMap<>();
    definitions.forEach(d -> byName.put(d.name(), d));
    for (String name : values.keySet()) {
      if (!byName.containsKey(name)) {
        problems.add(
            new DomainException.FieldProblem(
                "values." + name,
                "'"
                    + name
                    + "' is not a custom attribute of this meta-model"
                    + (byName.isEmpty() ? " (it has none)" : " (it has " + byName.keySet() + ")")));
      }
    }
    Map<String, Object> checked = new LinkedHashMap<>();
    for (Definition d : definitions) {
      Object value = values.get(d.name());
      if (value instanceof String s && s.isBlank()) {
        value = null;
      }
      String field = "values." + d.name();
      if (value == null) {
        if (d.required()) {
          problems.add(
              new DomainException.FieldProblem(
                  field, "the custom attribute '" + d.name() + "' is required"));
        }
        continue;
      }
      try {
        checked.put(d.name(), convert(d, value));
      } catch (IllegalArgumentException e) {
        problems.add(
            new DomainException.FieldProblem(
                field, "the custom attribute '" + d.name() + "' " + e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    return checked;
  }

  private static Object convert(Definition d, Object value) {
    Object typed =
        switch (d.type()) {
          case "string" -> {
            if (value instanceof Map || value instanceof List) {
              throw new IllegalArgumentException("takes a text, not " + value);
            }
            String s = String.valueOf(value).trim();
            if (s.length() > MAX_VALUE) {
              throw new IllegalArgumentException("takes at most " + MAX_VALUE + " characters");
            }
            yield s;
          }
          case "number" -> number(String.valueOf(value).trim());
          case "boolean" -> {
            if (value instanceof Boolean b) {
              yield b;
            }
            String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
              throw new IllegalArgumentException("takes true or false, not '" + value + "'");
            }
            yield Boolean.parseBoolean(s);
          }
          case "date" -> {
            try {
              yield LocalDate.parse(String.valueOf(value).trim()).toString();
            } catch (DateTimeParseException e) {
              throw new IllegalArgumentException("takes a date yyyy-MM-dd, not '" + value + "'");
            }
          }
          default -> throw new IllegalStateException(d.type());
        };
    if (!d.allowedValues().isEmpty() && !allowed(d, typed)) {
      throw new IllegalArgumentException(
          "takes one of " + d.allowedValues() + ", not '" + value + "'");
    }
    return typed;
  }

  private static boolean allowed(Definition d, Object typed) {
    if (typed instanceof BigDecimal n) {
      return d.allowedValues().stream().anyMatch(a -> new BigDecimal(a).compareTo(n) == 0);
    }
    return d.allowedValues().contains(String.valueOf(typed));
  }

  private static BigDecimal number(String s) {
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("takes a number, not '" + s + "'");
    }
  }

  private record Checked(
      String name, String type, boolean required, List<String> allowed, String description) {}

  private static Checked check(Request r, List<Definition> existing, Long self) {
    List<DomainException.FieldProblem> problems = new ArrayList<>();
    String name = r.name() == null ? "" : r.name().trim();
    if (name.isEmpty()) {
      problems.add(new DomainException.FieldProblem("name", "required"));
    } else if (name.length() > MAX_NAME) {
      problems.add(new DomainException.FieldProblem("name", "at most " + MAX_NAME + " characters"));
    } else if (name.contains(".") || name.contains(",")) {
      problems.add(new DomainException.FieldProblem("name", "no '.' nor ','"));
    } else if (existing.stream()
        .anyMatch(
            d ->
                (self == null || d.id() != self)
                    && d.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))) {
      problems.add(
          new DomainException.FieldProblem(
              "name", "the meta-model has a custom attribute '" + name + "' already"));
    } else if (MetaModels.COMMON.stream().anyMatch(a -> a.key().equalsIgnoreCase(name))) {
      problems.add(
          new DomainException.FieldProblem(
              "name", "'" + name + "' is a common attribute of every meta-model"));
    }
    String type = null;
    if (r.type() == null || r.type().isBlank()) {
      problems.add(
          new DomainException.FieldProblem("type", "required: string, number, boolean or date"));
    } else {
      try {
        type = DomainException.choice("type", r.type().trim(), TYPES).toLowerCase(Locale.ROOT);
      } catch (DomainException.Invalid e) {
        problems.add(
            new DomainException.FieldProblem(
                "type", "'" + r.type() + "' is not one of boolean, date, number, string"));
      }
    }
    List<String> allowed = new ArrayList<>();
    List<String> given = r.allowedValues() == null ? List.of() : r.allowedValues();
    if (!given.isEmpty() && ("boolean".equals(type) || "date".equals(type))) {
      problems.add(
          new DomainException.FieldProblem(
              "allowedValues", "only a string or number attribute takes allowed values"));
    } else if (given.size() > MAX_ALLOWED) {
      problems.add(
          new DomainException.FieldProblem("allowedValues", "at most " + MAX_ALLOWED + " values"));
    } else {
      for (int i = 0; i < given.size(); i++) {
        String v = given.get(i) == null ? "" : given.get(i).trim();
        String field = "allowedValues[" + i + "]";
        if (v.isEmpty() || v.length() > MAX_VALUE) {
          problems.add(
              new DomainException.FieldProblem(field, "1 to " + MAX_VALUE + " characters"));
        } else if ("number".equals(type) && !isNumber(v)) {
          problems.add(new DomainException.FieldProblem(field, "'" + v + "' is not a number"));
        } else if (allowed.contains(v)) {
          problems.add(new DomainException.FieldProblem(field, "'" + v + "' is listed twice"));
        } else {
          allowed.add(v);
        }
      }
    }
    String description = r.description() == null ? null : r.description().trim();
    if (description != null && description.length() > 500) {
      problems.add(new DomainException.FieldProblem("description", "at most 500 characters"));
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    return new Checked(
        name,
        type,
        Boolean.TRUE.equals(r.required()),
        allowed,
        description == null || description.isEmpty() ? null : description);
  }

  private static boolean isNumber(String s) {
    try {
      new BigDecimal(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void model(String model) {
    if (MetaModels.find(model).isEmpty()) {
      throw DomainException.notFound("meta-model", model);
    }
  }

  static Map<String, Object> parse(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return CatalogStore.JSON.readValue(json, VALUES);
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }

  private static Definition definition(ResultSet rs, int i) throws SQLException {
    String allowed = rs.getString(6);
    List<String> values;
    try {
      values = allowed == null ? List.of() : CatalogStore.JSON.readValue(allowed, STRINGS);
    } catch (JsonProcessingException e) {
      values = List.of();
    }
    return new Definition(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getBoolean(5),
        values,
        rs.getString(7),
        rs.getTimestamp(8).toInstant(),
        rs.getTimestamp(9).toInstant());
  }
}

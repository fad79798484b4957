package io.ferry.server.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PostgreSQL: the schemas of the database the data source connects to, three statements per schema
 * on {@code pg_catalog} (relations, attributes, index columns), whatever the number of tables. They
 * read the catalog only and open no relation (sizes come from {@code relpages}, not {@code
 * pg_total_relation_size}, which waits for a table's lock): a table locked by a long ALTER does not
 * hold the collection up.
 */
final class PostgresReader extends MetadataReader.Jdbc {
  private static final String RELATIONS =
      "SELECT c.relname, c.relkind, c.reltuples::bigint,"
          + " c.relpages::bigint * current_setting('block_size')::bigint,"
          + " obj_description(c.oid, 'pg_class'), pg_get_userbyid(c.relowner), c.relpersistence,"
          + " CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END"
          + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE n.nspname = ? AND c.relkind IN ('r', 'v', 'm', 'p', 'f')";

  /**
   * A default is deparsed without its relation ({@code pg_get_expr(adbin, 0)}): with it, PostgreSQL
   * opens the table and waits for its lock. Defaults cannot refer to columns; generated columns
   * (PostgreSQL 12+) can, and only theirs are deparsed with the relation.
   */
  private static final String ATTRIBUTES =
      "SELECT c.relname, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod),"
          + " NOT a.attnotnull, %s, col_description(c.oid, a.attnum), a.attidentity"
          + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
          + " WHERE n.nspname = ? AND c.relkind IN ('r', 'v', 'm', 'p', 'f') AND a.attnum > 0"
          + " AND NOT a.attisdropped ORDER BY c.relname, a.attnum";

  private static final String INDEXES =
      "SELECT c.relname, i.relname, x.indisunique, x.indisprimary, a.attname"
          + " FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " JOIN pg_class i ON i.oid = x.indexrelid"
          + " CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)"
          + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
          + " WHERE n.nspname = ? ORDER BY c.relname, i.relname, k.ord";

  PostgresReader(Connection connection, int timeoutSeconds) {
    super(connection, timeoutSeconds);
  }

  @Override
  public List<String> databases() throws SQLException {
    return strings(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog',"
            + " 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_temp\\_%'"
            + " AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'");
  }

  private static String kind(String relkind) {
    return switch (relkind) {
      case "v" -> "VIEW";
      case "m" -> "MATERIALIZED_VIEW";
      case "p" -> "PARTITIONED_TABLE";
      case "f" -> "FOREIGN_TABLE";
      default -> "TABLE";
    };
  }

  private record Relation(
      String kind, String comment, Map<String, Object> attributes, Map<String, Object> stats) {}

  @Override
  public Collected.Database read(String schema, ObjectFilter filter) throws SQLException {
    Map<String, Relation> relations = new LinkedHashMap<>();
    query(
        RELATIONS,
        schema,
        rs -> {
          String name = rs.getString(1);
          if (!filter.covers(schema, name)) {
            return;
          }
          Map<String, Object> attributes = new TreeMap<>();
          put(attributes, "owner", rs.getString(6));
          put(attributes, "persistence", "u".equals(rs.getString(7)) ? "unlogged" : "permanent");
          put(attributes, "partitionKey", rs.getString(8));
          Map<String, Object> stats = new TreeMap<>();
          long tuples = rs.getLong(3);
          put(stats, "rowEstimate", tuples < 0 ? null : tuples); // -1: never analyzed
          put(stats, "bytesEstimate", longOrNull(rs, 4));
          relations.put(
              name,
              new Relation(kind(rs.getString(2)), blankToNull(rs.getString(5)), attributes, stats));
        });
    Map<String, List<Collected.Column>> columns = new HashMap<>();
    String defaults =
        connection.getMetaData().getDatabaseMajorVersion() >= 12
            ? "CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0)"
                + " ELSE pg_get_expr(d.adbin, d.adrelid) END"
            : "pg_get_expr(d.adbin, 0)";
    query(
        ATTRIBUTES.formatted(defaults),
        schema,
        rs -> {
          String table = rs.getString(1);
          if (!relations.containsKey(table)) {
            return;
          }
          Map<String, Object> attributes = new TreeMap<>();
          String identity = rs.getString(8);
          put(
              attributes,
              "identity",
              "a".equals(identity) ? "always" : "d".equals(identity) ? "by default" : null);
          columns
              .computeIfAbsent(table, t -> new ArrayList<>())
              .add(
                  new Collected.Column(
                      rs.getString(2),
                      rs.getInt(3),
                      rs.getString(4),
                      rs.getBoolean(5),
                      rs.getString(6),
                      blankToNull(rs.getString(7)),
                      attributes));
        });
    Indexes indexes = new Indexes();
    query(
        INDEXES,
        schema,
        rs -> {
          String table = rs.getString(1);
          if (relations.containsKey(table)) {
            indexes.add(
                table, rs.getString(2), rs.getBoolean(3), rs.getBoolean(4), rs.getString(5));
          }
        });
    List<Collected.Table> tables = new ArrayList<>();
    relations.forEach(
        (name, r) -> {
          Map<String, Object> attributes = new TreeMap<>(r.attributes());
          indexes.describe(name, attributes);
          tables.add(
              new Collected.Table(
                  name,
                  r.kind(),
                  r.comment(),
                  attributes,
                  r.stats(),
                  columns.getOrDefault(name, List.of())));
        });
    return new Collected.Database(schema, tables, List.of(), List.of());
  }
}

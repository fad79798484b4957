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
 * SQL Server: the schemas of the database the data source connects to, five statements per schema,
 * whatever the number of tables — tables, columns and key columns from the standard {@code
 * INFORMATION_SCHEMA} views, then the descriptions ({@code MS_Description}) and row counts, which
 * only {@code sys.*} has. The system schemas and the fixed database roles' schemas are left out.
 */
final class SqlServerReader extends MetadataReader.Jdbc {
  static final String SCHEMAS =
      "SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME NOT IN"
          + " ('INFORMATION_SCHEMA', 'sys', 'guest', 'db_owner', 'db_accessadmin',"
          + " 'db_securityadmin', 'db_ddladmin', 'db_backupoperator', 'db_datareader',"
          + " 'db_datawriter', 'db_denydatareader', 'db_denydatawriter')"
          + " ORDER BY SCHEMA_NAME";

  static final String TABLES =
      "SELECT TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ?";

  static final String COLUMNS =
      "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT,"
          + " CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION,"
          + " COLLATION_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ?"
          + " ORDER BY TABLE_NAME, ORDINAL_POSITION";

  /** Primary keys and unique constraints with their columns in key order. */
  static final String KEYS =
      "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, k.COLUMN_NAME"
          + " FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE k"
          + " JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS c"
          + " ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
          + " WHERE k.TABLE_SCHEMA = ? AND c.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE')"
          + " ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";

  /**
   * Descriptions of tables (minor_id 0) and columns, and each table's rows (heap or clustered index
   * partitions): from {@code sys.*}, joined on object ids.
   */
  static final String EXTRAS =
      "SELECT o.name, c.name, CAST(ep.[value] AS NVARCHAR(4000)),"
          + " (SELECT SUM(p.[rows]) FROM sys.partitions p"
          + " WHERE p.object_id = o.object_id AND p.index_id IN (0, 1))"
          + " FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id"
          + " LEFT JOIN sys.extended_properties ep ON ep.class = 1 AND ep.major_id = o.object_id"
          + " AND ep.name = 'MS_Description'"
          + " LEFT JOIN sys.columns c ON c.object_id = o.object_id AND c.column_id = ep.minor_id"
          + " WHERE s.name = ? AND o.type IN ('U', 'V')";

  SqlServerReader(Connection connection, int timeoutSeconds) {
    super(connection, timeoutSeconds);
  }

  @Override
  public List<String> databases() throws SQLException {
    return strings(SCHEMAS);
  }

  private record Relation(String kind, Map<String, Object> stats) {}

  @Override
  public Collected.Database read(String schema, ObjectFilter filter) throws SQLException {
    Map<String, Relation> relations = new LinkedHashMap<>();
    query(
        TABLES,
        schema,
        rs -> {
          String name = rs.getString(1);
          if (filter.covers(schema, name)) {
            String type = rs.getString(2);
            relations.put(
                name,
                new Relation(
                    type != null && type.contains("VIEW") ? "VIEW" : "TABLE", new TreeMap<>()));
          }
        });
    Map<String, List<Collected.Column>> columns = new HashMap<>();
    Map<String, Map<String, String>> columnComments = new HashMap<>();
    Map<String, String> tableComments = new HashMap<>();
    query(
        EXTRAS,
        schema,
        rs -> {
          String table = rs.getString(1);
          Relation r = relations.get(table);
          if (r == null) {
            return;
          }
          String column = rs.getString(2);
          String description = blankToNull(rs.getString(3));
          if (description != null) {
            if (column == null) {
              tableComments.put(table, description);
            } else {
              columnComments.computeIfAbsent(table, t -> new HashMap<>()).put(column, description);
            }
          }
          if (r.kind().equals("TABLE")) {
            put(r.stats(), "rowEstimate", longOrNull(rs, 4));
          }
        });
    query(
        COLUMNS,
        schema,
        rs -> {
          String table = rs.getString(1);
          if (!relations.containsKey(table)) {
            return;
          }
          String name = rs.getString(2);
          String type = rs.getString(4);
          Long length = longOrNull(rs, 7);
          Long precision = longOrNull(rs, 8);
          Long scale = longOrNull(rs, 9);
          Long fraction = longOrNull(rs, 10);
          Map<String, Object> attributes = new TreeMap<>();
          put(attributes, "length", length);
          put(attributes, "precision", precision);
          put(attributes, "scale", scale);
          put(attributes, "collation", rs.getString(11));
          columns
              .computeIfAbsent(table, t -> new ArrayList<>())
              .add(
                  new Collected.Column(
                      name,
                      rs.getInt(3),
                      nativeType(type, length, precision, scale, fraction),
                      "YES".equals(rs.getString(5)),
                      rs.getString(6),
                      columnComments.getOrDefault(table, Map.of()).get(name),
                      attributes));
        });
    Indexes keys = new Indexes();
    query(
        KEYS,
        schema,
        rs -> {
          String table = rs.getString(1);
          if (relations.containsKey(table)) {
            boolean primary = "PRIMARY KEY".equals(rs.getString(3));
            keys.add(table, rs.getString(2), true, primary, rs.getString(4));
          }
        });
    List<Collected.Table> tables = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    List<Collected.Problem> problems = new ArrayList<>();
    relations.forEach(
        (name, r) -> {
          List<Collected.Column> cols = columns.get(name);
          if (cols == null || cols.isEmpty()) {
            unreadable.add(name);
            problems.add(
                new Collected.Problem(
                    schema + "." + name, CatalogErrors.UNREADABLE, "no columns could be read"));
            return;
          }
          Map<String, Object> attributes = new TreeMap<>();
          keys.describe(name, attributes);
          tables.add(
              new Collected.Table(
                  name, r.kind(), tableComments.get(name), attributes, r.stats(), cols));
        });
    return new Collected.Database(schema, tables, unreadable, problems);
  }

  /**
   * The type as SQL Server's DDL writes it: {@code nvarchar(40)}, {@code varchar(max)}, {@code
   * decimal(12,2)}, {@code datetime2(3)}; other types bare.
   */
  static String nativeType(String type, Long length, Long precision, Long scale, Long fraction) {
    if (type == null) {
      return null;
    }
    String t = type.toLowerCase(java.util.Locale.ROOT);
    return switch (t) {
      case "varchar", "nvarchar", "char", "nchar", "varbinary", "binary" ->
          length == null ? t : t + "(" + (length == -1 ? "max" : length) + ")";
      case "decimal", "numeric" ->
          precision == null ? t : t + "(" + precision + "," + (scale == null ? 0 : scale) + ")";
      case "datetime2", "datetimeoffset", "time" -> fraction == null ? t : t + "(" + fraction + ")";
      default -> t;
    };
  }
}

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
 * MySQL and MariaDB: three statements per database on {@code information_schema} (tables, columns,
 * index columns), whatever the number of tables. A table or view that lists no columns (a view
 * whose tables or definer are gone) is unreadable: logged, and its catalog entry kept.
 */
final class MySqlReader extends MetadataReader.Jdbc {
  private static final String TABLES =
      "SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH,"
          + " TABLE_COLLATION, TABLE_COMMENT, CREATE_TIME, UPDATE_TIME, CREATE_OPTIONS"
          + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?";
  private static final String COLUMNS =
      "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT,"
          + " COLUMN_KEY, EXTRA, COLUMN_COMMENT, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION,"
          + " NUMERIC_SCALE, CHARACTER_SET_NAME, COLLATION_NAME"
          + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
          + " ORDER BY TABLE_NAME, ORDINAL_POSITION";
  private static final String INDEXES =
      "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME"
          + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
          + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

  MySqlReader(Connection connection, int timeoutSeconds) {
    super(connection, timeoutSeconds);
  }

  @Override
  public List<String> databases() throws SQLException {
    return strings(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN"
            + " ('information_schema', 'mysql', 'performance_schema', 'sys')");
  }

  private record TableRow(
      String kind,
      String comment,
      Map<String, Object> attributes,
      Map<String, Object> stats,
      String rawComment) {}

  @Override
  public Collected.Database read(String database, ObjectFilter filter) throws SQLException {
    Map<String, TableRow> tables = new LinkedHashMap<>();
    query(
        TABLES,
        database,
        rs -> {
          String name = rs.getString(1);
          if (!filter.covers(database, name)) {
            return;
          }
          String type = rs.getString(2);
          String kind = type != null && type.contains("VIEW") ? "VIEW" : "TABLE";
          String comment = rs.getString(8);
          Map<String, Object> attributes = new TreeMap<>();
          put(attributes, "engine", rs.getString(3));
          put(attributes, "collation", rs.getString(7));
          put(attributes, "createOptions", blankToNull(rs.getString(11)));
          put(attributes, "createTime", textOf(rs.getTimestamp(9)));
          Map<String, Object> stats = new TreeMap<>();
          put(stats, "rowEstimate", longOrNull(rs, 4));
          put(stats, "dataBytes", longOrNull(rs, 5));
          put(stats, "indexBytes", longOrNull(rs, 6));
          put(stats, "updateTime", textOf(rs.getTimestamp(10)));
          // A view's comment is the word VIEW, or the error that makes it unreadable.
          tables.put(
              name,
              new TableRow(
                  kind,
                  kind.equals("VIEW") ? null : blankToNull(comment),
                  attributes,
                  stats,
                  comment));
        });
    Map<String, List<Collected.Column>> columns = new HashMap<>();
    query(
        COLUMNS,
        database,
        rs -> {
          String table = rs.getString(1);
          if (!tables.containsKey(table)) {
            return;
          }
          Map<String, Object> attributes = new TreeMap<>();
          put(attributes, "key", blankToNull(rs.getString(7)));
          put(attributes, "extra", blankToNull(rs.getString(8)));
          put(attributes, "length", longOrNull(rs, 10));
          put(attributes, "precision", longOrNull(rs, 11));
          put(attributes, "scale", longOrNull(rs, 12));
          put(attributes, "charset", rs.getString(13));
          put(attributes, "collation", rs.getString(14));
          columns
              .computeIfAbsent(table, t -> new ArrayList<>())
              .add(
                  new Collected.Column(
                      rs.getString(2),
                      rs.getInt(3),
                      rs.getString(4),
                      "YES".equals(rs.getString(5)),
                      rs.getString(6),
                      blankToNull(rs.getString(9)),
                      attributes));
        });
    Indexes indexes = new Indexes();
    query(
        INDEXES,
        database,
        rs -> {
          String table = rs.getString(1);
          if (tables.containsKey(table)) {
            String index = rs.getString(2);
            indexes.add(table, index, rs.getInt(3) == 0, index.equals("PRIMARY"), rs.getString(4));
          }
        });
    List<Collected.Table> read = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    List<Collected.Problem> problems = new ArrayList<>();
    tables.forEach(
        (name, row) -> {
          List<Collected.Column> cols = columns.get(name);
          if (cols == null || cols.isEmpty()) {
            unreadable.add(name);
            String why = blankToNull(row.rawComment());
            problems.add(
                new Collected.Problem(
                    database + "." + name,
                    CatalogErrors.UNREADABLE,
                    "no columns could be read"
                        + (why == null || why.equals("VIEW") ? "" : ": " + why)));
            return;
          }
          Map<String, Object> attributes = new TreeMap<>(row.attributes());
          indexes.describe(name, attributes);
          read.add(
              new Collected.Table(name, row.kind(), row.comment(), attributes, row.stats(), cols));
        });
    return new Collected.Database(database, read, unreadable, problems);
  }
}

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
 * Oracle: the schemas (owners) the data source's user can see, four statements per owner on the
 * {@code ALL_*} dictionary views (tables, views, columns, index columns), whatever the number of
 * tables. Oracle-maintained users (SYS, SYSTEM, ...) are left out.
 */
final class OracleReader extends MetadataReader.Jdbc {
  static final String OWNERS =
      "SELECT USERNAME FROM ALL_USERS WHERE ORACLE_MAINTAINED = 'N' ORDER BY USERNAME";

  static final String TABLES =
      "SELECT t.TABLE_NAME, t.TABLESPACE_NAME, t.PARTITIONED, t.TEMPORARY, t.IOT_TYPE,"
          + " t.NUM_ROWS, t.BLOCKS, t.AVG_ROW_LEN, t.LAST_ANALYZED, c.COMMENTS"
          + " FROM ALL_TABLES t LEFT JOIN ALL_TAB_COMMENTS c"
          + " ON c.OWNER = t.OWNER AND c.TABLE_NAME = t.TABLE_NAME"
          + " WHERE t.OWNER = ? AND t.NESTED = 'NO' AND t.SECONDARY = 'N'";

  static final String VIEWS =
      "SELECT v.VIEW_NAME, c.COMMENTS FROM ALL_VIEWS v LEFT JOIN ALL_TAB_COMMENTS c"
          + " ON c.OWNER = v.OWNER AND c.TABLE_NAME = v.VIEW_NAME WHERE v.OWNER = ?";

  /** DATA_DEFAULT is a LONG: read in its column order, as the driver streams it. */
  static final String COLUMNS =
      "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_ID, c.DATA_TYPE, c.DATA_LENGTH,"
          + " c.DATA_PRECISION, c.DATA_SCALE, c.NULLABLE, c.CHAR_LENGTH, c.CHAR_USED,"
          + " c.DATA_DEFAULT, m.COMMENTS"
          + " FROM ALL_TAB_COLUMNS c LEFT JOIN ALL_COL_COMMENTS m"
          + " ON m.OWNER = c.OWNER AND m.TABLE_NAME = c.TABLE_NAME AND m.COLUMN_NAME = c.COLUMN_NAME"
          + " WHERE c.OWNER = ? ORDER BY c.TABLE_NAME, c.COLUMN_ID";

  static final String INDEXES =
      "SELECT i.TABLE_NAME, i.INDEX_NAME, i.UNIQUENESS, k.CONSTRAINT_TYPE, ic.COLUMN_NAME"
          + " FROM ALL_INDEXES i JOIN ALL_IND_COLUMNS ic"
          + " ON ic.INDEX_OWNER = i.OWNER AND ic.INDEX_NAME = i.INDEX_NAME"
          + " LEFT JOIN ALL_CONSTRAINTS k ON k.OWNER = i.TABLE_OWNER"
          + " AND k.INDEX_NAME = i.INDEX_NAME AND k.CONSTRAINT_TYPE = 'P'"
          + " WHERE i.TABLE_OWNER = ? ORDER BY i.TABLE_NAME, i.INDEX_NAME, ic.COLUMN_POSITION";

  OracleReader(Connection connection, int timeoutSeconds) {
    super(connection, timeoutSeconds);
  }

  @Override
  public List<String> databases() throws SQLException {
    return strings(OWNERS);
  }

  private record Relation(
      String kind, String comment, Map<String, Object> attributes, Map<String, Object> stats) {}

  @Override
  public Collected.Database read(String owner, ObjectFilter filter) throws SQLException {
    Map<String, Relation> relations = new LinkedHashMap<>();
    query(
        TABLES,
        owner,
        rs -> {
          String name = rs.getString(1);
          if (!filter.covers(owner, name)) {
            return;
          }
          Map<String, Object> attributes = new TreeMap<>();
          put(attributes, "tablespace", rs.getString(2));
          put(attributes, "partitioned", "YES".equals(trim(rs.getString(3))) ? true : null);
          put(attributes, "temporary", "Y".equals(trim(rs.getString(4))) ? true : null);
          put(attributes, "organization", rs.getString(5) == null ? "heap" : "index");
          Map<String, Object> stats = new TreeMap<>();
          put(stats, "rowEstimate", longOrNull(rs, 6));
          put(stats, "blocks", longOrNull(rs, 7));
          put(stats, "averageRowBytes", longOrNull(rs, 8));
          put(stats, "lastAnalyzed", textOf(rs.getTimestamp(9)));
          relations.put(
              name, new Relation("TABLE", blankToNull(rs.getString(10)), attributes, stats));
        });
    query(
        VIEWS,
        owner,
        rs -> {
          String name = rs.getString(1);
          if (filter.covers(owner, name)) {
            relations.put(
                name,
                new Relation("VIEW", blankToNull(rs.getString(2)), new TreeMap<>(), Map.of()));
          }
        });
    Map<String, List<Collected.Column>> columns = new HashMap<>();
    query(
        COLUMNS,
        owner,
        rs -> {
          String table = rs.getString(1);
          if (!relations.containsKey(table)) {
            return;
          }
          String type = rs.getString(4);
          Long length = longOrNull(rs, 5);
          Long precision = longOrNull(rs, 6);
          Long scale = longOrNull(rs, 7);
          boolean nullable = !"N".equals(trim(rs.getString(8)));
          Long chars = longOrNull(rs, 9);
          String charUsed = trim(rs.getString(10));
          String defaultValue = rs.getString(11);
          String comment = rs.getString(12);
          Map<String, Object> attributes = new TreeMap<>();
          put(attributes, "length", length);
          put(attributes, "precision", precision);
          put(attributes, "scale", scale);
          columns
              .computeIfAbsent(table, t -> new ArrayList<>())
              .add(
                  new Collected.Column(
                      rs.getString(2),
                      rs.getInt(3),
                      nativeType(type, precision, scale, chars, charUsed),
                      nullable,
                      defaultValue == null ? null : blankToNull(defaultValue.trim()),
                      blankToNull(comment),
                      attributes));
        });
    Indexes indexes = new Indexes();
    query(
        INDEXES,
        owner,
        rs -> {
          String table = rs.getString(1);
          if (relations.containsKey(table)) {
            indexes.add(
                table,
                rs.getString(2),
                "UNIQUE".equals(rs.getString(3)),
                "P".equals(rs.getString(4)),
                rs.getString(5));
          }
        });
    List<Collected.Table> tables = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    List<Collected.Problem> problems = new ArrayList<>();
    relations.forEach(
        (name, r) -> {
          List<Collected.Column> cols = columns.get(name);
          if (cols == null || cols.isEmpty()) {
            // An invalid view lists no columns: logged, its catalog entry kept.
            unreadable.add(name);
            problems.add(
                new Collected.Problem(
                    owner + "." + name, CatalogErrors.UNREADABLE, "no columns could be read"));
            return;
          }
          Map<String, Object> attributes = new TreeMap<>(r.attributes());
          indexes.describe(name, attributes);
          tables.add(new Collected.Table(name, r.kind(), r.comment(), attributes, r.stats(), cols));
        });
    return new Collected.Database(owner, tables, unreadable, problems);
  }

  /**
   * The type as Oracle's DDL writes it: {@code VARCHAR2(40 CHAR)}, {@code NUMBER(12,2)}, {@code
   * NUMBER}, {@code DATE}, {@code TIMESTAMP(6)} (the dictionary's own name carries the fraction).
   */
  static String nativeType(String type, Long precision, Long scale, Long chars, String charUsed) {
    if (type == null) {
      return null;
    }
    switch (type) {
      case "VARCHAR2", "NVARCHAR2", "CHAR", "NCHAR", "VARCHAR" -> {
        if (chars == null) {
          return type;
        }
        boolean national = type.startsWith("N");
        return type
            + "("
            + chars
            + (!national && "C".equals(charUsed)
                ? " CHAR"
                : !national && "B".equals(charUsed) ? " BYTE" : "")
            + ")";
      }
      case "NUMBER" -> {
        if (precision == null) {
          return scale != null && scale == 0 ? "INTEGER" : "NUMBER";
        }
        return scale == null || scale == 0
            ? "NUMBER(" + precision + ")"
            : "NUMBER(" + precision + "," + scale + ")";
      }
      case "FLOAT" -> {
        return precision == null ? "FLOAT" : "FLOAT(" + precision + ")";
      }
      default -> {
        return type;
      }
    }
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }
}

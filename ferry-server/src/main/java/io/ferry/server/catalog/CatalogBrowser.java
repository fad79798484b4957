package io.ferry.server.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.Page;
import io.ferry.server.shared.SqlText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Reads the collected catalog: source → database → table, a table with its columns and history, and
 * search by name or comment. Names are compared exactly here (case-sensitively), whatever the
 * collation of the metadata store.
 */
@Service
public class CatalogBrowser {
  private final JdbcClient db;
  private final AuditLog audit;
  private final CustomAttributes custom;
  private final TaskUses taskUses;
  private final DataSourceService dataSources;

  public CatalogBrowser(
      JdbcClient db,
      AuditLog audit,
      CustomAttributes custom,
      TaskUses taskUses,
      DataSourceService dataSources) {
    this.db = db;
    this.audit = audit;
    this.custom = custom;
    this.taskUses = taskUses;
    this.dataSources = dataSources;
  }

  public record Source(long dataSourceId, String dataSource, String connector, int tables) {}

  public record Database(String name, int tables) {}

  public record TableSummary(
      long id,
      long dataSourceId,
      String database,
      String name,
      String kind,
      String comment,
      int version,
      Long addedBy,
      Long changedBy,
      Long removedBy,
      Instant updatedAt) {}

  public record ColumnView(
      long id,
      String name,
      int ordinal,
      String nativeType,
      boolean nullable,
      String defaultValue,
      String comment,
      Map<String, Object> attributes,
      long addedBy,
      Long changedBy,
      Long removedBy) {}

  public record HistoryEntry(
      int version, long instanceId, String change, Map<String, Object> detail, Instant at) {}

  /**
   * @param common the attributes people edit (collections never change them)
   * @param technical the attributes of the meta-model read from the store
   * @param stats the attributes that move with the data (row estimate, sizes)
   * @param columns current columns, and removed ones last
   * @param tasks the sync tasks that read or write the table
   */
  public record TableView(
      TableSummary table,
      String dataSource,
      String model,
      Common common,
      List<CustomAttributes.Definition> customAttributes,
      Map<String, Object> custom,
      Map<String, Object> technical,
      Map<String, Object> stats,
      List<ColumnView> columns,
      List<HistoryEntry> history,
      List<TaskUses.TaskUse> tasks) {}

  /**
   * A table's common attributes (the same for every meta-model), edited by people and kept across
   * collections.
   */
  public record Common(
      String owner, String description, List<String> tags, String classification) {}

  public record ColumnHit(
      long tableId,
      String dataSource,
      String database,
      String table,
      String column,
      String nativeType,
      String comment) {}

  /** Search results: tables and columns that contain the text. */
  public record SearchResult(Page<TableSummary> tables, Page<ColumnHit> columns) {}

  public List<Source> sources() {
    return db.sql(
            "SELECT t.datasource_id, d.alias, d.connector, COUNT(*) FROM ferry_catalog_table t"
                + " LEFT JOIN ferry_datasource d ON d.id = t.datasource_id"
                + " WHERE t.removed_by IS NULL GROUP BY t.datasource_id, d.alias, d.connector"
                + " ORDER BY d.alias")
        .query((rs, i) -> new Source(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)))
        .list();
  }

  public List<Database> databases(long dataSourceId) {
    Map<String, Integer> counts = new TreeMap<>();
    db.sql("SELECT db_name FROM ferry_catalog_table WHERE datasource_id = ? AND removed_by IS NULL")
        .param(dataSourceId)
        .query(
            rs -> {
              counts.merge(rs.getString(1), 1, Integer::sum);
            });
    return counts.entrySet().stream().map(e -> new Database(e.getKey(), e.getValue())).toList();
  }

  private static final String SUMMARY =
      "id, datasource_id, db_name, table_name, kind, table_comment, version, added_by,"
          + " changed_by, removed_by, updated_at";

  private static TableSummary summary(ResultSet rs, int i) throws SQLException {
    return new TableSummary(
        rs.getLong(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getInt(7),
        rs.getLong(8),
        (Long) rs.getObject(9, Long.class),
        (Long) rs.getObject(10, Long.class),
        rs.getTimestamp(11).toInstant());
  }

  /**
   * @param includeRemoved whether tables a collection no longer found are listed too
   */
  public List<TableSummary> tables(long dataSourceId, String database, boolean includeRemoved) {
    return db
        .sql(
            "SELECT "
                + SUMMARY
                + " FROM ferry_catalog_table WHERE datasource_id = ? AND db_name = ?"
                + (includeRemoved ? "" : " AND removed_by IS NULL")
                + " ORDER BY table_name")
        .params(dataSourceId, database)
        .query(CatalogBrowser::summary)
        .list()
        .stream()
        .filter(t -> t.database().equals(database))
        .toList();
  }

  public TableView table(long id) {
    TableSummary summary =
        db.sql("SELECT " + SUMMARY + " FROM ferry_catalog_table WHERE id = ?")
            .param(id)
            .query(CatalogBrowser::summary)
            .optional()
            .orElseThrow(() -> DomainException.notFound("catalog table", id));
    String[] texts =
        db.sql(
                "SELECT t.attributes, t.stats, d.alias, t.owner_name, t.description, t.tags,"
                    + " t.classification, d.connector, t.custom_values FROM ferry_catalog_table t"
                    + " LEFT JOIN ferry_datasource d ON d.id = t.datasource_id WHERE t.id = ?")
            .param(id)
            .query(
                (rs, i) -> {
                  String[] row = new String[9];
                  for (int c = 0; c < row.length; c++) {
                    row[c] = rs.getString(c + 1);
                  }
                  return row;
                })
            .single();
    Common common =
        new Common(
            texts[3],
            texts[4],
            texts[5] == null ? List.of() : List.of(texts[5].split(",")),
            texts[6]);
    List<ColumnView> columns =
        db.sql(
                "SELECT id, column_name, ordinal, native_type, nullable, default_value,"
                    + " column_comment, attributes, added_by, changed_by, removed_by"
                    + " FROM ferry_catalog_column WHERE table_id = ?")
            .param(id)
            .query(
                (rs, i) ->
                    new ColumnView(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getInt(3),
                        rs.getString(4),
                        rs.getBoolean(5),
                        rs.getString(6),
                        rs.getString(7),
                        map(rs.getString(8)),
                        rs.getLong(9),
                        (Long) rs.getObject(10, Long.class),
                        (Long) rs.getObject(11, Long.class)))
            .list();
    List<ColumnView> ordered = new ArrayList<>(columns);
    ordered.sort(
        java.util.Comparator.comparing((ColumnView c) -> c.removedBy() != null)
            .thenComparingInt(ColumnView::ordinal));
    List<HistoryEntry> history =
        db.sql(
                "SELECT version, instance_id, change_kind, detail, logged_at FROM"
                    + " ferry_catalog_history WHERE table_id = ? ORDER BY version")
            .param(id)
            .query(
                (rs, i) ->
                    new HistoryEntry(
                        rs.getInt(1),
                        rs.getLong(2),
                        rs.getString(3),
                        map(rs.getString(4)),
                        rs.getTimestamp(5).toInstant()))
            .list();
    String model = MetaModels.forConnector(texts[7] == null ? "" : texts[7]).id();
    List<CustomAttributes.Definition> definitions = custom.list(model);
    return new TableView(
        summary,
        texts[2],
        model,
        common,
        definitions,
        custom.values(definitions, texts[8]),
        map(texts[0]),
        map(texts[1]),
        ordered,
        history,
        tasks(summary, texts[2], texts[7]));
  }

  private List<TaskUses.TaskUse> tasks(TableSummary table, String alias, String connector) {
    if (alias == null) {
      return List.of(); // its data source is gone
    }
    Map<String, Object> options;
    try {
      options = dataSources.get(table.dataSourceId()).options();
    } catch (DomainException.NotFound gone) {
      return List.of();
    }
    return taskUses.of(alias, connector, options, table.database(), table.name());
  }

  /**
   * A column of a collected table as the task wizard maps it.
   *
   * @param type Ferry's type where the catalog has it (tables read through a connector's catalog),
   *     the native type otherwise
   */
  public record FieldView(
      String name, String nativeType, String type, boolean nullable, String comment) {}

  /**
   * A current collected table as the task wizard's field mapping reads it, in the shape of a live
   * browse's table (schema, name, columns, primaryKey, rowEstimate, comment), with where it came
   * from.
   *
   * @param version the table's catalog version
   * @param collectedAt when the last collection of its data source that read it ended (SUCCEEDED or
   *     PARTIAL)
   */
  public record CollectedTable(
      long tableId,
      String schema,
      String name,
      List<FieldView> columns,
      List<String> primaryKey,
      Long rowEstimate,
      String comment,
      int version,
      Instant collectedAt) {}

  /**
   * The current collected table {@code database.table} of a data source, names compared exactly.
   *
   * @return empty when it was not collected, or a collection no longer found it
   */
  public java.util.Optional<CollectedTable> collected(
      long dataSourceId, String database, String table) {
    String db0 = database == null ? "" : database;
    TableSummary summary =
        db
            .sql(
                "SELECT "
                    + SUMMARY
                    + " FROM ferry_catalog_table WHERE datasource_id = ? AND db_name = ? AND"
                    + " table_name = ? AND removed_by IS NULL")
            .params(dataSourceId, db0, table)
            .query(CatalogBrowser::summary)
            .list()
            .stream()
            .filter(t -> t.database().equals(db0) && t.name().equals(table))
            .findFirst()
            .orElse(null);
    if (summary == null) {
      return java.util.Optional.empty();
    }
    TableView view = table(summary.id());
    List<FieldView> fields =
        view.columns().stream()
            .filter(c -> c.removedBy() == null)
            .map(
                c ->
                    new FieldView(
                        c.name(),
                        c.nativeType(),
                        c.attributes() != null
                                && c.attributes().get("ferryType") instanceof String f
                            ? f
                            : c.nativeType(),
                        c.nullable(),
                        c.comment()))
            .toList();
    List<String> primaryKey = new ArrayList<>();
    if (view.technical() != null && view.technical().get("primaryKey") instanceof List<?> key) {
      key.forEach(k -> primaryKey.add(String.valueOf(k)));
    }
    Long rows =
        view.stats() != null && view.stats().get("rowEstimate") instanceof Number n
            ? n.longValue()
            : null;
    Instant collectedAt =
        db
            .sql(
                "SELECT MAX(i.ended_at) FROM ferry_catalog_instance i JOIN ferry_catalog_task t"
                    + " ON t.id = i.task_id WHERE t.datasource_id = ? AND i.state IN"
                    + " ('SUCCEEDED', 'PARTIAL')")
            .param(dataSourceId)
            .query((rs, i) -> rs.getTimestamp(1))
            .list()
            .stream()
            .filter(java.util.Objects::nonNull)
            .map(java.sql.Timestamp::toInstant)
            .findFirst()
            .orElse(summary.updatedAt());
    return java.util.Optional.of(
        new CollectedTable(
            summary.id(),
            summary.database(),
            summary.name(),
            fields,
            primaryKey,
            rows,
            summary.comment(),
            summary.version(),
            collectedAt));
  }

  /**
   * Sets a table's custom attributes (all of them: what is left out is cleared), each checked
   * against its meta-model's definition.
   */
  public TableView setCustom(long id, Map<String, Object> values) {
    TableView current = table(id);
    custom.set(id, current.model(), values);
    return table(id);
  }

  /**
   * Current tables whose name, comment, tags or description contain {@code q}, and columns whose
   * name or comment do, ignoring case.
   */
  public SearchResult search(String q, int page, int size) {
    if (q == null || q.isBlank()) {
      throw DomainException.invalid("q", "the text to search for is required");
    }
    String like = "%" + escape(q.trim().toLowerCase(Locale.ROOT)) + "%";
    Page<TableSummary> tables =
        Page.query(
            db,
            SUMMARY,
            "ferry_catalog_table",
            new Page.Where()
                .and("removed_by IS NULL")
                .and(
                    "(LOWER(table_name) LIKE ? ESCAPE '!' OR LOWER(table_comment) LIKE ? ESCAPE"
                        + " '!' OR LOWER(tags) LIKE ? ESCAPE '!' OR LOWER(description) LIKE ?"
                        + " ESCAPE '!')",
                    like,
                    like,
                    like,
                    like),
            "table_name, id",
            page,
            size,
            CatalogBrowser::summary);
    Page<ColumnHit> columns =
        Page.query(
            db,
            "t.id, d.alias, t.db_name, t.table_name, c.column_name, c.native_type,"
                + " c.column_comment",
            "ferry_catalog_column c JOIN ferry_catalog_table t ON t.id = c.table_id"
                + " LEFT JOIN ferry_datasource d ON d.id = t.datasource_id",
            new Page.Where()
                .and("c.removed_by IS NULL AND t.removed_by IS NULL")
                .and(
                    "(LOWER(c.column_name) LIKE ? ESCAPE '!' OR LOWER(c.column_comment) LIKE ?"
                        + " ESCAPE '!')",
                    like,
                    like),
            "c.column_name, c.id",
            page,
            size,
            (rs, i) ->
                new ColumnHit(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7)));
    return new SearchResult(tables, columns);
  }

  /**
   * Sets a table's common attributes (all four: what is left out is cleared). A collection never
   * changes them.
   */
  public TableView setCommon(long id, Common common) {
    table(id);
    List<DomainException.FieldProblem> problems = new ArrayList<>();
    check(problems, "owner", common.owner(), 200);
    check(problems, "description", common.description(), 2000);
    check(problems, "classification", common.classification(), 100);
    List<String> tags = common.tags() == null ? List.of() : common.tags();
    List<String> kept = new ArrayList<>();
    for (String tag : tags) {
      String t = tag == null ? "" : tag.trim();
      if (t.isEmpty() || t.contains(",") || t.length() > 50) {
        problems.add(
            new DomainException.FieldProblem(
                "tags", "each tag 1 to 50 characters without a comma, was '" + tag + "'"));
      } else if (!kept.contains(t)) {
        kept.add(t);
      }
    }
    if (kept.size() > 20) {
      problems.add(new DomainException.FieldProblem("tags", "at most 20 tags"));
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    db.sql(
            "UPDATE ferry_catalog_table SET owner_name = ?, description = ?, tags = ?,"
                + " classification = ? WHERE id = ?")
        .params(
            SqlText.orNull(blank(common.owner())),
            SqlText.orNull(blank(common.description())),
            SqlText.orNull(kept.isEmpty() ? null : String.join(",", kept)),
            SqlText.orNull(blank(common.classification())),
            id)
        .update();
    audit.record("catalog-table-common", "catalog-table", id, null);
    return table(id);
  }

  private static void check(
      List<DomainException.FieldProblem> problems, String field, String value, int max) {
    if (value != null && value.length() > max) {
      problems.add(new DomainException.FieldProblem(field, "at most " + max + " characters"));
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String escape(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(String json) {
    if (json == null) {
      return null;
    }
    try {
      return CatalogStore.JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      return Map.of("unreadable", json);
    }
  }
}

package io.ferry.server.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ferry.server.shared.SqlText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes what a collection read into the versioned catalog. An unchanged table costs a comparison
 * of digests and no write (its statistics excepted, refreshed in place when they moved); a changed
 * one gets a new version, its columns' rows marked with the instance that added, changed or removed
 * them, and a history row saying what changed. Names are matched exactly (case-sensitively) in
 * Java. Removals are not written here as they are found: the collection gathers them and removes
 * them last ({@link #remove}), only after every database was read.
 */
@Component
class CatalogStore {
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private final JdbcClient db;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;

  CatalogStore(JdbcClient db, JdbcTemplate jdbc, TransactionTemplate tx) {
    this.db = db;
    this.jdbc = jdbc;
    this.tx = tx;
  }

  /** What a run changed, as the instance counts it. */
  static final class Tally {
    int tablesAdded;
    int tablesChanged;
    int tablesRemoved;
    int columnsAdded;
    int columnsChanged;
    int columnsRemoved;
  }

  private record StoredTable(
      long id,
      String database,
      String name,
      String attributes,
      String comment,
      String kind,
      String stats,
      String fingerprint,
      int version,
      boolean removed) {}

  private record StoredColumn(long id, String name, String signature, boolean removed) {}

  /**
   * Writes one database as read, in one transaction.
   *
   * @param removals gets the ids of the database's current tables the read no longer found (and the
   *     filter covers; unreadable ones are kept)
   */
  void apply(
      long dataSourceId,
      long instanceId,
      Collected.Database read,
      ObjectFilter filter,
      Tally tally,
      List<Long> removals) {
    tx.executeWithoutResult(
        status -> {
          Map<String, StoredTable> stored = new HashMap<>();
          for (StoredTable t : storedTables(dataSourceId, read.name())) {
            stored.put(t.name(), t);
          }
          Timestamp now = Timestamp.from(Instant.now());
          Set<String> seen = new java.util.HashSet<>(read.unreadable());
          List<NewTable> fresh = new ArrayList<>();
          List<Object[]> statsMoved = new ArrayList<>();
          for (Collected.Table table : read.tables()) {
            seen.add(table.name());
            StoredTable old = stored.get(table.name());
            String attributes = json(table.attributes());
            String fingerprint = fingerprint(table, attributes);
            String stats = json(table.stats());
            if (old == null) {
              fresh.add(new NewTable(table, attributes, stats, fingerprint));
              tally.tablesAdded++;
              tally.columnsAdded += table.columns().size();
            } else if (!old.removed() && old.fingerprint().equals(fingerprint)) {
              if (!Objects.equals(old.stats(), stats)) {
                statsMoved.add(new Object[] {stats, old.id()});
              }
            } else {
              change(old, instanceId, table, attributes, stats, fingerprint, now, tally);
            }
          }
          add(dataSourceId, instanceId, read.name(), fresh, now);
          if (!statsMoved.isEmpty()) {
            jdbc.batchUpdate(
                "UPDATE ferry_catalog_table SET stats = ? WHERE id = ?",
                statsMoved,
                new int[] {java.sql.Types.VARCHAR, java.sql.Types.BIGINT});
          }
          for (StoredTable t : stored.values()) {
            if (!t.removed() && !seen.contains(t.name()) && filter.covers(t.database(), t.name())) {
              removals.add(t.id());
            }
          }
        });
  }

  /** The current tables of databases the store no longer lists (and the filter covers). */
  List<Long> inVanishedDatabases(long dataSourceId, Set<String> listed, ObjectFilter filter) {
    List<Long> ids = new ArrayList<>();
    db.sql(
            "SELECT id, db_name, table_name FROM ferry_catalog_table"
                + " WHERE datasource_id = ? AND removed_by IS NULL")
        .param(dataSourceId)
        .query(
            rs -> {
              String database = rs.getString(2);
              if (!listed.contains(database) && filter.covers(database, rs.getString(3))) {
                ids.add(rs.getLong(1));
              }
            });
    return ids;
  }

  /** The current tables of a data source the filter does not cover. */
  List<Long> uncovered(long dataSourceId, ObjectFilter filter) {
    List<Long> ids = new ArrayList<>();
    db.sql(
            "SELECT id, db_name, table_name FROM ferry_catalog_table"
                + " WHERE datasource_id = ? AND removed_by IS NULL")
        .param(dataSourceId)
        .query(
            rs -> {
              if (!filter.covers(rs.getString(2), rs.getString(3))) {
                ids.add(rs.getLong(1));
              }
            });
    return ids;
  }

  int currentTables(long dataSourceId) {
    return db.sql(
            "SELECT COUNT(*) FROM ferry_catalog_table WHERE datasource_id = ? AND removed_by IS"
                + " NULL")
        .param(dataSourceId)
        .query(Integer.class)
        .single();
  }

  /** Marks tables removed by the instance, with a history row each, in one transaction. */
  void remove(List<Long> ids, long instanceId, Tally tally) {
    if (ids.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(Instant.now());
    tx.executeWithoutResult(
        status -> {
          for (long id : ids) {
            int version =
                db.sql("SELECT version FROM ferry_catalog_table WHERE id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single()
                    + 1;
            db.sql(
                    "UPDATE ferry_catalog_table SET removed_by = ?, version = ?, updated_at = ?"
                        + " WHERE id = ?")
                .params(instanceId, version, now, id)
                .update();
            history(id, version, instanceId, "REMOVED", null, now);
            tally.tablesRemoved++;
          }
        });
  }

  private List<StoredTable> storedTables(long dataSourceId, String database) {
    return db
        .sql(
            "SELECT id, db_name, table_name, attributes, table_comment, kind, stats, fingerprint,"
                + " version, removed_by FROM ferry_catalog_table"
                + " WHERE datasource_id = ? AND db_name = ?")
        .params(dataSourceId, database)
        .query(
            (rs, i) ->
                new StoredTable(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8),
                    rs.getInt(9),
                    rs.getObject(10) != null))
        .list()
        .stream()
        // The store's collation may match names that differ in case: only the exact one counts.
        .filter(t -> t.database().equals(database))
        .toList();
  }

  /** A table a run found for the first time, with what it is stored by. */
  private record NewTable(
      Collected.Table table, String attributes, String stats, String fingerprint) {}

  /**
   * Inserts the tables a database's read found for the first time, their columns and their ADDED
   * history rows in three batches, whatever their number (a first collection of 10,000 tables is
   * three batched statements, not 30,000 round trips).
   */
  private void add(
      long dataSourceId, long instanceId, String database, List<NewTable> fresh, Timestamp now) {
    if (fresh.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>(fresh.size());
    for (NewTable t : fresh) {
      rows.add(
          new Object[] {
            dataSourceId,
            database,
            t.table().name(),
            t.table().kind(),
            clip(t.table().comment()),
            t.attributes(),
            t.stats(),
            t.fingerprint(),
            instanceId,
            now
          });
    }
    insertRows(
        "INSERT INTO ferry_catalog_table (datasource_id, db_name, table_name, kind,"
            + " table_comment, attributes, stats, fingerprint, version, added_by, updated_at)"
            + " VALUES ",
        "(?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
        rows,
        new int[] {
          java.sql.Types.BIGINT,
          java.sql.Types.VARCHAR,
          java.sql.Types.VARCHAR,
          java.sql.Types.VARCHAR,
          java.sql.Types.VARCHAR,
          java.sql.Types.VARCHAR,
          java.sql.Types.VARCHAR,
          java.sql.Types.VARCHAR,
          java.sql.Types.BIGINT,
          java.sql.Types.TIMESTAMP
        });
    // Their ids: the rows this instance added in this database (a restored table is changed, not
    // added), names matched exactly.
    Map<String, Long> ids = new HashMap<>();
    db.sql(
            "SELECT id, db_name, table_name FROM ferry_catalog_table"
                + " WHERE datasource_id = ? AND db_name = ? AND added_by = ?")
        .params(dataSourceId, database, instanceId)
        .query(
            rs -> {
              if (rs.getString(2).equals(database)) {
                ids.put(rs.getString(3), rs.getLong(1));
              }
            });
    List<Object[]> columns = new ArrayList<>();
    List<Object[]> history = new ArrayList<>(fresh.size());
    for (NewTable t : fresh) {
      Long id = ids.get(t.table().name());
      if (id == null) {
        throw new IllegalStateException(
            "the table " + database + "." + t.table().name() + " was inserted but is not found");
      }
      columnRows(id, instanceId, t.table().columns(), columns);
      history.add(
          new Object[] {
            id,
            1,
            instanceId,
            "ADDED",
            json(
                Map.of(
                    "columns", t.table().columns().stream().map(Collected.Column::name).toList())),
            now
          });
    }
    insertColumns(columns);
    insertRows(
        "INSERT INTO ferry_catalog_history (table_id, version, instance_id, change_kind, detail,"
            + " logged_at) VALUES ",
        "(?, ?, ?, ?, ?, ?)",
        history,
        new int[] {
          java.sql.Types.BIGINT,
          java.sql.Types.INTEGER,
          java.sql.Types.BIGINT,
          java.sql.Types.VARCHAR,
          java.sql.Types.VARCHAR,
          java.sql.Types.TIMESTAMP
        });
  }

  private void insertColumns(long tableId, long instanceId, List<Collected.Column> columns) {
    List<Object[]> rows = new ArrayList<>();
    columnRows(tableId, instanceId, columns, rows);
    insertColumns(rows);
  }

  private static void columnRows(
      long tableId, long instanceId, List<Collected.Column> columns, List<Object[]> rows) {
    for (Collected.Column c : columns) {
      rows.add(
          new Object[] {
            tableId,
            c.name(),
            c.ordinal(),
            c.nativeType(),
            c.nullable(),
            clip(c.defaultValue()),
            clip(c.comment()),
            json(c.attributes()),
            instanceId
          });
    }
  }

  private void insertColumns(List<Object[]> rows) {
    if (rows.isEmpty()) {
      return;
    }
    insertRows(
        "INSERT INTO ferry_catalog_column (table_id, column_name, ordinal, native_type, nullable,"
            + " default_value, column_comment, attributes, added_by) VALUES ",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
        new int[] {
          java.sql.Types.BIGINT,
          java.sql.Types.VARCHAR,
          java.sql.Types.INTEGER,
          java.sql.Types.VARCHAR,
          java.sql.Types.BOOLEAN,
          java.sql.Types.VARCHAR,
          java.sql.Types.VARCHAR,
          java.sql.Types.VARCHAR,
          java.sql.Types.BIGINT
        });
  }

  /** Rows per multi-row INSERT: well under the 65,535 parameters a PostgreSQL statement takes. */
  static final int ROWS_PER_INSERT = 500;

  /**
   * Inserts rows with multi-row {@code INSERT ... VALUES (...), (...)} statements of {@link
   * #ROWS_PER_INSERT} rows each (one round trip per 500 rows, on every metadata store).
   *
   * @param head the statement up to and with {@code VALUES }
   * @param row one row's parenthesized placeholders
   * @param types the SQL type of each placeholder of a row
   */
  private void insertRows(String head, String row, List<Object[]> rows, int[] types) {
    for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
      List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT));
      StringBuilder sql = new StringBuilder(head.length() + chunk.size() * (row.length() + 2));
      sql.append(head);
      Object[] args = new Object[chunk.size() * types.length];
      int[] argTypes = new int[args.length];
      int a = 0;
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(row);
        Object[] values = chunk.get(i);
        for (int c = 0; c < types.length; c++) {
          args[a] = values[c];
          argTypes[a++] = types[c];
        }
      }
      jdbc.update(sql.toString(), args, argTypes);
    }
  }

  private void change(
      StoredTable old,
      long instanceId,
      Collected.Table table,
      String attributes,
      String stats,
      String fingerprint,
      Timestamp now,
      Tally tally) {
    Map<String, StoredColumn> stored = new LinkedHashMap<>();
    db.sql(
            "SELECT id, column_name, ordinal, native_type, nullable, default_value,"
                + " column_comment, attributes, removed_by FROM ferry_catalog_column"
                + " WHERE table_id = ?")
        .param(old.id())
        .query(
            rs -> {
              stored.put(
                  rs.getString(2),
                  new StoredColumn(
                      rs.getLong(1),
                      rs.getString(2),
                      signature(
                          rs.getInt(3),
                          rs.getString(4),
                          rs.getBoolean(5),
                          rs.getString(6),
                          rs.getString(7),
                          rs.getString(8)),
                      rs.getObject(9) != null));
            });
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<Collected.Column> fresh = new ArrayList<>();
    Set<String> present = new java.util.HashSet<>();
    for (Collected.Column c : table.columns()) {
      present.add(c.name());
      StoredColumn s = stored.get(c.name());
      String signature =
          signature(
              c.ordinal(),
              c.nativeType(),
              c.nullable(),
              clip(c.defaultValue()),
              clip(c.comment()),
              json(c.attributes()));
      if (s == null) {
        fresh.add(c);
        added.add(c.name());
      } else if (s.removed() || !s.signature().equals(signature)) {
        db.sql(
                "UPDATE ferry_catalog_column SET ordinal = ?, native_type = ?, nullable = ?,"
                    + " default_value = ?, column_comment = ?, attributes = ?, changed_by = ?,"
                    + " removed_by = NULL WHERE id = ?")
            .params(
                c.ordinal(),
                c.nativeType(),
                c.nullable(),
                SqlText.orNull(clip(c.defaultValue())),
                SqlText.orNull(clip(c.comment())),
                json(c.attributes()),
                instanceId,
                s.id())
            .update();
        (s.removed() ? added : changed).add(c.name());
      }
    }
    for (StoredColumn s : stored.values()) {
      if (!s.removed() && !present.contains(s.name())) {
        db.sql("UPDATE ferry_catalog_column SET removed_by = ? WHERE id = ?")
            .params(instanceId, s.id())
            .update();
        removed.add(s.name());
      }
    }
    insertColumns(old.id(), instanceId, fresh);
    int version = old.version() + 1;
    db.sql(
            "UPDATE ferry_catalog_table SET kind = ?, table_comment = ?, attributes = ?, stats = ?,"
                + " fingerprint = ?, version = ?, changed_by = ?, removed_by = NULL, updated_at = ?"
                + " WHERE id = ?")
        .params(
            table.kind(),
            SqlText.orNull(clip(table.comment())),
            attributes,
            stats,
            fingerprint,
            version,
            instanceId,
            now,
            old.id())
        .update();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("columnsAdded", added);
    detail.put("columnsChanged", changed);
    detail.put("columnsRemoved", removed);
    List<String> tableChanges = new ArrayList<>();
    if (!Objects.equals(old.kind(), table.kind())) {
      tableChanges.add("kind");
    }
    if (!Objects.equals(old.comment(), clip(table.comment()))) {
      tableChanges.add("comment");
    }
    tableChanges.addAll(changedKeys(old.attributes(), table.attributes()));
    detail.put("attributesChanged", tableChanges);
    history(
        old.id(), version, instanceId, old.removed() ? "RESTORED" : "CHANGED", json(detail), now);
    if (old.removed()) {
      tally.tablesAdded++;
    } else {
      tally.tablesChanged++;
    }
    tally.columnsAdded += added.size();
    tally.columnsChanged += changed.size();
    tally.columnsRemoved += removed.size();
  }

  private static List<String> changedKeys(String storedJson, Map<String, Object> now) {
    Map<String, Object> before;
    try {
      before = JSON.readValue(storedJson, Map.class);
    } catch (JsonProcessingException e) {
      return List.of("attributes");
    }
    Map<String, Object> after = JSON.convertValue(now, Map.class);
    Set<String> keys = new java.util.TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    return keys.stream().filter(k -> !Objects.equals(before.get(k), after.get(k))).toList();
  }

  private void history(
      long tableId, int version, long instanceId, String kind, String detail, Timestamp now) {
    db.sql(
            "INSERT INTO ferry_catalog_history (table_id, version, instance_id, change_kind,"
                + " detail, logged_at) VALUES (?, ?, ?, ?, ?, ?)")
        .params(tableId, version, instanceId, kind, SqlText.orNull(detail), now)
        .update();
  }

  private static String signature(
      int ordinal,
      String nativeType,
      boolean nullable,
      String defaultValue,
      String comment,
      String attributes) {
    return json(
        java.util.Arrays.asList(ordinal, nativeType, nullable, defaultValue, comment, attributes));
  }

  private static String fingerprint(Collected.Table table, String attributes) {
    StringBuilder text =
        new StringBuilder(
            json(java.util.Arrays.asList(table.kind(), clip(table.comment()), attributes)));
    for (Collected.Column c : table.columns()) {
      text.append('\n')
          .append(c.name())
          .append('\t')
          .append(
              signature(
                  c.ordinal(),
                  c.nativeType(),
                  c.nullable(),
                  clip(c.defaultValue()),
                  clip(c.comment()),
                  json(c.attributes())));
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Texts longer than their catalog column are cut (comments and defaults: 2000). */
  static String clip(String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 1999) + "…";
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

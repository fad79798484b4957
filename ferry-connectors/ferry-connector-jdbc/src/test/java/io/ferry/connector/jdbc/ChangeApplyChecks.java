package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.Kind;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What every JDBC sink's {@link ChangeWriter} must do, against a real database: upserts and deletes
 * by key in log order (also several changes of one key in one batch), key changes, re-applying a
 * batch (idempotence), soft deletes, and schema changes (a column added, a type widened). Each
 * check reads the target back and compares it with the expected rows.
 */
public abstract class ChangeApplyChecks {
  protected static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING))
          .withKey(List.of("id"));

  private static final TableRef SOURCE = new TableRef("db", "t");
  private long offset;

  protected abstract JdbcTestDatabase db();

  protected abstract Connector connector();

  /** {@code CREATE TABLE name (id BIGINT PRIMARY KEY, name VARCHAR(20))} in the database's SQL. */
  protected abstract String createTable(String name);

  private Sink sink(String table) {
    Map<String, Object> options = db().options();
    options.put("table", table);
    Connector.Role<Sink> role = connector().sink().orElseThrow();
    return role.create(role.options().parse(options), new TestConnectorContext(table));
  }

  private RowChange change(Kind kind, Object[] before, Object[] after) {
    return change(kind, SCHEMA, before, after);
  }

  private RowChange change(Kind kind, Schema schema, Object[] before, Object[] after) {
    offset++;
    return new RowChange(
        kind,
        SOURCE,
        schema,
        before,
        after,
        new Position(1, new Codec.Writer().writeLong(offset).toByteArray(), "event " + offset),
        Instant.now());
  }

  private RowChange insert(long id, String name) {
    return change(Kind.INSERT, null, new Object[] {id, name});
  }

  private RowChange update(long id, String before, long newId, String after) {
    return change(Kind.UPDATE, new Object[] {id, before}, new Object[] {newId, after});
  }

  private RowChange delete(long id, String name) {
    return change(Kind.DELETE, new Object[] {id, name}, null);
  }

  private static ChangeWriter.Target target() {
    return new ChangeWriter.Target(
        SOURCE, SCHEMA, List.of("id"), ChangeWriter.DeleteMode.DELETE, null, null);
  }

  /** The target's rows, id → name, with the columns given (null where a row has none). */
  protected Map<Long, List<Object>> read(String table, String... columns) throws Exception {
    Map<Long, List<Object>> rows = new TreeMap<>();
    try (Connection c = db().connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT "
                    + db().quote("id")
                    + ", "
                    + String.join(", ", quoted(columns))
                    + " FROM "
                    + db().table(table))) {
      while (rs.next()) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
          values.add(rs.getObject(i + 2));
        }
        rows.put(rs.getLong(1), values);
      }
    }
    return rows;
  }

  private String[] quoted(String[] columns) {
    String[] q = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      q[i] = db().quote(columns[i]);
    }
    return q;
  }

  private static Map<Long, List<Object>> expected(Map<Long, String> names) {
    Map<Long, List<Object>> rows = new TreeMap<>();
    names.forEach((k, v) -> rows.put(k, java.util.Arrays.asList((Object) v)));
    return rows;
  }

  @Test
  void upsertsDeletesAndKeyChangesLandInLogOrder() throws Exception {
    db().execute(
            createTable("ca_order"),
            "INSERT INTO " + db().table("ca_order") + " VALUES (1, 'old')");
    try (Sink sink = sink("ca_order");
        ChangeWriter writer = sink.changeWriter(target())) {
      assertThat(sink.appliesChanges()).isTrue();
      List<RowChange> batch =
          List.of(
              insert(1, "one"), // over a row the snapshot already wrote: an upsert
              insert(2, "two"),
              update(2, "two", 2, "two'"),
              update(2, "two'", 2, "two''"), // the same key three times in one batch
              insert(3, "three"),
              delete(3, "three"),
              insert(3, "three again"),
              update(1, "one", 10, "one moved"), // a key change
              insert(4, "four"),
              delete(4, "four"),
              delete(99, "never there"));
      writer.apply(batch);
      writer.flush();
      Map<Long, List<Object>> want =
          expected(Map.of(2L, "two''", 3L, "three again", 10L, "one moved"));
      assertThat(read("ca_order", "name")).isEqualTo(want);

      // Applied again after a crash before the checkpoint: the same target.
      writer.apply(batch);
      writer.flush();
      assertThat(read("ca_order", "name")).isEqualTo(want);
    }
  }

  @Test
  void randomChangesConvergeToTheSourceRowForRow() throws Exception {
    db().execute(createTable("ca_random"));
    Random random = new Random(4711);
    Map<Long, String> source = new TreeMap<>();
    try (Sink sink = sink("ca_random");
        ChangeWriter writer = sink.changeWriter(target())) {
      for (int round = 0; round < 20; round++) {
        List<RowChange> batch = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
          long id = random.nextInt(60);
          String name = "v" + random.nextInt(1000);
          if (!source.containsKey(id)) {
            batch.add(insert(id, name));
            source.put(id, name);
          } else if (random.nextInt(4) == 0) {
            batch.add(delete(id, source.remove(id)));
          } else if (random.nextInt(4) == 0) {
            long moved = 100 + random.nextInt(60);
            if (!source.containsKey(moved)) {
              batch.add(update(id, source.get(id), moved, name));
              source.remove(id);
              source.put(moved, name);
            }
          } else {
            batch.add(update(id, source.get(id), id, name));
            source.put(id, name);
          }
        }
        writer.apply(batch);
        if (round % 3 == 0) {
          writer.flush();
        }
      }
      writer.flush();
    }
    assertThat(read("ca_random", "name")).isEqualTo(expected(source));
  }

  @Test
  void softDeletesFlagTheRowAndAReinsertClearsTheFlag() throws Exception {
    db().execute(createTable("ca_soft"));
    ChangeWriter.Target soft =
        new ChangeWriter.Target(
            SOURCE,
            SCHEMA,
            List.of("id"),
            ChangeWriter.DeleteMode.SOFT,
            "is_deleted",
            "deleted_at");
    try (Sink sink = sink("ca_soft");
        ChangeWriter writer = sink.changeWriter(soft)) {
      writer.apply(List.of(insert(1, "a"), insert(2, "b"), delete(1, "a"), delete(2, "b")));
      writer.apply(List.of(insert(2, "b again")));
      writer.flush();
    }
    Map<Long, List<Object>> rows = read("ca_soft", "name", "is_deleted", "deleted_at");
    assertThat(rows).containsOnlyKeys(1L, 2L);
    assertThat(rows.get(1L).get(0)).isEqualTo("a");
    assertThat(truth(rows.get(1L).get(1))).isTrue();
    assertThat(rows.get(1L).get(2)).isNotNull();
    assertThat(rows.get(2L).get(0)).isEqualTo("b again");
    assertThat(truth(rows.get(2L).get(1))).isFalse();
    assertThat(rows.get(2L).get(2)).isNull();
  }

  private static boolean truth(Object value) {
    return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
  }

  @Test
  void aNewColumnIsAddedOnlyWhenAskedAndThenWritten() throws Exception {
    db().execute(createTable("ca_ddl"));
    Schema wider =
        Schema.of(
                new Column("id", DataType.INT64, false),
                Column.of("name", DataType.STRING),
                Column.of("qty", DataType.INT32))
            .withKey(List.of("id"));
    ChangeEvent.SchemaChange ddl =
        new ChangeEvent.SchemaChange(
            SOURCE,
            SCHEMA,
            wider,
            "ALTER TABLE t ADD qty INT",
            new Position(1, new byte[0], "x"),
            Instant.now());
    try (Sink sink = sink("ca_ddl");
        ChangeWriter writer = sink.changeWriter(target())) {
      writer.apply(List.of(insert(1, "before")));
      writer.flush();
      ChangeWriter.SchemaFit check = writer.schemaChanged(ddl, false);
      assertThat(check.fits()).isFalse();
      assertThat(check.reason()).contains("qty");
      assertThat(writer.schemaChanged(ddl, true).fits()).isTrue();
      assertThat(writer.schemaChanged(ddl, false).fits()).as("fits once added").isTrue();
      writer.apply(List.of(change(Kind.INSERT, wider, null, new Object[] {2L, "after", 7})));
      writer.flush();
    }
    Map<Long, List<Object>> rows = read("ca_ddl", "name", "qty");
    assertThat(rows.get(1L)).containsExactly("before", null);
    assertThat(((Number) rows.get(2L).get(1)).intValue()).isEqualTo(7);
  }

  @Test
  void aNarrowingTypeChangeDoesNotFit() throws Exception {
    db().execute(createTable("ca_narrow"));
    Schema narrower =
        Schema.of(new Column("id", DataType.INT32, false), Column.of("name", DataType.BOOLEAN))
            .withKey(List.of("id"));
    ChangeEvent.SchemaChange ddl =
        new ChangeEvent.SchemaChange(
            SOURCE,
            SCHEMA,
            narrower,
            "ALTER TABLE t MODIFY name BOOLEAN",
            new Position(1, new byte[0], "x"),
            Instant.now());
    try (Sink sink = sink("ca_narrow");
        ChangeWriter writer = sink.changeWriter(target())) {
      ChangeWriter.SchemaFit fit = writer.schemaChanged(ddl, true);
      assertThat(fit.fits()).isFalse();
      assertThat(fit.reason()).containsIgnoringCase("name").contains("not a widening");
    }
  }
}

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

  /**
   * The writer reduces a batch to each key's last state: these are the sequences a wrong reduction
   * gets wrong (the last change must win, a key change must delete the old key, a delete followed
   * by an insert must write the row afresh).
   */
  @Test
  void aBatchEndsInEachKeysLastStateAsIfAppliedOneByOne() throws Exception {
    db().execute(
            createTable("ca_coalesce"),
            "INSERT INTO " + db().table("ca_coalesce") + " VALUES (1, 'old one')",
            "INSERT INTO " + db().table("ca_coalesce") + " VALUES (5, 'old five')");
    try (Sink sink = sink("ca_coalesce");
        ChangeWriter writer = sink.changeWriter(target())) {
      List<RowChange> batch =
          List.of(
              insert(2, "a"), // insert, delete, insert of one key: the last insert
              delete(2, "a"),
              insert(2, "b"),
              insert(3, "c"), // key change 3 -> 4, then 4 -> 6: only 6 is left
              update(3, "c", 4, "c"),
              update(4, "c", 6, "d"),
              delete(1, "old one"), // delete of a row the target has, re-inserted otherwise
              insert(1, "new one"),
              update(5, "old five", 7, "moved"), // key change away, then the old key again
              insert(5, "five again"),
              insert(8, "e"), // insert, update, delete: nothing
              update(8, "e", 8, "f"),
              delete(8, "f"),
              update(9, "x", 10, "y"), // key change to 10, then back to 9
              update(10, "y", 9, "z"),
              delete(11, "never there"));
      writer.apply(batch);
      writer.flush();
      Map<Long, List<Object>> want =
          expected(Map.of(1L, "new one", 2L, "b", 5L, "five again", 6L, "d", 7L, "moved", 9L, "z"));
      assertThat(read("ca_coalesce", "name")).isEqualTo(want);
      writer.apply(batch); // again, as after a crash before the checkpoint
      writer.flush();
      assertThat(read("ca_coalesce", "name")).isEqualTo(want);
    }
  }

  /**
   * A delete then an insert of a key in one batch writes the row afresh: a column the changes do
   * not carry returns to its default, as when the two are applied one after the other; an update
   * alone keeps it. A value the log marks unchanged comes from the key's earlier image in the
   * batch, or stays as the target has it.
   */
  @Test
  void aDeleteThenAnInsertRewritesTheRowAndUnchangedValuesSurvive() throws Exception {
    db().execute(
            createTable("ca_fresh"),
            "ALTER TABLE " + db().table("ca_fresh") + " ADD note VARCHAR(20)",
            "INSERT INTO " + db().table("ca_fresh") + " VALUES (1, 'one', 'kept?')",
            "INSERT INTO " + db().table("ca_fresh") + " VALUES (2, 'two', 'kept')",
            "INSERT INTO " + db().table("ca_fresh") + " VALUES (3, 'three', 'kept')");
    Object unchanged = ChangeEvent.UNCHANGED;
    try (Sink sink = sink("ca_fresh");
        ChangeWriter writer = sink.changeWriter(target())) {
      writer.apply(
          List.of(
              delete(1, "one"),
              insert(1, "one again"),
              update(2, "two", 2, "two'"),
              insert(4, "four"),
              change(Kind.UPDATE, new Object[] {4L, "four"}, new Object[] {4L, unchanged}),
              change(Kind.UPDATE, new Object[] {3L, "three"}, new Object[] {3L, unchanged})));
      writer.flush();
    }
    Map<Long, List<Object>> rows = read("ca_fresh", "name", "note");
    assertThat(rows.get(1L)).containsExactly("one again", null);
    assertThat(rows.get(2L)).containsExactly("two'", "kept");
    assertThat(rows.get(3L)).containsExactly("three", "kept");
    assertThat(rows.get(4L)).containsExactly("four", null);
  }

  /** Deletes and upserts of thousands of keys in one batch, by a composite key: many chunks. */
  @Test
  void aLargeBatchByACompositeKeyIsWrittenInChunks() throws Exception {
    db().execute(
            "CREATE TABLE "
                + db().table("ca_composite")
                + " (id BIGINT NOT NULL, part VARCHAR(10) NOT NULL, name VARCHAR(20),"
                + " PRIMARY KEY (id, part))");
    Schema schema =
        Schema.of(
                new Column("id", DataType.INT64, false),
                new Column("part", DataType.STRING, false),
                Column.of("name", DataType.STRING))
            .withKey(List.of("id", "part"));
    ChangeWriter.Target composite =
        new ChangeWriter.Target(
            SOURCE, schema, List.of("id", "part"), ChangeWriter.DeleteMode.DELETE, null, null);
    Map<String, String> want = new TreeMap<>();
    List<RowChange> batch = new ArrayList<>();
    for (long i = 0; i < 3_000; i++) {
      for (String part : List.of("x", "y")) {
        batch.add(change(Kind.INSERT, schema, null, new Object[] {i, part, "v" + i}));
        want.put(i + part, "v" + i);
      }
    }
    for (long i = 0; i < 3_000; i += 2) { // every other id loses its x, key-changed to z
      batch.add(
          change(
              Kind.UPDATE, schema, new Object[] {i, "x", "v" + i}, new Object[] {i, "z", "w" + i}));
      want.remove(i + "x");
      want.put(i + "z", "w" + i);
    }
    try (Sink sink = sink("ca_composite");
        ChangeWriter writer = sink.changeWriter(composite)) {
      writer.apply(batch);
      writer.flush();
    }
    Map<String, String> rows = new TreeMap<>();
    try (Connection c = db().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, part, name FROM " + db().table("ca_composite"))) {
      while (rs.next()) {
        rows.put(rs.getLong(1) + rs.getString(2), rs.getString(3));
      }
    }
    assertThat(rows).isEqualTo(want);
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
      // In one batch: a delete, then the key inserted again; a key change (the old key flagged);
      // a delete of a row already flagged.
      writer.apply(List.of(insert(3, "c"), insert(5, "e")));
      writer.flush();
      writer.apply(
          List.of(
              delete(3, "c"),
              insert(3, "c again"),
              update(5, "e", 6, "e moved"),
              delete(1, "a"), // flagged again: keeps its values
              insert(7, "g"),
              delete(7, "g"),
              insert(7, "g again"),
              delete(7, "g again")));
      writer.flush();
    }
    Map<Long, List<Object>> rows = read("ca_soft", "name", "is_deleted", "deleted_at");
    assertThat(rows).containsOnlyKeys(1L, 2L, 3L, 5L, 6L, 7L);
    assertThat(rows.get(3L).get(0)).isEqualTo("c again");
    assertThat(truth(rows.get(3L).get(1))).isFalse();
    assertThat(rows.get(3L).get(2)).isNull();
    assertThat(rows.get(5L).get(0)).isEqualTo("e");
    assertThat(truth(rows.get(5L).get(1))).isTrue();
    assertThat(rows.get(5L).get(2)).isNotNull();
    assertThat(rows.get(6L).get(0)).isEqualTo("e moved");
    assertThat(truth(rows.get(6L).get(1))).isFalse();
    assertThat(rows.get(7L).get(0)).as("flagged, with the last image").isEqualTo("g again");
    assertThat(truth(rows.get(7L).get(1))).isTrue();
    assertThat(rows.get(7L).get(2)).isNotNull();
    rows.remove(3L);
    rows.remove(5L);
    rows.remove(6L);
    rows.remove(7L);
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

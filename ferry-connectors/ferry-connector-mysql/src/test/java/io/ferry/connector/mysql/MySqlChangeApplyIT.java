package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.jdbc.ChangeApplyChecks;
import io.ferry.connector.jdbc.JdbcTestDatabase;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog.TableRef;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The change writer against the MariaDB service (ON DUPLICATE KEY UPDATE, DELETE by key). */
class MySqlChangeApplyIT extends ChangeApplyChecks {
  private static MariaDb db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = MariaDb.create();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  @Override
  protected JdbcTestDatabase db() {
    return db;
  }

  @Override
  protected Connector connector() {
    return new MySqlConnector();
  }

  @Override
  protected String createTable(String name) {
    return "CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, name VARCHAR(20))";
  }

  // ---- keys of a case-insensitive collation ----------------------------------------------------

  private static final Schema TEXT_KEYED =
      Schema.of(new Column("k", DataType.STRING, false), Column.of("v", DataType.STRING))
          .withKey(List.of("k"));

  private long offset;

  private RowChange change(Kind kind, String beforeKey, String afterKey, String value) {
    offset++;
    return new RowChange(
        kind,
        new TableRef("db", "t"),
        TEXT_KEYED,
        beforeKey == null ? null : new Object[] {beforeKey, "?"},
        afterKey == null ? null : new Object[] {afterKey, value},
        new Position(1, new Codec.Writer().writeLong(offset).toByteArray(), "event " + offset),
        Instant.now());
  }

  /**
   * The writer coalesces a batch by the key values as the log carries them, case and all, while a
   * {@code _ci} collation makes 'A' and 'a' one key at the target. The log of a {@code _ci} source
   * never holds both live at once, so a key's case variants in one batch are a key change (a delete
   * of the old spelling), or a delete and an insert: deletes run first, and the upsert of the last
   * spelling writes the row with its case. Applied in one batch and one change at a time, the
   * target ends with the source's rows, spelt as the source spells them.
   */
  @Test
  void caseVariantsOfAKeyInACaseInsensitiveCollationEndAsTheSourceSpellsThem() throws Exception {
    List<RowChange> changes =
        List.of(
            change(Kind.UPDATE, "A", "a", "v1"), // a change of the key's case only
            change(Kind.UPDATE, "a", "A", "v2"),
            change(Kind.DELETE, "A", null, null),
            change(Kind.INSERT, null, "a", "v3"),
            change(Kind.INSERT, null, "b", "w1"),
            change(Kind.UPDATE, "b", "B", "w2"),
            change(Kind.DELETE, "B", null, null),
            change(Kind.INSERT, null, "B", "w3"),
            change(Kind.UPDATE, "B", "b", "w4"),
            change(Kind.UPDATE, "b", "b", "w5"),
            change(Kind.INSERT, null, "C", "x1"),
            change(Kind.UPDATE, "C", "c", "x2"),
            change(Kind.DELETE, "c", null, null));
    Map<String, String> want = new TreeMap<>(Map.of("a", "v3", "b", "w5"));
    Map<String, String> wantSoft = new TreeMap<>(Map.of("a", "v3/0", "b", "w5/0", "c", "x2/1"));
    for (int run = 0; run < 4; run++) {
      boolean oneBatch = run % 2 == 0;
      boolean soft = run >= 2;
      String table = (soft ? "ci_soft_" : "ci_") + (oneBatch ? "batch" : "single");
      db.execute(
          "CREATE TABLE "
              + table
              + " (k VARCHAR(20) COLLATE utf8mb4_general_ci PRIMARY KEY, v VARCHAR(20))",
          "INSERT INTO " + table + " VALUES ('A', 'v0')");
      Map<String, Object> options = db.options();
      options.put("table", table);
      Connector.Role<Sink> role = connector().sink().orElseThrow();
      try (Sink sink = role.create(role.options().parse(options), new TestConnectorContext(table));
          ChangeWriter writer =
              sink.changeWriter(
                  new ChangeWriter.Target(
                      new TableRef("db", "t"),
                      TEXT_KEYED,
                      List.of("k"),
                      soft ? ChangeWriter.DeleteMode.SOFT : ChangeWriter.DeleteMode.DELETE,
                      soft ? "deleted" : null,
                      soft ? "deleted_at" : null))) {
        if (oneBatch) {
          writer.apply(changes);
        } else {
          for (RowChange c : changes) {
            writer.apply(List.of(c));
            writer.flush();
          }
        }
        writer.flush();
      }
      Map<String, String> rows = new TreeMap<>();
      try (Connection c = db.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT k, v" + (soft ? ", deleted" : "") + " FROM " + table)) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getString(2) + (soft ? "/" + rs.getInt(3) : ""));
        }
      }
      assertThat(rows).as(table).isEqualTo(soft ? wantSoft : want);
    }
  }
}

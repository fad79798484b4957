package io.ferry.connector.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The clauses of the dialect's MERGE (ON, WHEN MATCHED, WHEN NOT MATCHED, column order) executed on
 * H2 in MODE=Oracle. H2 cannot type the bare parameters of {@code SELECT ? "C" FROM dual}, which
 * Oracle types from the binds, so this test wraps each in a CAST to the column's type before
 * running it: it checks the statement's shape and semantics, not the untyped binds, which only the
 * real-server tests (OracleServerIT) run.
 */
class OracleMergeShapeTest {
  private static final Schema SCHEMA =
      Schema.of(
          new Column("id", DataType.INT64, false),
          Column.of("name", DataType.STRING),
          Column.of("amount", DataType.decimal(12, 2)));

  private final OracleTestDatabase database = OracleTestDatabase.h2("oracle-merge");

  private static Object[] row(long id, String name, String amount) {
    return new Object[] {id, name, amount == null ? null : new BigDecimal(amount)};
  }

  /** The dialect's MERGE with {@code ? "C"} made {@code CAST(? AS <type>) "C"}. */
  private static String typedForH2(String merge) {
    return merge
        .replace("? \"id\"", "CAST(? AS NUMBER(19)) \"id\"")
        .replace("? \"name\"", "CAST(? AS VARCHAR2(4000 CHAR)) \"name\"")
        .replace("? \"amount\"", "CAST(? AS NUMBER(12,2)) \"amount\"");
  }

  @Test
  void updatesMatchedKeysAndInsertsTheRestInOneBatch() throws Exception {
    database.create("m", SCHEMA);
    database.insert("m", SCHEMA, List.of(row(1, "one", "1.00"), row(2, "two", "2.00")));
    String merge =
        OracleSql.INSTANCE
            .upsertSql("\"m\"", List.of("id", "name", "amount"), List.of("id"))
            .orElseThrow();
    try (Connection c = database.connect();
        PreparedStatement ps = c.prepareStatement(typedForH2(merge))) {
      for (Object[] r : List.of(row(2, "TWO", "22.50"), row(3, "three", null))) {
        for (int i = 0; i < r.length; i++) {
          ps.setObject(i + 1, r[i]);
        }
        ps.addBatch();
      }
      assertThat(ps.executeBatch()).containsExactly(1, 1);
    }
    Rows.assertSameRows(
        SCHEMA,
        database.read("m", SCHEMA),
        List.of(row(1, "one", "1.00"), row(2, "TWO", "22.50"), row(3, "three", null)));
  }
}

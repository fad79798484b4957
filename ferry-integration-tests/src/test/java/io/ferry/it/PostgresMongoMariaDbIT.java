package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL → MongoDB → MariaDB through real Ferry jobs (issue 5): a PostgreSQL table with NULLs,
 * empty strings, non-ASCII text, decimals, millisecond timestamps and bytes goes into a MongoDB
 * collection (upsert by id, run twice: the second run must not add documents) and from there into a
 * MariaDB table the job creates; the MariaDB copy is compared with the original value by value.
 * MongoDB is the in-process wire-protocol server bound to 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresMongoMariaDbIT {
  private static final int ROWS = 5000;
  private static final String COLUMNS = "id, qty, sku, price, created, paid, note, data";

  private final TestDatabases.Postgres postgres;
  private final TestDatabases.MariaDb mariadb;
  private MongoServer mongo;
  private String mongoUri;

  PostgresMongoMariaDbIT() throws SQLException {
    postgres = new TestDatabases.Postgres();
    mariadb = new TestDatabases.MariaDb();
  }

  @BeforeAll
  void start() throws SQLException {
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    InetSocketAddress address = mongo.getLocalAddress();
    mongoUri = "mongodb://127.0.0.1:" + address.getPort();
    postgres.execute(
        "CREATE TABLE orders (id bigint PRIMARY KEY, qty integer, sku varchar(32),"
            + " price numeric(12,2), created timestamp(3), paid boolean, note text, data bytea)",
        "INSERT INTO orders SELECT g, g % 17, 'SKU-' || (g % 97),"
            + " CASE WHEN g % 11 = 0 THEN NULL ELSE (g % 100000) / 100.0 - 300 END,"
            + " timestamp '2024-02-29 23:59:59.123' + g * interval '1 minute 0.001 second',"
            + " CASE g % 3 WHEN 0 THEN NULL WHEN 1 THEN true ELSE false END,"
            + " CASE g % 5 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE"
            + " 'note ' || g || E' \\t tab, \"quote\", back\\\\slash, 订单 ✓ 🚀' END,"
            + " CASE WHEN g % 4 = 0 THEN NULL ELSE decode(lpad(to_hex(g), 8, '0'), 'hex') END"
            + " FROM generate_series(1, "
            + ROWS
            + ") g");
  }

  @AfterAll
  void stop() throws SQLException {
    mongo.shutdownNow();
    postgres.close();
    mariadb.close();
  }

  @Test
  void rowsSurvivePostgresToMongoDbToMariaDb(@TempDir Path state) throws Exception {
    String toMongo =
        """
        source: {connector: postgresql, %s, table: orders}
        sink: {connector: mongodb, uri: '%s', database: shop, collection: orders,
               writeMode: upsert, idColumns: [id]}
        settings: {channels: 2}
        """
            .formatted(postgres.options(), mongoUri);
    FerryJobs.run(state, "pg-to-mongo", toMongo).succeeded();
    // Upsert by id: running the copy again overwrites, it does not add.
    FerryJobs.Outcome again = FerryJobs.run(state, "pg-to-mongo", toMongo).succeeded();
    assertThat(again.dirty()).isEmpty();

    String fromMongo =
        """
        source: {connector: mongodb, uri: '%s', database: shop, collection: orders,
                 columns: ["id int64", "qty int32", "sku string", "price decimal(12,2)",
                           "created timestamp(3)", "paid boolean", "note string", "data bytes"]}
        sink: {connector: mysql, %s, table: orders_back, createTable: true}
        settings: {channels: 2}
        """
            .formatted(mongoUri, mariadb.options());
    FerryJobs.Outcome back = FerryJobs.run(state, "mongo-to-mariadb", fromMongo).succeeded();
    assertThat(back.dirty()).isEmpty();
    assertThat(back.result().progress().recordsWritten()).isEqualTo(ROWS);

    List<List<String>> original;
    try (Connection c = postgres.connect()) {
      original = rows(c, "SELECT " + COLUMNS + " FROM orders ORDER BY id");
    }
    List<List<String>> copy;
    try (Connection c = mariadb.connect()) {
      copy = rows(c, "SELECT " + COLUMNS + " FROM orders_back ORDER BY id");
    }
    assertThat(copy).hasSize(ROWS);
    for (int i = 0; i < ROWS; i++) {
      assertThat(copy.get(i)).as("row id=%s", original.get(i).get(0)).isEqualTo(original.get(i));
    }
  }

  /** Every row as text that compares across the two databases (NULL stays null, '' stays ''). */
  private static List<List<String>> rows(Connection c, String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        row.add(String.valueOf(rs.getLong("id")));
        row.add(rs.getString("qty"));
        row.add(rs.getString("sku"));
        row.add(
            rs.getBigDecimal("price") == null ? null : rs.getBigDecimal("price").toPlainString());
        row.add(
            rs.getObject("created") == null
                ? null
                : rs.getObject("created", java.time.LocalDateTime.class).toString());
        row.add(rs.getObject("paid") == null ? null : String.valueOf(rs.getBoolean("paid")));
        row.add(rs.getString("note"));
        byte[] data = rs.getBytes("data");
        row.add(data == null ? null : Arrays.toString(data));
        rows.add(row);
      }
    }
    return rows;
  }
}

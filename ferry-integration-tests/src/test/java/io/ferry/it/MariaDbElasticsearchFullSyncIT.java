package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.connector.elasticsearch.EsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full-sync fast path of issue 5: a MariaDB table into Elasticsearch with {@code kind:
 * fullSync} and nothing but the table and the index named. Document ids come from the primary key,
 * the mapping from the schema, and the load goes into a new index that the alias then points at; a
 * second full sync replaces the first copy the same way and deletes it. Every document is compared
 * with its row. Elasticsearch is a real 8.x node started by the test on 127.0.0.1.
 */
class MariaDbElasticsearchFullSyncIT {
  private static final int ROWS = 3000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void fullSyncLoadsANewIndexAndMovesTheAlias(@TempDir Path state) throws Exception {
    EsServer es = EsServer.es8();
    String alias = "orders_" + UUID.randomUUID().toString().substring(0, 8);
    try (TestDatabases.MariaDb mariadb = new TestDatabases.MariaDb()) {
      mariadb.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(64) NOT NULL,"
              + " qty INT, price DECIMAL(12,2), paid TINYINT(1), created DATETIME(3), note TEXT)",
          "INSERT INTO orders SELECT seq, CONCAT('customer ', seq % 97), seq % 13,"
              + " IF(seq % 9 = 0, NULL, (seq % 100000) / 100), seq % 2,"
              + " '2024-01-01 00:00:00.000' + INTERVAL seq SECOND + INTERVAL (seq % 1000) * 1000"
              + " MICROSECOND, IF(seq % 5 = 0, NULL, CONCAT('note ✓ 订单 \"', seq, '\"'))"
              + " FROM seq_1_to_"
              + ROWS);
      String job =
          """
          kind: fullSync
          source: {connector: mysql, %s, table: orders}
          sink: {connector: elasticsearch, hosts: ['%s'], index: %s}
          """
              .formatted(mariadb.options(), es.url(), alias);

      FerryJobs.run(state, "full-sync", job).succeeded();
      String first = onlyIndexOf(es, alias);
      assertThat(first).startsWith(alias + "-");
      assertSameDocuments(es, alias, mariadb);

      mariadb.execute("UPDATE orders SET qty = qty + 100 WHERE id <= 10");
      FerryJobs.run(state, "full-sync", job).succeeded();
      String second = onlyIndexOf(es, alias);
      assertThat(second).isNotEqualTo(first);
      assertThat(get(es, "/" + first).statusCode()).as("the first copy is deleted").isEqualTo(404);
      assertSameDocuments(es, alias, mariadb);
    }
  }

  /** The one index the alias points at. */
  private String onlyIndexOf(EsServer es, String alias) throws Exception {
    JsonNode aliases = JSON.readTree(get(es, "/_alias/" + alias).body());
    List<String> indexes = new ArrayList<>();
    aliases.fieldNames().forEachRemaining(indexes::add);
    assertThat(indexes).as("indexes behind alias %s", alias).hasSize(1);
    return indexes.get(0);
  }

  private void assertSameDocuments(EsServer es, String alias, TestDatabases.MariaDb mariadb)
      throws Exception {
    JsonNode hits =
        JSON.readTree(get(es, "/" + alias + "/_search?size=" + (ROWS + 10) + "&sort=id:asc").body())
            .path("hits")
            .path("hits");
    assertThat(hits.size()).isEqualTo(ROWS);
    try (Connection c = mariadb.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, customer, qty, price, paid, created, note FROM orders ORDER BY id")) {
      int i = 0;
      while (rs.next()) {
        JsonNode hit = hits.get(i++);
        JsonNode doc = hit.path("_source");
        long id = rs.getLong("id");
        assertThat(hit.path("_id").asText()).isEqualTo(String.valueOf(id));
        assertThat(doc.path("id").asLong()).isEqualTo(id);
        assertThat(doc.path("customer").asText()).isEqualTo(rs.getString("customer"));
        assertThat(doc.path("qty").asInt()).as("qty of %s", id).isEqualTo(rs.getInt("qty"));
        assertThat(text(doc.path("price")))
            .as("price of %s", id)
            .isEqualTo(
                rs.getBigDecimal("price") == null
                    ? null
                    : rs.getBigDecimal("price").toPlainString());
        assertThat(doc.path("paid").asBoolean()).isEqualTo(rs.getBoolean("paid"));
        assertThat(LocalDateTime.parse(doc.path("created").asText()))
            .as("created of %s", id)
            .isEqualTo(rs.getObject("created", LocalDateTime.class));
        assertThat(text(doc.path("note"))).isEqualTo(rs.getString("note"));
      }
    }
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }

  private HttpResponse<String> get(EsServer es, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(es.url() + path.toLowerCase(Locale.ROOT))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

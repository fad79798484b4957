package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.connector.elasticsearch.EsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Locale;

/**
 * A MariaDB table {@code orders} of several types (ids, text with non-ASCII characters and quotes,
 * integers, decimals, booleans, datetimes with milliseconds, NULLs) and the check that an
 * Elasticsearch index holds exactly its rows as documents, each compared with its row.
 */
final class EsOrders {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private EsOrders() {}

  /** Creates {@code orders} with ids 1..rows. */
  static void create(TestDatabases.MariaDb mariadb, int rows) throws SQLException {
    mariadb.execute(
        "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(64) NOT NULL,"
            + " qty INT, price DECIMAL(12,2), paid TINYINT(1), created DATETIME(3), note TEXT)",
        "INSERT INTO orders SELECT seq, CONCAT('customer ', seq % 97), seq % 13,"
            + " IF(seq % 9 = 0, NULL, (seq % 100000) / 100), seq % 2,"
            + " '2024-01-01 00:00:00.000' + INTERVAL seq SECOND + INTERVAL (seq % 1000) * 1000"
            + " MICROSECOND, IF(seq % 5 = 0, NULL, CONCAT('note ✓ 订单 \"', seq, '\"'))"
            + " FROM seq_1_to_"
            + rows);
  }

  /**
   * Asserts that {@code index} (or alias) holds one document per row of {@code orders}, {@code _id}
   * the primary key, and every field equal to its column.
   */
  static void assertSameDocuments(
      EsServer es, String index, TestDatabases.MariaDb mariadb, int rows) throws Exception {
    JsonNode hits =
        JSON.readTree(get(es, "/" + index + "/_search?size=" + (rows + 10) + "&sort=id:asc").body())
            .path("hits")
            .path("hits");
    assertThat(hits.size()).as("documents in %s", index).isEqualTo(rows);
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
        assertThat(text(doc.path("note"))).as("note of %s", id).isEqualTo(rs.getString("note"));
      }
      assertThat(i).as("rows in orders").isEqualTo(rows);
    }
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }

  /** GET {@code path} (lower-cased, as index names are) from the node. */
  static HttpResponse<String> get(EsServer es, String path) throws Exception {
    return send(es, "GET", path);
  }

  /** Deletes an index; a missing one is no error. */
  static void deleteIndex(EsServer es, String index) throws Exception {
    int status = send(es, "DELETE", "/" + index).statusCode();
    assertThat(status).as("DELETE index %s", index).isIn(200, 404);
  }

  private static HttpResponse<String> send(EsServer es, String method, String path)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(es.url() + path.toLowerCase(Locale.ROOT)))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

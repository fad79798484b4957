package io.ferry.connector.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.connector.elasticsearch.EsServer;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HBase → Elasticsearch through the engine with {@code kind: fullSync} (issue 5): a pre-split HBase
 * table read region by region, its row key becoming the document {@code _id}, loaded into a new
 * index behind an alias; every document is compared with the row written to HBase. HBase is the
 * mini cluster of this JVM, Elasticsearch a real 8.x node, both on 127.0.0.1.
 */
class HBaseElasticsearchFullSyncTest {
  private static final int ROWS = 2000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anHBaseTableArrivesAsDocumentsWithRowKeyIds(@TempDir Path state) throws Exception {
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("name", DataType.STRING),
            Column.of("amount", DataType.decimal(12, 2)),
            Column.of("created", DataType.timestamp(3)));
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < ROWS; i++) {
      rows.add(
          new Object[] {
            i,
            i % 7 == 0 ? null : "name ✓ " + i,
            BigDecimal.valueOf(i * 37 % 100_000, 2),
            LocalDateTime.of(2024, 2, 29, 12, 0).plusSeconds(i).plusNanos(i % 1000 * 1_000_000)
          });
    }
    String table = HBaseTestCluster.uniqueTable("es_sync");
    HBaseTestCluster.createTable(table, List.of("d"), HBaseTestCluster.idSplits(ROWS, 3));
    HBaseTestCluster.write(table, schema, rows, new TestConnectorContext("hbase-es"));

    EsServer es = EsServer.es8();
    String alias = table.toLowerCase(java.util.Locale.ROOT) + "_docs";
    Map<String, Object> hbase = HBaseTestCluster.options();
    String columns =
        HBaseTestCluster.columns(schema, true).stream()
            .map(c -> "'" + c + "'")
            .collect(Collectors.joining(", ", "[", "]"));
    String job =
        """
        kind: fullSync
        source: {connector: hbase, zookeeperQuorum: '%s', zookeeperPort: %s, znodeParent: '%s',
                 table: %s, columns: %s}
        sink: {connector: elasticsearch, hosts: ['%s'], index: %s}
        settings: {channels: 2}
        """
            .formatted(
                hbase.get("zookeeperQuorum"),
                hbase.get("zookeeperPort"),
                hbase.get("znodeParent"),
                table,
                columns,
                es.url(),
                alias);
    Engine engine = new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
    RunResult result =
        engine.start(JobSpecLoader.parse(job, false, null, "hbase-to-es", Map.of())).await();
    assertThat(result.state()).as("failure: %s", result.failure()).isEqualTo(RunState.SUCCEEDED);

    HttpClient http = HttpClient.newHttpClient();
    JsonNode hits =
        JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    es.url()
                                        + "/"
                                        + alias
                                        + "/_search?size="
                                        + (ROWS + 10)
                                        + "&sort=id:asc"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .path("hits")
            .path("hits");
    assertThat(hits.size()).isEqualTo(ROWS);
    for (int i = 0; i < ROWS; i++) {
      Object[] row = rows.get(i);
      JsonNode hit = hits.get(i);
      JsonNode doc = hit.path("_source");
      assertThat(hit.path("_index").asText()).startsWith(alias + "-");
      assertThat(hit.path("_id").asText()).isEqualTo(String.valueOf(row[0]));
      assertThat(doc.path("name").isNull() ? null : doc.path("name").asText())
          .as("name of %s", row[0])
          .isEqualTo(row[1]);
      assertThat(new BigDecimal(doc.path("amount").asText()))
          .isEqualByComparingTo((BigDecimal) row[2]);
      assertThat(LocalDateTime.parse(doc.path("created").asText())).isEqualTo(row[3]);
    }
  }
}

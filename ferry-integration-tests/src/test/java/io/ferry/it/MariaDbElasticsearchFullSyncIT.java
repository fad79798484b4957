package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.connector.elasticsearch.EsServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void fullSyncLoadsANewIndexAndMovesTheAlias(@TempDir Path state) throws Exception {
    EsServer es = EsServer.es8();
    String alias = "orders_" + UUID.randomUUID().toString().substring(0, 8);
    try (TestDatabases.MariaDb mariadb = new TestDatabases.MariaDb()) {
      EsOrders.create(mariadb, ROWS);
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
      EsOrders.assertSameDocuments(es, alias, mariadb, ROWS);

      mariadb.execute("UPDATE orders SET qty = qty + 100 WHERE id <= 10");
      FerryJobs.run(state, "full-sync", job).succeeded();
      String second = onlyIndexOf(es, alias);
      assertThat(second).isNotEqualTo(first);
      assertThat(EsOrders.get(es, "/" + first).statusCode())
          .as("the first copy is deleted")
          .isEqualTo(404);
      EsOrders.assertSameDocuments(es, alias, mariadb, ROWS);
    }
  }

  /** The one index the alias points at. */
  private String onlyIndexOf(EsServer es, String alias) throws Exception {
    JsonNode aliases = JSON.readTree(EsOrders.get(es, "/_alias/" + alias).body());
    List<String> indexes = new ArrayList<>();
    aliases.fieldNames().forEachRemaining(indexes::add);
    assertThat(indexes).as("indexes behind alias %s", alias).hasSize(1);
    return indexes.get(0);
  }
}

package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.elasticsearch.EsServer;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.flink.FlinkRunner;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Elasticsearch sink on Flink (issue 22): a MariaDB table copied into an index by the Flink
 * runner on its own mini cluster, 2 parallel tasks, with checkpoints (each a flush of the tasks'
 * bulk writers) while the copy runs. Every document is read back and compared with its row, as for
 * the local engine ({@link MariaDbElasticsearchFullSyncIT}). Elasticsearch is a real 8.x node on
 * 127.0.0.1.
 */
class ElasticsearchOnFlinkIT {
  private static final int ROWS = 4000;

  @Test
  void copiesATableIntoAnIndexOnFlink(@TempDir Path state) throws Exception {
    EsServer es = EsServer.es8();
    String index = "orders_flink_" + UUID.randomUUID().toString().substring(0, 8);
    try (TestDatabases.MariaDb mariadb = new TestDatabases.MariaDb()) {
      EsOrders.create(mariadb, ROWS);
      String job =
          """
          source: {connector: mysql, %s, table: orders, splitsPerChannel: 3, batchSize: 250}
          sink: {connector: elasticsearch, hosts: ['%s'], index: %s, idFromKey: true, bulkActions: 500}
          settings: {channels: 2, flushInterval: 300ms}
          """
              .formatted(mariadb.options(), es.url(), index);
      Engine engine =
          new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
      RunResult result =
          new FlinkRunner(engine, null)
              .start(JobSpecLoader.parse(job, false, null, "es-on-flink", Map.of()))
              .completion()
              .get(300, TimeUnit.SECONDS);

      assertThat(result.state()).as(String.valueOf(result.failure())).isEqualTo(RunState.SUCCEEDED);
      assertThat(result.progress().recordsRead()).isEqualTo(ROWS);
      assertThat(result.progress().recordsWritten()).isEqualTo(ROWS);
      assertThat(result.progress().dirtyRecords()).isZero();
      EsOrders.assertSameDocuments(es, index, mariadb, ROWS);
    } finally {
      EsOrders.deleteIndex(es, index);
    }
  }
}

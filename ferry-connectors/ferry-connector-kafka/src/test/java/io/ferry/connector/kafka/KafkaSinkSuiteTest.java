package io.ferry.connector.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The shared sink suite over a real broker, transactional: each split in one transaction, read back
 * with read_committed, every JSON value decoded with the target's columns. The resume test runs
 * through the whole-split model: what the dead attempt left open is aborted, never seen.
 */
class KafkaSinkSuiteTest extends SinkTestSuite {
  @Override
  protected Connector connector() {
    return new KafkaConnector();
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("bootstrapServers", KafkaTestBroker.get().bootstrap());
    options.put("topic", topic(target));
    options.put("format", "json");
    options.put("keyColumns", List.of("id"));
    options.put("transactional", true);
    options.put("partitions", 3);
    return options;
  }

  /** One topic per target: the suite's tests each write their own. */
  private final Map<SinkTarget, String> topics = new java.util.HashMap<>();

  private String topic(SinkTarget target) {
    return topics.computeIfAbsent(target, t -> KafkaTestBroker.uniqueTopic("sink-" + t.name()));
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) throws Exception {
    Schema schema = target.schema();
    List<Object[]> rows = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : KafkaTestBroker.get().readAll(topic(target))) {
      JsonNode value = JsonValues.mapper().readTree(r.value());
      Object[] row = new Object[schema.size()];
      for (int c = 0; c < row.length; c++) {
        row[c] = JsonValues.fromNode(value.get(schema.column(c).name()), schema.column(c).type());
      }
      rows.add(row);
    }
    return rows;
  }
}

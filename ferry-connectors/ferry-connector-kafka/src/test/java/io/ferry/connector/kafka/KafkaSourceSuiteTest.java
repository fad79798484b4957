package io.ferry.connector.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The shared source suite over a real broker: each dataset is a topic of three partitions whose
 * JSON values a plain producer wrote (row i to partition i % 3), read with the columns declared.
 */
class KafkaSourceSuiteTest extends SourceTestSuite {
  static final int PARTITIONS = 3;

  @Override
  protected Connector connector() {
    return new KafkaConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) {
    KafkaTestBroker broker = KafkaTestBroker.get();
    String topic = KafkaTestBroker.uniqueTopic(request.name());
    broker.createTopic(topic, PARTITIONS);
    List<List<Object[]>> byPartition = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      byPartition.add(new ArrayList<>());
    }
    Schema schema = request.schema();
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < request.rows().size(); i++) {
        Object[] row = request.rows().get(i);
        ObjectNode value = JsonValues.mapper().createObjectNode();
        for (int c = 0; c < schema.size(); c++) {
          value.set(schema.column(c).name(), JsonValues.toNode(row[c], schema.column(c).type()));
        }
        producer.send(
            new ProducerRecord<>(
                topic, i % PARTITIONS, null, value.toString().getBytes(StandardCharsets.UTF_8)));
        byPartition.get(i % PARTITIONS).add(row);
      }
      producer.flush();
    }
    List<Object[]> expected = new ArrayList<>();
    byPartition.forEach(expected::addAll);
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("bootstrapServers", broker.bootstrap());
    options.put("topics", List.of(topic));
    options.put("format", "json");
    options.put("columns", columns(schema));
    options.put("batchSize", request.batchSize());
    return SourceDataset.holding(options, expected);
  }

  static List<String> columns(Schema schema) {
    List<String> columns = new ArrayList<>();
    for (Column c : schema.columns()) {
      columns.add(c.name() + " " + c.type());
    }
    return columns;
  }
}

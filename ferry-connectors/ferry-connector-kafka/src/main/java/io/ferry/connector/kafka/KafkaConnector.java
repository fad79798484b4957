package io.ferry.connector.kafka;

import io.ferry.spi.Catalog;
import io.ferry.spi.Connector;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.Optional;

/** Apache Kafka: topics read partition by partition, rows written as keyed records. */
public final class KafkaConnector implements Connector {
  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String description() {
    return "Reads Kafka topics partition by partition up to the offsets at the start, with the"
        + " offsets in Ferry's checkpoint, and writes rows as keyed JSON or csv records or"
        + " Debezium change events, optionally in transactions for exactly-once delivery.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(Role.of(KafkaOptions.SOURCE_OPTIONS, KafkaSource::new));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(Role.of(KafkaOptions.SINK_OPTIONS, KafkaSink::new));
  }

  @Override
  public Optional<Role<Catalog>> catalog() {
    return Optional.of(
        Role.of(KafkaOptions.CATALOG_OPTIONS, (options, context) -> new KafkaCatalog(options)));
  }
}

package io.ferry.connector.kafka;

import io.ferry.spi.Catalog;
import io.ferry.spi.Column;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.SinkWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends rows as records. Without transactions it shares the sink's idempotent producer and {@link
 * #flush()} waits until the brokers acknowledged every record (acks=all). With transactions each
 * split gets a producer and a transaction of its own, committed with its marker by {@link
 * #endSplit}.
 */
final class KafkaSinkWriter implements SinkWriter {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkWriter.class);

  private final KafkaSink sink;
  private final String topic;
  private final Schema schema;
  private final RowCodec codec;
  private final List<Column> keyColumns = new ArrayList<>();
  private final int[] keyIndexes;
  private final int[] allIndexes;
  private final Envelopes envelopes;
  private final Catalog.TableRef table;
  private final int maxRecordBytes;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  private KafkaProducer<byte[], byte[]> producer;
  private boolean inTransaction;

  /** The split an earlier attempt committed: its rows are there already. */
  private boolean skipping;

  private int split = -1;

  KafkaSinkWriter(KafkaSink sink) {
    this.sink = sink;
    this.topic = sink.topic();
    this.schema = sink.schema();
    this.codec =
        new RowCodec(
            sink.options().get(KafkaOptions.FORMAT),
            sink.options().get(KafkaOptions.CSV_DELIMITER));
    this.keyIndexes = sink.keyIndexes();
    for (int k : keyIndexes) {
      keyColumns.add(schema.column(k));
    }
    this.allIndexes = new int[schema.size()];
    for (int i = 0; i < allIndexes.length; i++) {
      allIndexes[i] = i;
    }
    this.envelopes =
        sink.options().get(KafkaOptions.ENVELOPE) == KafkaOptions.Envelope.DEBEZIUM
            ? new Envelopes(sink.context().jobName())
            : null;
    // A batch writer receives rows, not the table they come from.
    this.table = null;
    this.maxRecordBytes = sink.maxRecordBytes();
    if (!sink.transactional()) {
      producer = sink.sharedProducer();
    }
  }

  @Override
  public void beginSplit(int split) {
    this.split = split;
    if (!sink.transactional()) {
      return;
    }
    producer = sink.producer(sink.transactionalId(split));
    try {
      producer.initTransactions(); // aborts what an earlier attempt left open
      if (sink.committedEarlier(split)) {
        LOG.info(
            "Kafka: split {} of topic {} was committed by an earlier attempt; its rows are not"
                + " written again",
            split,
            topic);
        skipping = true;
        producer.close(Duration.ofSeconds(10));
        producer = null;
        return;
      }
      skipping = false;
      producer.beginTransaction();
      inTransaction = true;
    } catch (RuntimeException e) {
      closeProducer();
      throw KafkaClients.failure("cannot begin the transaction of split " + split, e);
    }
  }

  @Override
  public void write(RowBatch batch) {
    if (skipping) {
      return;
    }
    rethrow();
    if (sink.transactional() && !inTransaction) {
      throw new FerryException(
          ErrorCode.INTERNAL, "a transactional Kafka writer received rows outside a split");
    }
    for (int r = 0; r < batch.size(); r++) {
      byte[] key;
      byte[] value;
      try {
        key = keyIndexes.length == 0 ? null : codec.encode(keyColumns, batch, r, keyIndexes);
        value =
            envelopes == null
                ? codec.encode(schema.columns(), batch, r, allIndexes)
                : envelopes.value("r", table, schema, null, batch.row(r), Instant.now(), true);
      } catch (RowCodec.BadValue e) {
        dirty(batch.row(r), e.column, e.value, e.getMessage());
        continue;
      } catch (IllegalArgumentException | ClassCastException e) {
        dirty(batch.row(r), null, null, String.valueOf(e.getMessage()));
        continue;
      }
      int size = value.length + (key == null ? 0 : key.length);
      if (size > maxRecordBytes) {
        dirty(
            batch.row(r),
            null,
            null,
            "the record has "
                + size
                + " bytes, more than the producer sends (max.request.size "
                + maxRecordBytes
                + "; raise it in properties, and the topic's max.message.bytes)");
        continue;
      }
      send(new ProducerRecord<>(topic, key, value));
    }
  }

  void send(ProducerRecord<byte[], byte[]> record) {
    try {
      producer.send(
          record,
          (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
    } catch (RuntimeException e) {
      throw KafkaClients.failure("cannot send to topic " + topic, e);
    }
  }

  private void dirty(Object[] row, String column, Object value, String reason) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int c = 0; c < schema.size(); c++) {
      values.put(schema.column(c).name(), row[c]);
    }
    sink.context().dirtyRows().accept(new DirtyRow(location(row), values, column, value, reason));
  }

  private String location(Object[] row) {
    if (keyIndexes.length == 0) {
      return "topic " + topic;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < keyIndexes.length; i++) {
      s.append(i == 0 ? "" : ", ")
          .append(keyColumns.get(i).name())
          .append('=')
          .append(row[keyIndexes[i]]);
    }
    return s.toString();
  }

  private void rethrow() {
    Exception e = failure.get();
    if (e != null) {
      throw KafkaClients.failure("writing to topic " + topic + " failed", e);
    }
  }

  @Override
  public void flush() {
    if (skipping || producer == null) {
      return;
    }
    try {
      producer.flush();
    } catch (RuntimeException e) {
      throw KafkaClients.failure("cannot flush to topic " + topic, e);
    }
    rethrow();
  }

  @Override
  public void endSplit(int split) {
    if (!sink.transactional() || skipping) {
      skipping = false;
      return;
    }
    flush();
    try {
      // The marker: an offset of the split's own group, committed with the rows.
      producer.sendOffsetsToTransaction(
          Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0, KafkaSink.MARKER_METADATA)),
          new ConsumerGroupMetadata(sink.transactionalId(split)));
      producer.commitTransaction();
      inTransaction = false;
    } catch (RuntimeException e) {
      throw KafkaClients.failure("cannot commit the transaction of split " + split, e);
    } finally {
      closeProducer();
    }
  }

  private void closeProducer() {
    if (producer != null && sink.transactional()) {
      if (inTransaction) {
        try {
          producer.abortTransaction();
        } catch (RuntimeException e) {
          LOG.debug("Kafka: abort of split {}'s transaction failed: {}", split, e.toString());
        }
        inTransaction = false;
      }
      producer.close(Duration.ofSeconds(10));
      producer = null;
    }
  }

  @Override
  public void close() {
    closeProducer();
  }
}

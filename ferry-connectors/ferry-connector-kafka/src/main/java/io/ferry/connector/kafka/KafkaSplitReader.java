package io.ferry.connector.kafka;

import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.SplitReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one partition from an offset up to the split's end with a consumer of its own (assigned, no
 * group, nothing committed to Kafka: the offsets live in Ferry's checkpoint). Each batch's position
 * is the offset after its last record.
 */
final class KafkaSplitReader implements SplitReader {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSplitReader.class);
  private static final int POSITION_VERSION = 1;

  private final KafkaSource source;
  private final KafkaSplit split;
  private final Schema schema;
  private final TopicPartition partition;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final RowCodec codec;
  private final int batchSize;

  /** Per column: the metadata field it reads (an index into METADATA_NAMES), or -1. */
  private final int[] metadata;

  /** Per column: its place among the value's own columns, or -1. */
  private final int[] valueIndex;

  private final int valueWidth;
  private Iterator<ConsumerRecord<byte[], byte[]>> pending = java.util.Collections.emptyIterator();

  /** The offset of the next record to hand out. */
  private long next;

  private long tombstones;

  private static final List<String> METADATA_NAMES =
      List.of("_topic", "_partition", "_offset", "_timestamp", "_key");

  KafkaSplitReader(KafkaSource source, KafkaSplit split, long from) {
    this.source = source;
    this.split = split;
    this.schema = source.schema();
    this.partition = split.topicPartition();
    this.batchSize = source.options().get(KafkaOptions.SOURCE_BATCH_SIZE);
    this.codec =
        new RowCodec(
            source.options().get(KafkaOptions.FORMAT),
            source.options().get(KafkaOptions.CSV_DELIMITER));
    this.metadata = new int[schema.size()];
    this.valueIndex = new int[schema.size()];
    int width = 0;
    for (int c = 0; c < schema.size(); c++) {
      metadata[c] = METADATA_NAMES.indexOf(schema.column(c).name());
      valueIndex[c] = metadata[c] < 0 ? width++ : -1;
    }
    this.valueWidth = width;
    this.next = from;
    this.consumer = source.consumer("reader-" + split.id());
    if (next < split.end()) {
      try {
        consumer.assign(List.of(partition));
        consumer.seek(partition, next);
      } catch (RuntimeException e) {
        consumer.close(Duration.ZERO);
        throw KafkaClients.failure("cannot read " + where(), e);
      }
    }
  }

  static long offsetOf(Position position) {
    if (position.version() != POSITION_VERSION) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "a Kafka position of version " + position.version() + " (this connector reads 1)");
    }
    return new Codec.Reader(position.bytes()).readLong();
  }

  private static Position position(long offset) {
    return new Position(
        POSITION_VERSION, new Codec.Writer().writeLong(offset).toByteArray(), "offset " + offset);
  }

  private String where() {
    return "topic " + split.topic() + " partition " + split.partition();
  }

  @Override
  public RowBatch next() {
    if (next >= split.end()) {
      if (tombstones > 0) {
        LOG.info("{}: skipped {} records with a null value (tombstones)", where(), tombstones);
        tombstones = 0;
      }
      return null;
    }
    RowBatch batch = new RowBatch(schema.size(), Math.min(batchSize, 4096));
    long waitingSince = System.nanoTime();
    while (batch.size() < batchSize && next < split.end()) {
      if (!pending.hasNext()) {
        if (batch.size() > 0) {
          break; // hand over what is there rather than wait
        }
        long before = next;
        poll();
        if (next == before && !pending.hasNext()) {
          if (System.nanoTime() - waitingSince > source.pollTimeout().toNanos()) {
            throw new FerryException(
                KafkaClients.KAFKA_UNAVAILABLE,
                where()
                    + ": no record between offset "
                    + next
                    + " and "
                    + split.end()
                    + " arrived within "
                    + source.pollTimeout().toSeconds()
                    + " s");
          }
        } else {
          waitingSince = System.nanoTime();
        }
        continue;
      }
      ConsumerRecord<byte[], byte[]> record = pending.next();
      if (record.offset() < next) {
        continue;
      }
      if (record.offset() >= split.end()) {
        next = split.end();
        break;
      }
      next = record.offset() + 1;
      add(record, batch);
    }
    return batch.position(position(next));
  }

  private void poll() {
    try {
      var records = consumer.poll(Duration.ofMillis(500)).records(partition);
      pending = records.iterator();
      if (records.isEmpty()) {
        // Under read_committed, aborted records and transaction markers move the position
        // without a record to hand out.
        long position = consumer.position(partition, Duration.ofSeconds(10));
        next = Math.max(next, Math.min(position, split.end()));
      }
    } catch (OffsetOutOfRangeException e) {
      throw new FerryException(
          KafkaClients.OFFSET_OUT_OF_RANGE,
          where()
              + ": offset "
              + next
              + " is no longer there (deleted by retention or compaction of the log start);"
              + " rerun the job to read from the partition's current start",
          e);
    } catch (FerryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw KafkaClients.failure("cannot read " + where() + " at offset " + next, e);
    }
  }

  private void add(ConsumerRecord<byte[], byte[]> record, RowBatch batch) {
    if (record.value() == null) {
      tombstones++;
      return;
    }
    Object[] row = new Object[schema.size()];
    try {
      RowCodec.Decoded value = valueWidth == 0 ? null : codec.decode(record.value(), valueWidth);
      for (int c = 0; c < row.length; c++) {
        Column column = schema.column(c);
        row[c] =
            metadata[c] >= 0
                ? metadataValue(metadata[c], record)
                : value.get(column, valueIndex[c]);
      }
    } catch (RowCodec.BadValue e) {
      Map<String, Object> raw = new LinkedHashMap<>();
      raw.put("_raw", new String(record.value(), StandardCharsets.UTF_8));
      source
          .context()
          .dirtyRows()
          .accept(
              new DirtyRow(
                  "topic "
                      + record.topic()
                      + " partition "
                      + record.partition()
                      + " offset "
                      + record.offset(),
                  raw,
                  e.column,
                  e.value,
                  (e.column == null ? "" : "column " + e.column + ": ") + e.getMessage()));
      return;
    }
    batch.addRow(row);
  }

  private static Object metadataValue(int field, ConsumerRecord<byte[], byte[]> record) {
    return switch (field) {
      case 0 -> record.topic();
      case 1 -> record.partition();
      case 2 -> record.offset();
      case 3 -> OffsetDateTime.ofInstant(Instant.ofEpochMilli(record.timestamp()), ZoneOffset.UTC);
      default -> record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    };
  }

  @Override
  public void close() {
    // Nothing to commit or leave (no group): a fetch still waiting at the log's end is dropped.
    consumer.close(Duration.ZERO);
  }
}

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
import java.util.ArrayList;
import java.util.HashMap;
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
 * Reads the partitions of one split, each from an offset up to its end, with a consumer of its own
 * (assigned, no group, nothing committed to Kafka: the offsets live in Ferry's checkpoint). Each
 * batch's position is the offset after the last record handed out, per partition of the split.
 *
 * <p>A continuous split has no end: when no record arrives within a poll, {@link #next()} hands out
 * an empty batch at the same position, so that the engine can flush, checkpoint or stop, and asks
 * the brokers for the consumer's position, which fails (and the engine retries) when none answers.
 */
final class KafkaSplitReader implements SplitReader {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSplitReader.class);

  /** 1: the offset of a one-partition split. 2: the number of partitions, then each's offset. */
  private static final int POSITION_VERSION = 2;

  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaSource source;
  private final KafkaSplit split;
  private final List<KafkaSplit.Part> parts;
  private final Schema schema;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final RowCodec codec;
  private final int batchSize;

  /** Per column: the metadata field it reads (an index into METADATA_NAMES), or -1. */
  private final int[] metadata;

  /** Per column: its place among the value's own columns, or -1. */
  private final int[] valueIndex;

  private final int valueWidth;

  /** Per part: the offset of the next record to hand out. */
  private final long[] next;

  /** The split's partitions, and their parts' places. */
  private final Map<TopicPartition, Integer> partIndex = new HashMap<>();

  private Iterator<ConsumerRecord<byte[], byte[]>> pending = java.util.Collections.emptyIterator();

  private long tombstones;

  private static final List<String> METADATA_NAMES =
      List.of("_topic", "_partition", "_offset", "_timestamp", "_key");

  /**
   * @param from per part of the split, the offset of the first record to read
   */
  KafkaSplitReader(KafkaSource source, KafkaSplit split, long[] from) {
    this.source = source;
    this.split = split;
    this.parts = split.parts();
    this.schema = source.schema();
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
    this.next = from.clone();
    for (int i = 0; i < parts.size(); i++) {
      partIndex.put(parts.get(i).topicPartition(), i);
    }
    this.consumer = source.consumer("reader-" + split.id());
    List<TopicPartition> open = openPartitions();
    if (!open.isEmpty()) {
      try {
        consumer.assign(open);
        for (TopicPartition tp : open) {
          consumer.seek(tp, next[partIndex.get(tp)]);
        }
      } catch (RuntimeException e) {
        consumer.close(Duration.ZERO);
        throw KafkaClients.failure("cannot read " + where(), e);
      }
    }
  }

  /** The partitions with records left to read. */
  private List<TopicPartition> openPartitions() {
    List<TopicPartition> open = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      if (next[i] < parts.get(i).end()) {
        open.add(parts.get(i).topicPartition());
      }
    }
    return open;
  }

  /**
   * The offsets a position holds, one per part of {@code split}; the split's starts for none.
   *
   * @throws FerryException {@link ErrorCode#STATE_INCOMPATIBLE} for a position of another shape
   */
  static long[] offsetsOf(KafkaSplit split, Position position) {
    int size = split.parts().size();
    long[] offsets = new long[size];
    if (position == null) {
      for (int i = 0; i < size; i++) {
        offsets[i] = split.parts().get(i).start();
      }
      return offsets;
    }
    Codec.Reader in = new Codec.Reader(position.bytes());
    if (position.version() == 1 && size == 1) {
      offsets[0] = in.readLong();
      return offsets;
    }
    if (position.version() != POSITION_VERSION || in.readInt() != size) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "a Kafka position of version "
              + position.version()
              + " that does not fit split "
              + split.id()
              + " (this connector reads versions 1 and 2)");
    }
    for (int i = 0; i < size; i++) {
      offsets[i] = in.readLong();
    }
    return offsets;
  }

  private Position position() {
    Codec.Writer out = new Codec.Writer().writeInt(next.length);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < next.length; i++) {
      out.writeLong(next[i]);
      if (i > 0) {
        text.append(", ");
      }
      text.append(
          parts.size() == 1 ? "offset " : "partition " + parts.get(i).partition() + " offset ");
      text.append(next[i]);
    }
    return new Position(POSITION_VERSION, out.toByteArray(), text.toString());
  }

  private String where() {
    return "topic "
        + parts.stream()
            .map(p -> p.topic() + " partition " + p.partition())
            .collect(java.util.stream.Collectors.joining(", "));
  }

  private boolean done() {
    for (int i = 0; i < next.length; i++) {
      if (next[i] < parts.get(i).end()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public RowBatch next() {
    if (done()) {
      if (tombstones > 0) {
        LOG.info("{}: skipped {} records with a null value (tombstones)", where(), tombstones);
        tombstones = 0;
      }
      return null;
    }
    RowBatch batch = new RowBatch(schema.size(), Math.min(batchSize, 4096));
    long waitingSince = System.nanoTime();
    while (batch.size() < batchSize && !done()) {
      if (!pending.hasNext()) {
        if (batch.size() > 0) {
          break; // hand over what is there rather than wait
        }
        long before = sum(next);
        poll();
        if (sum(next) == before && !pending.hasNext()) {
          if (split.estimatedRows().isEmpty()) {
            break; // a continuous read: nothing new for now
          }
          if (System.nanoTime() - waitingSince > source.pollTimeout().toNanos()) {
            throw new FerryException(
                KafkaClients.KAFKA_UNAVAILABLE,
                where()
                    + ": no record between "
                    + position().description()
                    + " and the planned end arrived within "
                    + source.pollTimeout().toSeconds()
                    + " s");
          }
        } else {
          waitingSince = System.nanoTime();
        }
        continue;
      }
      ConsumerRecord<byte[], byte[]> record = pending.next();
      Integer i = partIndex.get(new TopicPartition(record.topic(), record.partition()));
      if (i == null || record.offset() < next[i]) {
        continue;
      }
      KafkaSplit.Part part = parts.get(i);
      if (record.offset() >= part.end()) {
        finish(i);
        continue;
      }
      next[i] = record.offset() + 1;
      add(record, batch);
      if (next[i] >= part.end()) {
        finish(i);
      }
    }
    return batch.position(position());
  }

  private static long sum(long[] offsets) {
    long sum = 0;
    for (long o : offsets) {
      sum += o;
    }
    return sum;
  }

  /** Part {@code i} is read to its end: its partition is fetched no more. */
  private void finish(int i) {
    next[i] = parts.get(i).end();
    List<TopicPartition> open = openPartitions();
    if (!open.isEmpty()) {
      consumer.assign(open); // keeps the positions of the partitions still assigned
    }
  }

  private void poll() {
    try {
      var records = consumer.poll(POLL);
      List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(records.count());
      records.forEach(all::add);
      pending = all.iterator();
      if (records.isEmpty()) {
        // Under read_committed, aborted records and transaction markers move the position
        // without a record to hand out; asking also tells whether a broker answers.
        for (TopicPartition tp : consumer.assignment()) {
          int i = partIndex.get(tp);
          long position = consumer.position(tp, Duration.ofSeconds(10));
          next[i] = Math.max(next[i], Math.min(position, parts.get(i).end()));
        }
      }
    } catch (OffsetOutOfRangeException e) {
      throw new FerryException(
          KafkaClients.OFFSET_OUT_OF_RANGE,
          where()
              + ": "
              + position().description()
              + " is no longer there (deleted by retention or compaction of the log start);"
              + " rerun the job to read from the partition's current start",
          e);
    } catch (FerryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw KafkaClients.failure("cannot read " + where() + " at " + position().description(), e);
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

package io.ferry.connector.kafka;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * Records of one or more partitions, each from a start offset (inclusive) to an end offset
 * (exclusive), taken when the run planned so that a resumed run reads the same ranges. A bounded
 * read has one partition per split, up to the end the partition had; a continuous read groups the
 * partitions into one split per channel, each without end ({@link Part#UNBOUNDED}).
 */
record KafkaSplit(List<Part> parts) implements Split {
  KafkaSplit {
    parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a split reads at least one partition");
    }
  }

  /**
   * @param end the offset after the last record to read, or {@link #UNBOUNDED}
   */
  record Part(String topic, int partition, long start, long end) {
    /** The end of a partition read continuously: never reached. */
    static final long UNBOUNDED = Long.MAX_VALUE;

    TopicPartition topicPartition() {
      return new TopicPartition(topic, partition);
    }

    boolean bounded() {
      return end != UNBOUNDED;
    }
  }

  /** A bounded split of one partition. */
  KafkaSplit(String topic, int partition, long start, long end) {
    this(List.of(new Part(topic, partition, start, end)));
  }

  /** {@code topic-partition}, joined by {@code +} for several. */
  @Override
  public String id() {
    return parts.stream()
        .map(p -> p.topic() + "-" + p.partition())
        .collect(Collectors.joining("+"));
  }

  /**
   * Offsets in the ranges: the records there, less compacted, aborted and control records; empty
   * for a continuous read.
   */
  @Override
  public OptionalLong estimatedRows() {
    long rows = 0;
    for (Part p : parts) {
      if (!p.bounded()) {
        return OptionalLong.empty();
      }
      rows += p.end() - p.start();
    }
    return OptionalLong.of(rows);
  }

  /**
   * Version 2: the number of partitions, then topic, partition, start and end of each. Version 1
   * (one partition: topic, partition, start, end) is still read.
   */
  static final Codec<Split> CODEC =
      new Codec<>() {
        @Override
        public int version() {
          return 2;
        }

        @Override
        public byte[] encode(Split value) {
          KafkaSplit s = (KafkaSplit) value;
          Codec.Writer out = new Codec.Writer().writeInt(s.parts.size());
          for (Part p : s.parts) {
            out.writeString(p.topic())
                .writeInt(p.partition())
                .writeLong(p.start())
                .writeLong(p.end());
          }
          return out.toByteArray();
        }

        @Override
        public Split decode(int version, byte[] bytes) {
          Codec.Reader in = new Codec.Reader(bytes);
          if (version == 1) {
            return new KafkaSplit(in.readString(), in.readInt(), in.readLong(), in.readLong());
          }
          if (version != 2) {
            throw new FerryException(
                ErrorCode.STATE_INCOMPATIBLE,
                "a Kafka split of version " + version + " (this connector reads versions 1 and 2)");
          }
          int count = in.readInt();
          List<Part> parts = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            parts.add(new Part(in.readString(), in.readInt(), in.readLong(), in.readLong()));
          }
          return new KafkaSplit(parts);
        }
      };
}

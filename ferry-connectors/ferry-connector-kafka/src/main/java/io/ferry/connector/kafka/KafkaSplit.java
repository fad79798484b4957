package io.ferry.connector.kafka;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Split;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition's records from {@code start} (inclusive) to {@code end} (exclusive): the offsets
 * taken when the run planned, so a resumed run reads the same range.
 */
record KafkaSplit(String topic, int partition, long start, long end) implements Split {
  @Override
  public String id() {
    return topic + "-" + partition;
  }

  /** Offsets in the range: the records there, less compacted, aborted and control records. */
  @Override
  public OptionalLong estimatedRows() {
    return OptionalLong.of(end - start);
  }

  TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  /** Version 1: topic, partition, start, end. */
  static final Codec<Split> CODEC =
      new Codec<>() {
        @Override
        public int version() {
          return 1;
        }

        @Override
        public byte[] encode(Split value) {
          KafkaSplit s = (KafkaSplit) value;
          return new Codec.Writer()
              .writeString(s.topic)
              .writeInt(s.partition)
              .writeLong(s.start)
              .writeLong(s.end)
              .toByteArray();
        }

        @Override
        public Split decode(int version, byte[] bytes) {
          if (version != 1) {
            throw new FerryException(
                ErrorCode.STATE_INCOMPATIBLE,
                "a Kafka split of version " + version + " (this connector reads version 1)");
          }
          Codec.Reader in = new Codec.Reader(bytes);
          return new KafkaSplit(in.readString(), in.readInt(), in.readLong(), in.readLong());
        }
      };
}

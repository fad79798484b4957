package io.ferry.connector.kafka;

import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads topics. Bounded (the default): each partition is a split from the start the options choose
 * to the end offset the partition had when the run planned (the last stable offset under
 * read_committed). Continuous: the partitions, each from its start and without end, are shared out
 * into one split per channel. Positions are offsets, so a resumed run continues with exactly the
 * next record.
 */
final class KafkaSource implements io.ferry.spi.Source {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);

  /** The names that read a record's own fields instead of its value's. */
  static final Map<String, io.ferry.spi.DataType> METADATA =
      Map.of(
          "_topic", io.ferry.spi.DataType.STRING,
          "_partition", io.ferry.spi.DataType.INT32,
          "_offset", io.ferry.spi.DataType.INT64,
          "_timestamp", io.ferry.spi.DataType.TIMESTAMP_TZ,
          "_key", io.ferry.spi.DataType.STRING);

  private final Options options;
  private final ConnectorContext context;
  private final Schema schema;

  KafkaSource(Options options, ConnectorContext context) {
    this.options = options;
    this.context = context;
    List<OptionProblem> problems = new ArrayList<>();
    KafkaClients.checkConnection(options, problems);
    boolean topics = options.has(KafkaOptions.TOPICS);
    boolean pattern = options.has(KafkaOptions.TOPIC_PATTERN);
    if (topics == pattern) {
      problems.add(
          new OptionProblem(
              KafkaOptions.TOPICS.name(),
              topics
                  ? "give topics or topicPattern, not both"
                  : "give the topics to read, or a topicPattern"));
    }
    if (topics) {
      for (String topic : options.get(KafkaOptions.TOPICS)) {
        String problem = KafkaOptions.checkTopic(topic);
        if (problem != null) {
          problems.add(new OptionProblem(KafkaOptions.TOPICS.name(), problem));
        }
      }
    }
    KafkaOptions.StartFrom start = options.get(KafkaOptions.START_FROM);
    if ((start == KafkaOptions.StartFrom.TIMESTAMP) != options.has(KafkaOptions.START_TIMESTAMP)) {
      problems.add(
          new OptionProblem(
              KafkaOptions.START_TIMESTAMP.name(),
              start == KafkaOptions.StartFrom.TIMESTAMP
                  ? "startFrom timestamp needs startTimestamp (milliseconds since the epoch)"
                  : "applies to startFrom timestamp only"));
    }
    if ((start == KafkaOptions.StartFrom.OFFSETS) != options.has(KafkaOptions.START_OFFSETS)) {
      problems.add(
          new OptionProblem(
              KafkaOptions.START_OFFSETS.name(),
              start == KafkaOptions.StartFrom.OFFSETS
                  ? "startFrom offsets needs startOffsets, e.g. {\"orders:0\": 42}"
                  : "applies to startFrom offsets only"));
    }
    List<Column> columns = options.get(KafkaOptions.COLUMNS);
    for (Column c : columns) {
      io.ferry.spi.DataType meta = METADATA.get(c.name());
      if (meta != null && !meta.equals(c.type())) {
        problems.add(
            new OptionProblem(
                KafkaOptions.COLUMNS.name(),
                "column '" + c.name() + "' reads the record's own field and is of type " + meta));
      }
    }
    if (options.has(KafkaOptions.CSV_DELIMITER)
        && options.get(KafkaOptions.FORMAT) != ValueFormat.CSV) {
      problems.add(
          new OptionProblem(KafkaOptions.CSV_DELIMITER.name(), "applies to format csv only"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    this.schema = Schema.of(columns);
  }

  Options options() {
    return options;
  }

  ConnectorContext context() {
    return context;
  }

  KafkaConsumer<byte[], byte[]> consumer(String purpose) {
    Properties p = KafkaClients.common(options, "ferry-" + context.jobName() + "-" + purpose);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        options.get(KafkaOptions.READ_COMMITTED) ? "read_committed" : "read_uncommitted");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, options.get(KafkaOptions.SOURCE_BATCH_SIZE));
    // A bounded read knows where it ends: a fetch need not wait long at the end of a log. A
    // continuous one waits there for new records, up to the reader's poll.
    p.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, continuous() ? "400" : "100");
    return KafkaClients.create(() -> new KafkaConsumer<>(p));
  }

  @Override
  public List<OptionProblem> check() {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("check")) {
      List<OptionProblem> problems = new ArrayList<>();
      Map<String, List<PartitionInfo>> all = consumer.listTopics();
      if (options.has(KafkaOptions.TOPICS)) {
        for (String topic : options.get(KafkaOptions.TOPICS)) {
          if (!all.containsKey(topic)) {
            problems.add(
                new OptionProblem(
                    KafkaOptions.TOPICS.name(),
                    "there is no topic '" + topic + "' on " + servers()));
          }
        }
      } else if (topics(all).isEmpty()) {
        problems.add(
            new OptionProblem(
                KafkaOptions.TOPIC_PATTERN.name(),
                "no topic on "
                    + servers()
                    + " matches '"
                    + options.get(KafkaOptions.TOPIC_PATTERN)
                    + "'"));
      }
      return problems;
    } catch (RuntimeException e) {
      FerryException f = KafkaClients.failure("cannot reach the brokers " + servers(), e);
      return List.of(KafkaClients.connectionProblem(options, f).orElseThrow(() -> f));
    }
  }

  private String servers() {
    return String.join(",", options.get(KafkaOptions.BOOTSTRAP_SERVERS));
  }

  /** The topics to read, of those the cluster has, in name order. */
  private List<String> topics(Map<String, List<PartitionInfo>> all) {
    if (options.has(KafkaOptions.TOPICS)) {
      return options.get(KafkaOptions.TOPICS);
    }
    TreeSet<String> names = new TreeSet<>();
    for (String topic : all.keySet()) {
      if (!topic.startsWith("__")
          && options.get(KafkaOptions.TOPIC_PATTERN).matcher(topic).matches()) {
        names.add(topic);
      }
    }
    return List.copyOf(names);
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public SplitPlanner planner() {
    return this::plan;
  }

  boolean continuous() {
    return options.get(KafkaOptions.CONTINUOUS);
  }

  private List<Split> plan(int parallelism) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("planner")) {
      Map<String, List<PartitionInfo>> all = consumer.listTopics();
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics(all)) {
        List<PartitionInfo> infos = all.get(topic);
        if (infos == null) {
          throw FerryException.option(
              KafkaClients.TOPIC_NOT_FOUND,
              KafkaOptions.TOPICS.name(),
              "there is no topic '" + topic + "' on " + servers());
        }
        for (PartitionInfo info : infos) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
      partitions.sort(
          Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> start = startOffsets(consumer, partitions, begin, end);
      if (continuous()) {
        return continuousSplits(partitions, start, parallelism);
      }
      List<Split> splits = new ArrayList<>();
      long offsets = 0;
      for (TopicPartition tp : partitions) {
        long from = start.get(tp);
        long to = end.get(tp);
        if (from < to) {
          splits.add(new KafkaSplit(tp.topic(), tp.partition(), from, to));
          offsets += to - from;
        }
      }
      LOG.info(
          "Kafka: {} partitions, {} with records to read ({} offsets up to their current end)",
          partitions.size(),
          splits.size(),
          offsets);
      return splits;
    } catch (FerryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw KafkaClients.failure("cannot plan the read of " + servers(), e);
    }
  }

  /**
   * Every partition, from its start and without end, shared out round-robin into one split per
   * channel (fewer when there are fewer partitions): a continuous read never finishes a split, so
   * every partition must belong to a split some channel reads from the start.
   */
  private List<Split> continuousSplits(
      List<TopicPartition> partitions, Map<TopicPartition, Long> start, int parallelism) {
    int count = Math.max(1, Math.min(parallelism, partitions.size()));
    List<List<KafkaSplit.Part>> groups = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      groups.add(new ArrayList<>());
    }
    for (int i = 0; i < partitions.size(); i++) {
      TopicPartition tp = partitions.get(i);
      groups
          .get(i % count)
          .add(
              new KafkaSplit.Part(
                  tp.topic(), tp.partition(), start.get(tp), KafkaSplit.Part.UNBOUNDED));
    }
    List<Split> splits = new ArrayList<>();
    for (List<KafkaSplit.Part> group : groups) {
      if (!group.isEmpty()) {
        splits.add(new KafkaSplit(group));
      }
    }
    LOG.info(
        "Kafka: {} partitions read continuously by {} readers", partitions.size(), splits.size());
    return splits;
  }

  private Map<TopicPartition, Long> startOffsets(
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> begin,
      Map<TopicPartition, Long> end) {
    Map<TopicPartition, Long> start = new HashMap<>();
    switch (options.get(KafkaOptions.START_FROM)) {
      case EARLIEST -> start.putAll(begin);
      case LATEST -> start.putAll(end);
      case TIMESTAMP -> {
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition tp : partitions) {
          query.put(tp, options.get(KafkaOptions.START_TIMESTAMP));
        }
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        for (TopicPartition tp : partitions) {
          OffsetAndTimestamp at = found.get(tp);
          start.put(tp, at == null ? end.get(tp) : at.offset());
        }
      }
      case OFFSETS -> {
        start.putAll(begin);
        Map<String, Long> given = options.get(KafkaOptions.START_OFFSETS);
        for (Map.Entry<String, Long> e : given.entrySet()) {
          int colon = e.getKey().lastIndexOf(':');
          TopicPartition tp =
              new TopicPartition(
                  e.getKey().substring(0, colon),
                  Integer.parseInt(e.getKey().substring(colon + 1)));
          if (!begin.containsKey(tp)) {
            throw FerryException.option(
                ErrorCode.OPTION_INVALID,
                KafkaOptions.START_OFFSETS.name(),
                "'" + e.getKey() + "' is not a partition of the topics read");
          }
          long offset = e.getValue();
          if (offset < begin.get(tp) || offset > end.get(tp)) {
            throw FerryException.option(
                KafkaClients.OFFSET_OUT_OF_RANGE,
                KafkaOptions.START_OFFSETS.name(),
                "offset "
                    + offset
                    + " of '"
                    + e.getKey()
                    + "' is outside the partition's records, offsets "
                    + begin.get(tp)
                    + " to "
                    + end.get(tp));
          }
          start.put(tp, offset);
        }
      }
    }
    return start;
  }

  @Override
  public Codec<Split> splitCodec() {
    return KafkaSplit.CODEC;
  }

  @Override
  public SplitReader openReader(Split split, Position after) {
    KafkaSplit s = (KafkaSplit) split;
    return new KafkaSplitReader(this, s, KafkaSplitReader.offsetsOf(s, after));
  }

  @Override
  public OptionalLong estimatedRows() {
    return OptionalLong.empty();
  }

  Duration pollTimeout() {
    return options.get(KafkaOptions.POLL_TIMEOUT);
  }
}

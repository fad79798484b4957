package io.ferry.connector.kafka;

import io.ferry.spi.ChangeWriter;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows to a topic as JSON or csv values keyed by the row's key, with an idempotent producer.
 *
 * <p>Transactional ({@code transactional: true}): each split is written in one transaction of a
 * producer whose transactional id names the run, the topic and the split, committed by {@link
 * SinkWriter#endSplit}. The commit also stores, in the same transaction, a marker (an offset of a
 * consumer group named like the transactional id), so a split committed just before a kill -9 and
 * before the engine's checkpoint is recognised on resume and not written twice. Opening a split's
 * producer again ({@code initTransactions}) aborts what an interrupted attempt left open.
 */
final class KafkaSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
  static final String MARKER_METADATA = "ferry: split committed";

  private final Options options;
  private final ConnectorContext context;
  private final String topic;
  private Admin admin;
  private KafkaProducer<byte[], byte[]> shared;
  private Schema schema;
  private int[] keyIndexes;

  KafkaSink(Options options, ConnectorContext context) {
    this.options = options;
    this.context = context;
    this.topic = options.get(KafkaOptions.TOPIC);
    List<OptionProblem> problems = new ArrayList<>();
    KafkaClients.checkConnection(options, problems);
    if (options.has(KafkaOptions.CSV_DELIMITER)
        && options.get(KafkaOptions.FORMAT) != ValueFormat.CSV) {
      problems.add(
          new OptionProblem(KafkaOptions.CSV_DELIMITER.name(), "applies to format csv only"));
    }
    if (options.has(KafkaOptions.TRANSACTION_TIMEOUT) && !transactional()) {
      problems.add(
          new OptionProblem(
              KafkaOptions.TRANSACTION_TIMEOUT.name(), "applies to transactional: true only"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
  }

  boolean transactional() {
    return options.get(KafkaOptions.TRANSACTIONAL);
  }

  String topic() {
    return topic;
  }

  Options options() {
    return options;
  }

  ConnectorContext context() {
    return context;
  }

  synchronized Admin admin() {
    if (admin == null) {
      Properties p = KafkaClients.common(options, "ferry-" + context.jobName() + "-admin");
      admin = KafkaClients.create(() -> Admin.create(p));
    }
    return admin;
  }

  @Override
  public List<OptionProblem> check() {
    try {
      admin().describeCluster().clusterId().get();
      boolean exists = admin().listTopics().names().get().contains(topic);
      if (!exists && !options.get(KafkaOptions.CREATE_TOPIC)) {
        return List.of(
            new OptionProblem(
                KafkaOptions.TOPIC.name(),
                "there is no topic '" + topic + "' and createTopic is false"));
      }
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted", e);
    } catch (ExecutionException | RuntimeException e) {
      FerryException f = KafkaClients.failure("cannot reach the brokers", e);
      return List.of(KafkaClients.connectionProblem(options, f).orElseThrow(() -> f));
    }
  }

  @Override
  public void prepare(Schema schema) {
    this.schema = schema;
    List<String> keys =
        options.has(KafkaOptions.KEY_COLUMNS)
            ? options.get(KafkaOptions.KEY_COLUMNS)
            : schema.key();
    if (options.get(KafkaOptions.ENVELOPE) == KafkaOptions.Envelope.DEBEZIUM && keys.isEmpty()) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          KafkaOptions.KEY_COLUMNS.name(),
          "envelope debezium needs the key columns: the source has no key, so name them");
    }
    keyIndexes = new int[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      keyIndexes[i] = schema.indexOf(keys.get(i));
      if (keyIndexes[i] < 0) {
        throw FerryException.option(
            ErrorCode.OPTION_INVALID,
            KafkaOptions.KEY_COLUMNS.name(),
            "'"
                + keys.get(i)
                + "' is not a column of the rows written; they have "
                + schema.names());
      }
    }
    ensureTopic();
  }

  Schema schema() {
    return schema;
  }

  int[] keyIndexes() {
    return keyIndexes;
  }

  void ensureTopic() {
    try {
      if (admin().listTopics().names().get().contains(topic)) {
        return;
      }
      if (!options.get(KafkaOptions.CREATE_TOPIC)) {
        throw FerryException.option(
            KafkaClients.TOPIC_NOT_FOUND,
            KafkaOptions.TOPIC.name(),
            "there is no topic '" + topic + "' and createTopic is false");
      }
      int replicas = options.get(KafkaOptions.REPLICATION_FACTOR);
      NewTopic newTopic =
          new NewTopic(
              topic,
              Optional.of(options.get(KafkaOptions.PARTITIONS)),
              replicas < 0 ? Optional.empty() : Optional.of((short) replicas));
      try {
        admin().createTopics(List.of(newTopic)).all().get();
        awaitLeaders(admin(), topic, options.get(KafkaOptions.REQUEST_TIMEOUT));
        LOG.info(
            "Kafka: created topic {} with {} partitions",
            topic,
            options.get(KafkaOptions.PARTITIONS));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted", e);
    } catch (ExecutionException | RuntimeException e) {
      throw KafkaClients.failure("cannot create topic '" + topic + "'", e);
    }
  }

  /**
   * Waits until every partition of a new topic has a leader: an idempotent producer whose first
   * batch meets a partition without one can see a later batch accepted first.
   */
  static void awaitLeaders(Admin admin, String topic, Duration timeout)
      throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        if (description.partitions().stream()
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause()
            instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new FerryException(
            KafkaClients.KAFKA_UNAVAILABLE,
            "topic "
                + topic
                + " was created, but not all its partitions have a leader after "
                + timeout.toSeconds()
                + " s");
      }
      Thread.sleep(50);
    }
  }

  @Override
  public SinkResume resumeModel() {
    if (transactional()) {
      return SinkResume.wholeSplit(this::prepare, this::discardSplit);
    }
    // Rows are keyed: a consumer that keeps the latest record per key (a compacted topic, a
    // table loaded by key) sees what a resumed run writes again after its checkpoint as the
    // same rows. The log itself holds them twice: at least once.
    return SinkResume.byKeyRange(this::prepare, range -> {});
  }

  /** The transactional id of one split's producer, and the name of its commit marker's group. */
  String transactionalId(int split) {
    return "ferry-" + context.runKey() + "-" + topic + "-" + split;
  }

  /** Aborts what an interrupted attempt left open in the split's transaction. */
  private void discardSplit(int split) {
    try (KafkaProducer<byte[], byte[]> producer = producer(transactionalId(split))) {
      producer.initTransactions();
    } catch (RuntimeException e) {
      throw KafkaClients.failure("cannot abort the open transaction of split " + split, e);
    }
  }

  /** Whether an earlier attempt committed the split's transaction (its marker is there). */
  boolean committedEarlier(int split) {
    String group = transactionalId(split);
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin()
              .listConsumerGroupOffsets(Map.of(group, new ListConsumerGroupOffsetsSpec()))
              .partitionsToOffsetAndMetadata(group)
              .get();
      return offsets.values().stream()
          .anyMatch(o -> o != null && MARKER_METADATA.equals(o.metadata()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted", e);
    } catch (ExecutionException | RuntimeException e) {
      throw KafkaClients.failure("cannot read the commit marker of split " + split, e);
    }
  }

  KafkaProducer<byte[], byte[]> producer(String transactionalId) {
    Properties p =
        KafkaClients.common(
            options,
            "ferry-"
                + context.jobName()
                + (transactionalId == null ? "" : "-" + transactionalId.hashCode()));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(
        ProducerConfig.COMPRESSION_TYPE_CONFIG,
        options.get(KafkaOptions.COMPRESSION).name().toLowerCase(Locale.ROOT));
    p.put(
        ProducerConfig.BATCH_SIZE_CONFIG,
        (int) (long) options.get(KafkaOptions.PRODUCER_BATCH_SIZE));
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
    if (transactionalId != null) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      p.put(
          ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
          (int) options.get(KafkaOptions.TRANSACTION_TIMEOUT).toMillis());
    }
    return KafkaClients.create(() -> new KafkaProducer<>(p));
  }

  /** The producer the writers of a sink without transactions share (it is thread-safe). */
  synchronized KafkaProducer<byte[], byte[]> sharedProducer() {
    if (shared == null) {
      shared = producer(null);
    }
    return shared;
  }

  /** The largest record the producer sends, from max.request.size (default 1 MB). */
  int maxRecordBytes() {
    Map<String, String> extra = options.get(KafkaOptions.PROPERTIES);
    String size = extra == null ? null : extra.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    try {
      return size == null ? 1 << 20 : Integer.parseInt(size.trim());
    } catch (NumberFormatException e) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          KafkaOptions.PROPERTIES.name(),
          "max.request.size must be a whole number of bytes, not '" + size + "'");
    }
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    return new KafkaSinkWriter(this);
  }

  @Override
  public boolean appliesChanges() {
    return true;
  }

  @Override
  public ChangeWriter changeWriter(ChangeWriter.Target target) {
    ensureTopic();
    return new KafkaChangeWriter(this, target);
  }

  /** Removes the commit markers of the run's splits: the run is complete. */
  @Override
  public void commit() {
    if (!transactional()) {
      return;
    }
    String prefix = "ferry-" + context.runKey() + "-" + topic + "-";
    try {
      List<String> groups = new ArrayList<>();
      for (GroupListing g : admin().listGroups().all().get()) {
        if (g.groupId().startsWith(prefix)) {
          groups.add(g.groupId());
        }
      }
      if (!groups.isEmpty()) {
        admin().deleteConsumerGroups(groups).all().get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      // The markers expire with offsets.retention.minutes; the rows are committed either way.
      LOG.warn(
          "Kafka: the commit markers of run {} stay until they expire: {}",
          context.runKey(),
          e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (shared != null) {
      shared.close(Duration.ofSeconds(30));
      shared = null;
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(10));
      admin = null;
    }
  }
}

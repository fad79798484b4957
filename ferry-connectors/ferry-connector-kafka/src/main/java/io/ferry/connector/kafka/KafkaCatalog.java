package io.ferry.connector.kafka;

import io.ferry.spi.Catalog;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topics as tables (no schemas): each with the columns every record has (_topic, _partition,
 * _offset, _timestamp, _key, and the value as bytes), its partitions in the comment (leader,
 * replicas, first and end offset each) and the records between those offsets as the row estimate.
 * Internal topics (names starting with {@code __}) are left out.
 */
final class KafkaCatalog implements Catalog {
  private final Admin admin;

  KafkaCatalog(Options options) {
    this.admin =
        KafkaClients.create(() -> Admin.create(KafkaClients.common(options, "ferry-catalog")));
  }

  @Override
  public List<String> schemas() {
    return List.of();
  }

  @Override
  public List<TableRef> tables(String schema) {
    List<TableRef> tables = new ArrayList<>();
    for (String name : new TreeSet<>(get(admin.listTopics().names(), "list the topics"))) {
      if (!name.startsWith("__")) {
        tables.add(new TableRef(null, name));
      }
    }
    return tables;
  }

  @Override
  public TableInfo table(TableRef table) {
    TopicDescription topic;
    try {
      topic = admin.describeTopics(List.of(table.name())).allTopicNames().get().get(table.name());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new FerryException(ErrorCode.NOT_FOUND, "there is no topic '" + table.name() + "'");
      }
      throw KafkaClients.failure("cannot describe topic " + table.name(), e);
    }
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicPartitionInfo p : topic.partitions()) {
      TopicPartition tp = new TopicPartition(table.name(), p.partition());
      earliest.put(tp, OffsetSpec.earliest());
      latest.put(tp, OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> first =
        get(admin.listOffsets(earliest).all(), "list the offsets of " + table.name());
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
        get(admin.listOffsets(latest).all(), "list the offsets of " + table.name());
    long records = 0;
    StringBuilder comment = new StringBuilder();
    comment.append(topic.partitions().size()).append(" partitions");
    for (TopicPartitionInfo p : topic.partitions()) {
      TopicPartition tp = new TopicPartition(table.name(), p.partition());
      long from = first.get(tp).offset();
      long to = end.get(tp).offset();
      records += to - from;
      comment
          .append("; partition ")
          .append(p.partition())
          .append(": leader ")
          .append(p.leader() == null ? "none" : String.valueOf(p.leader().id()))
          .append(", ")
          .append(p.replicas().size())
          .append(" replicas, ")
          .append(p.isr().size())
          .append(" in sync, offsets ")
          .append(from)
          .append(" to ")
          .append(to);
    }
    List<ColumnInfo> columns =
        List.of(
            column("_topic", "string", DataType.STRING),
            column("_partition", "int32", DataType.INT32),
            column("_offset", "int64", DataType.INT64),
            column("_timestamp", "timestamp (ms)", DataType.TIMESTAMP_TZ),
            column("_key", "bytes", DataType.STRING),
            column("value", "bytes", DataType.BYTES));
    return new TableInfo(
        table,
        columns,
        List.of("_partition", "_offset"),
        OptionalLong.of(records),
        comment.toString());
  }

  private static ColumnInfo column(String name, String nativeType, DataType type) {
    return new ColumnInfo(
        name,
        nativeType,
        type,
        !name.equals("_partition")
            && !name.equals("_offset")
            && !name.equals("_topic")
            && !name.equals("_timestamp"),
        null,
        null);
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted", e);
    } catch (ExecutionException e) {
      throw KafkaClients.failure("cannot " + what, e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(10));
  }
}

package io.ferry.connector.kafka;

import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Column;
import io.ferry.spi.FerryException;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a cdc run's changes as Debezium change events keyed by the row's key (an object of the key
 * columns, as Debezium's JSON converter writes it without schemas), in log order: one key, one
 * partition, so consumers see each key's changes in order. A delete is op d, followed by a
 * tombstone (the key with a null value) when {@code tombstones} is on. A key change is a delete of
 * the old key (and its tombstone) and a create of the new one, as Debezium writes it.
 *
 * <p>{@link #flush()} returns once the brokers acknowledged every event (acks=all, idempotent
 * producer). After a crash the run re-applies what followed its last checkpoint: those events are
 * in the topic twice, and a consumer applying them by key ends in the same state (at least once).
 */
final class KafkaChangeWriter implements ChangeWriter {
  private final KafkaSink sink;
  private final Target target;
  private final Envelopes envelopes;
  private final boolean tombstones;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  KafkaChangeWriter(KafkaSink sink, Target target) {
    this.sink = sink;
    this.target = target;
    this.envelopes = new Envelopes(sink.context().jobName());
    this.tombstones = sink.options().get(KafkaOptions.TOMBSTONES);
    this.producer = sink.sharedProducer();
  }

  @Override
  public void apply(List<ChangeEvent.RowChange> changes) {
    rethrow();
    for (ChangeEvent.RowChange change : changes) {
      Schema schema = change.schema();
      byte[] beforeKey = change.before() == null ? null : key(schema, change.before());
      byte[] afterKey = change.after() == null ? null : key(schema, change.after());
      if (change.kind() == ChangeEvent.Kind.UPDATE
          && beforeKey != null
          && !java.util.Arrays.equals(beforeKey, afterKey)) {
        send(beforeKey, event("d", change, change.before(), null));
        if (tombstones) {
          send(beforeKey, null);
        }
        send(afterKey, event("c", change, null, change.after()));
        continue;
      }
      byte[] key = afterKey != null ? afterKey : beforeKey;
      send(key, event(Envelopes.op(change.kind()), change, change.before(), change.after()));
      if (change.kind() == ChangeEvent.Kind.DELETE && tombstones) {
        send(key, null);
      }
    }
  }

  private byte[] event(String op, ChangeEvent.RowChange change, Object[] before, Object[] after) {
    return envelopes.value(
        op, change.table(), change.schema(), before, after, change.committedAt(), false);
  }

  private byte[] key(Schema schema, Object[] row) {
    com.fasterxml.jackson.databind.node.ObjectNode key =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true).objectNode();
    for (String name : target.keys()) {
      int index = schema.indexOf(name);
      if (index < 0) {
        throw new FerryException(
            KafkaClients.KEY_MISSING,
            "the changes of " + target.table() + " have no key column '" + name + "'");
      }
      Column column = schema.column(index);
      key.set(name, io.ferry.connector.support.JsonValues.toNode(row[index], column.type()));
    }
    try {
      return io.ferry.connector.support.JsonValues.mapper().writeValueAsBytes(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void send(byte[] key, byte[] value) {
    try {
      producer.send(
          new ProducerRecord<>(sink.topic(), key, value),
          (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
    } catch (RuntimeException e) {
      throw KafkaClients.failure("cannot send to topic " + sink.topic(), e);
    }
  }

  private void rethrow() {
    Exception e = failure.get();
    if (e != null) {
      throw KafkaClients.failure("writing to topic " + sink.topic() + " failed", e);
    }
  }

  @Override
  public SchemaFit schemaChanged(ChangeEvent.SchemaChange change, boolean apply) {
    // Each event names its own columns: a new shape needs nothing of the topic.
    return SchemaFit.yes();
  }

  @Override
  public void flush() {
    try {
      producer.flush();
    } catch (RuntimeException e) {
      throw KafkaClients.failure("cannot flush to topic " + sink.topic(), e);
    }
    rethrow();
  }

  @Override
  public void close() {}
}

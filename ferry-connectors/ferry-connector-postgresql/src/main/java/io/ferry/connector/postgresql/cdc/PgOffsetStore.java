package io.ferry.connector.postgresql.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.Callback;

/**
 * Kafka Connect's offset store on top of Ferry's checkpoint: it starts with the entries of the
 * {@link io.ferry.spi.Position} the reader was opened at (Debezium reads its start offset from it),
 * and afterwards holds what Debezium commits — only what Ferry committed, since {@link
 * PgChangeReader} marks nothing else processed. Nothing is written to disk: the checkpoint is the
 * only copy.
 *
 * <p>The engine creates the store by class name with no arguments; {@link #register} gives the
 * reader a key, passed as {@code offset.storage.file.filename} (a setting the engine hands to
 * {@link #configure} and no other store here reads), under which the store finds its start entries.
 */
public final class PgOffsetStore implements OffsetBackingStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a reader gives its store: the start entries. */
  record Binding(Map<ByteBuffer, ByteBuffer> start) {}

  private static final Map<String, Binding> BINDINGS = new ConcurrentHashMap<>();

  private final Map<ByteBuffer, ByteBuffer> data = new ConcurrentHashMap<>();

  /** Registers a reader's binding; the key goes into {@code offset.storage.file.filename}. */
  static String register(Binding binding) {
    String key = "ferry-checkpoint:" + UUID.randomUUID();
    BINDINGS.put(key, binding);
    return key;
  }

  static void unregister(String key) {
    BINDINGS.remove(key);
  }

  @Override
  public void configure(WorkerConfig config) {
    String key = config.getString("offset.storage.file.filename");
    Binding binding = key == null ? null : BINDINGS.get(key);
    if (binding == null) {
      throw new IllegalStateException(
          "PgOffsetStore is Ferry's: it runs only inside a Ferry PostgreSQL change reader");
    }
    data.putAll(binding.start());
  }

  @Override
  public void start() {}

  @Override
  public void stop() {}

  @Override
  public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
    Map<ByteBuffer, ByteBuffer> out = new HashMap<>();
    for (ByteBuffer key : keys) {
      ByteBuffer value = data.get(key);
      if (value == null) {
        value = sameJson(key);
      }
      out.put(key, value);
    }
    return CompletableFuture.completedFuture(out);
  }

  /** The value of a stored key that spells the same JSON differently (spacing, key order). */
  private ByteBuffer sameJson(ByteBuffer key) {
    try {
      var wanted = JSON.readTree(PgLogOffsets.bytes(key));
      for (Map.Entry<ByteBuffer, ByteBuffer> e : data.entrySet()) {
        if (JSON.readTree(PgLogOffsets.bytes(e.getKey())).equals(wanted)) {
          return e.getValue();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  @Override
  public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
    data.putAll(values);
    if (callback != null) {
      callback.onCompletion(null, null);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Set<Map<String, Object>> connectorPartitions(String connectorName) {
    return Set.of(Map.of("server", PgLogOffsets.SERVER));
  }
}

package io.ferry.connector.postgresql.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.engine.spi.OffsetCommitPolicy;
import io.ferry.spi.Catalog;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Reads a PostgreSQL replication slot through Debezium's embedded engine, which runs on its own
 * thread and hands records to {@link #handleBatch}; they cross to {@link #poll} through a bounded
 * queue ({@value #QUEUE} events): when Ferry does not keep up, Debezium's thread waits, its own
 * bounded queue fills, and it stops reading the slot — a transaction of a million rows never sits
 * in memory.
 *
 * <p><b>Offsets.</b> Every record carries Debezium's offset; {@link #position()} is the offset of
 * the last record {@link #poll} returned or passed over (heartbeats, logical messages, changes of
 * columns the run does not see), encoded as the offset store's entries ({@link PgLogOffsets}).
 * Debezium itself is told of nothing until Ferry calls {@link #committed}: then, on Debezium's
 * thread (the engine's committer is not thread-safe), that offset is marked processed and committed
 * to the {@link PgOffsetStore}, and Debezium flushes its LSN to the slot ({@code
 * confirmed_flush_lsn}). A slot therefore never releases WAL that Ferry's sink has not flushed.
 * Heartbeats (every {@code heartbeatInterval}, also a logical message written into the log, so that
 * a slot whose tables see no writes moves with the server's WAL) keep Debezium's thread calling
 * back when no change arrives, so commits reach the slot on an idle server too.
 */
final class PgChangeReader implements ChangeSource.ChangeReader {
  /** Debezium's engine stopped without an error while the run still reads (a retry reopens it). */
  static final ErrorCode STOPPED = ErrorCode.external("postgresql.cdc.stopped", true);

  /** Reading the slot failed for a reason other than a lost position (a retry reopens it). */
  static final ErrorCode STREAM_FAILED = ErrorCode.external("postgresql.cdc.stream", true);

  static final int QUEUE = 4096;
  private static final int MAX_POLL = 2048;
  private static final String HEARTBEAT_PREFIX = "ferry-heartbeat";

  /** One record for {@link #poll}: an event, or only a newer position (event null). */
  private record Item(ChangeEvent event, Position position) {}

  /** A captured table as the log describes it now. */
  private record TableState(
      io.ferry.spi.Schema schema, List<String> names, boolean identityFull, Schema rowSchema) {}

  private final PgChangeSource source;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicReference<Map<String, Object>> pendingCommit = new AtomicReference<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Map<Catalog.TableRef, TableState> tables = new HashMap<>();
  private final ExecutorService thread;
  private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
  private final String storeKey;
  private volatile boolean closing;
  private volatile boolean stopped;
  private Catalog catalog;
  private RecordChangeEvent<SourceRecord> lastRecord;
  private Position position;

  PgChangeReader(PgChangeSource source, Position after) {
    this.source = source;
    this.position = after;
    this.storeKey = PgOffsetStore.register(new PgOffsetStore.Binding(PgLogOffsets.entries(after)));
    // Debezium finds its engine, the connector and PgOffsetStore by name through the context
    // class loader: the connector's own (its folder in a distribution), not the caller's.
    ClassLoader connectorLoader = PgChangeReader.class.getClassLoader();
    Thread current = Thread.currentThread();
    ClassLoader callerLoader = current.getContextClassLoader();
    current.setContextClassLoader(connectorLoader);
    try {
      this.engine =
          DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
              .using(properties())
              .using(connectorLoader)
              .using(OffsetCommitPolicy.always())
              .using(
                  (success, message, error) -> {
                    if (!closing && (error != null || !success)) {
                      failure.compareAndSet(
                          null, error != null ? error : new IllegalStateException(message));
                    }
                    stopped = true;
                  })
              .notifying(this::handleBatch)
              .build();
    } finally {
      current.setContextClassLoader(callerLoader);
    }
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-pg-cdc-" + source.slot());
              t.setDaemon(true);
              t.setContextClassLoader(connectorLoader);
              return t;
            });
    thread.execute(engine);
  }

  private Properties properties() {
    Properties p = new Properties();
    p.setProperty("name", PgLogOffsets.ENGINE);
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("offset.storage", PgOffsetStore.class.getName());
    p.setProperty("offset.storage.file.filename", storeKey);
    p.setProperty("offset.flush.timeout.ms", "10000");
    p.setProperty("topic.prefix", PgLogOffsets.SERVER);
    p.setProperty("database.hostname", source.host());
    p.setProperty("database.port", String.valueOf(source.port()));
    p.setProperty("database.user", source.user());
    if (source.password() != null) {
      p.setProperty("database.password", source.password());
    }
    p.setProperty("database.dbname", source.database());
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", source.slot());
    p.setProperty("publication.name", source.publication());
    // Ferry created the publication and the slot (PgChangeSource.currentPosition).
    p.setProperty("publication.autocreate.mode", "disabled");
    p.setProperty("slot.drop.on.stop", "false");
    // Ferry snapshots with its batch source.
    p.setProperty("snapshot.mode", "no_data");
    p.setProperty(
        "table.include.list",
        String.join(
            ",",
            source.tables().stream()
                .map(t -> Pattern.quote(t.schema() + "." + t.name()))
                .toList()));
    // Lose nothing: the values PgLogValues turns into the batch source's Ferry values.
    p.setProperty("decimal.handling.mode", "string");
    p.setProperty("time.precision.mode", "adaptive_time_microseconds");
    p.setProperty("binary.handling.mode", "bytes");
    p.setProperty("interval.handling.mode", "string");
    p.setProperty("hstore.handling.mode", "json");
    p.setProperty("include.unknown.datatypes", "true");
    p.setProperty("unavailable.value.placeholder", PgLogValues.UNCHANGED_TOAST);
    p.setProperty("tombstones.on.delete", "false");
    p.setProperty("heartbeat.interval.ms", String.valueOf(source.heartbeatMillis()));
    // A logical message is WAL the slot decodes: the offset moves with the server's WAL even
    // when no captured table changes (uncaptured tables taking every write).
    p.setProperty(
        "heartbeat.action.query",
        "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_PREFIX + "', now()::text)");
    p.setProperty("message.prefix.include.list", HEARTBEAT_PREFIX);
    p.setProperty("max.batch.size", "1024");
    p.setProperty("max.queue.size", "2048");
    p.setProperty("errors.max.retries", "0");
    p.setProperty("status.update.interval.ms", "1000");
    return p;
  }

  // ---- Debezium's thread ----

  private void handleBatch(
      List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    for (RecordChangeEvent<SourceRecord> r : records) {
      lastRecord = r;
      for (Item item : convert(r.record())) {
        while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
          if (closing) {
            return;
          }
          applyCommit(committer);
        }
      }
    }
    applyCommit(committer);
  }

  /** Lets Debezium commit (and flush to the slot) what Ferry committed. */
  private void applyCommit(
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    Map<String, Object> offset = pendingCommit.getAndSet(null);
    if (offset == null || lastRecord == null) {
      return;
    }
    DebeziumEngine.Offsets offsets = committer.buildOffsets();
    offset.forEach(offsets::set);
    committer.markProcessed(lastRecord, offsets);
    committer.markBatchFinished();
  }

  private List<Item> convert(SourceRecord record) {
    Position at = PgLogOffsets.position(record.sourceOffset());
    if (!(record.value() instanceof Struct value)
        || value.schema().field("op") == null
        || value.schema().field("source") == null) {
      return List.of(new Item(null, at)); // heartbeat
    }
    String op = value.getString("op");
    if (!op.equals("c") && !op.equals("u") && !op.equals("d") && !op.equals("r")) {
      return List.of(new Item(null, at)); // logical message, truncate
    }
    Struct sourceInfo = value.getStruct("source");
    Catalog.TableRef table =
        new Catalog.TableRef(sourceInfo.getString("schema"), sourceInfo.getString("table"));
    Instant committedAt = commitTime(sourceInfo);
    Schema rowSchema = value.schema().field(op.equals("d") ? "before" : "after").schema();
    List<Item> out = new ArrayList<>(2);
    TableState state = tables.get(table);
    if (state == null || state.rowSchema() != rowSchema) {
      // First row of the table, or Debezium rebuilt its schema from a relation message.
      List<String> names = rowSchema.fields().stream().map(Field::name).toList();
      TableState fresh = describe(table, rowSchema, names, record.keySchema());
      if (state != null && !fresh.schema().equals(state.schema())) {
        out.add(
            new Item(
                new ChangeEvent.SchemaChange(
                    table, state.schema(), fresh.schema(), null, at, committedAt),
                at));
      }
      tables.put(table, fresh);
      state = fresh;
    }
    Struct before = value.getStruct("before");
    Struct after = value.getStruct("after");
    ChangeEvent.Kind kind =
        switch (op) {
          case "u" -> ChangeEvent.Kind.UPDATE;
          case "d" -> ChangeEvent.Kind.DELETE;
          default -> ChangeEvent.Kind.INSERT;
        };
    Object[] afterRow = after == null ? null : row(after, state, false);
    Object[] beforeRow;
    if (before != null) {
      beforeRow = row(before, state, !state.identityFull());
    } else if (kind == ChangeEvent.Kind.UPDATE) {
      // REPLICA IDENTITY DEFAULT sends no old row when the key did not change: the key is the new
      // one.
      beforeRow = keyOnly(afterRow, state.schema());
    } else {
      beforeRow = null;
    }
    out.add(
        new Item(
            new ChangeEvent.RowChange(
                kind, table, state.schema(), beforeRow, afterRow, at, committedAt),
            at));
    return out;
  }

  private static Instant commitTime(Struct sourceInfo) {
    Field micros = sourceInfo.schema().field("ts_us");
    if (micros != null && sourceInfo.get(micros) != null) {
      long us = sourceInfo.getInt64("ts_us");
      return Instant.ofEpochSecond(
          Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000);
    }
    return Instant.ofEpochMilli(sourceInfo.getInt64("ts_ms"));
  }

  private Object[] row(Struct struct, TableState state, boolean keyOnly) {
    io.ferry.spi.Schema schema = state.schema();
    Object[] row = new Object[schema.size()];
    for (int i = 0; i < row.length; i++) {
      Column column = schema.column(i);
      if (keyOnly && !schema.key().contains(column.name())) {
        continue;
      }
      Field field = struct.schema().field(column.name());
      if (field == null) {
        continue;
      }
      try {
        row[i] = PgLogValues.toFerry(struct.get(field), field.schema(), column.type());
      } catch (RuntimeException e) {
        throw new FerryException(
            ErrorCode.CONVERSION,
            "column " + column.name() + " (" + column.type() + ") from the log: " + e.getMessage(),
            e);
      }
    }
    return row;
  }

  private static Object[] keyOnly(Object[] after, io.ferry.spi.Schema schema) {
    Object[] row = new Object[schema.size()];
    for (String k : schema.key()) {
      int i = schema.indexOf(k);
      row[i] = after[i];
    }
    return row;
  }

  /**
   * The table's columns as the log has them now, each with the batch source's Ferry type (from the
   * connector's catalog), the key, and whether before images are full.
   */
  private TableState describe(
      Catalog.TableRef table, Schema rowSchema, List<String> names, Schema keySchema) {
    if (catalog == null) {
      catalog = source.catalog();
    }
    io.ferry.spi.Schema current;
    try {
      current = source.schema(catalog, table);
    } catch (RuntimeException e) {
      current = null; // dropped since: the log's own types
    }
    List<Column> columns = new ArrayList<>(names.size());
    for (Field f : rowSchema.fields()) {
      int i = current == null ? -1 : current.indexOf(f.name());
      columns.add(
          i >= 0
              ? current.column(i)
              : new Column(f.name(), fallbackType(f.schema()), f.schema().isOptional()));
    }
    List<String> key = new ArrayList<>();
    if (current != null) {
      for (String k : current.key()) {
        if (names.contains(k)) {
          key.add(k);
        }
      }
    }
    if (key.isEmpty() && keySchema != null && keySchema.type() == Schema.Type.STRUCT) {
      // No primary key: the replica identity index Debezium keys the records with.
      keySchema.fields().forEach(f -> key.add(f.name()));
    }
    io.ferry.spi.Schema schema = io.ferry.spi.Schema.of(columns).withKey(key);
    return new TableState(schema, names, identityFull(table), rowSchema);
  }

  private static DataType fallbackType(Schema s) {
    return switch (s.type()) {
      case BOOLEAN -> DataType.BOOLEAN;
      case INT8, INT16 -> DataType.INT16;
      case INT32 -> DataType.INT32;
      case INT64 -> DataType.INT64;
      case FLOAT32 -> DataType.FLOAT32;
      case FLOAT64 -> DataType.FLOAT64;
      case BYTES -> DataType.BYTES;
      default -> DataType.STRING;
    };
  }

  private boolean identityFull(Catalog.TableRef table) {
    try (Connection c = source.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid ="
                    + " c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "f".equals(rs.getString(1));
      }
    } catch (SQLException e) {
      return false;
    }
  }

  // ---- Ferry's thread ----

  @Override
  public List<ChangeEvent> poll(Duration timeout) {
    List<Item> items = new ArrayList<>();
    try {
      Item first = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (first != null) {
        items.add(first);
        queue.drainTo(items, MAX_POLL - 1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
    if (items.isEmpty()) {
      Throwable error = failure.get();
      if (error != null) {
        throw failed(error);
      }
      if (stopped && !closing) {
        throw new FerryException(
            STOPPED, "Debezium's engine stopped reading the slot " + source.slot());
      }
    }
    List<ChangeEvent> events = new ArrayList<>(items.size());
    for (Item item : items) {
      position = item.position();
      if (item.event() != null) {
        events.add(item.event());
      }
    }
    return events;
  }

  private FerryException failed(Throwable error) {
    String text = messages(error);
    if (text.contains("does not exist") && text.contains("slot")
        || text.contains("replication slot") && text.contains("dropped")) {
      return new FerryException(
          PgChangeSource.POSITION_LOST,
          "the replication slot "
              + source.slot()
              + " is gone: the changes after "
              + position
              + " cannot be read. Recover with a new snapshot (startup: initial): "
              + text,
          error);
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof FerryException f) {
        return f;
      }
    }
    return new FerryException(
        STREAM_FAILED, "reading the replication slot " + source.slot() + " failed: " + text, error);
  }

  private static String messages(Throwable error) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = error; t != null && sb.length() < 2000; t = t.getCause()) {
      if (t.getMessage() != null) {
        sb.append(sb.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return sb.toString();
  }

  @Override
  public Position position() {
    return position;
  }

  @Override
  public void committed(Position committed) {
    Map<String, Object> offset = PgLogOffsets.offset(committed);
    if (!offset.isEmpty()) {
      pendingCommit.set(new HashMap<>(offset));
    }
  }

  @Override
  public void close() {
    closing = true;
    // Debezium refuses to stop while its task starts (it would leak the replication connection and
    // leave the slot active for the next reader): wait for the start, at most 30 s.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!stopped) {
      try {
        engine.close();
        break;
      } catch (IllegalStateException e) {
        if (!e.getMessage().contains("starting") || System.nanoTime() > deadline) {
          break; // already stopping or stopped
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      } catch (IOException | RuntimeException e) {
        break;
      }
    }
    thread.shutdownNow();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    PgOffsetStore.unregister(storeKey);
    if (catalog != null) {
      catalog.close();
    }
  }
}

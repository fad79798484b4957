package io.ferry.connector.mysql;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one server's binlog from a {@link BinlogPosition}. The binlog client runs on its own thread
 * and hands converted events to {@link #poll} through a bounded queue: when the run falls behind,
 * the client thread blocks, the server's sends block with it, and memory stays flat whatever the
 * size of a transaction (the server streams a transaction's row events, each a few KB).
 *
 * <p>Positions: every row is counted within its event group (a transaction, or a standalone
 * statement); a row change's position is the group's start and the number of rows of the group up
 * to and including it, so a reader opened there skips exactly those. At the group's end (XID,
 * COMMIT, a DDL statement) the position moves to the next group's start. {@link #position()}
 * follows what poll returned, including group ends of tables not captured, never what is still
 * queued.
 */
final class BinlogReader implements ChangeSource.ChangeReader {
  private static final Logger LOG = LoggerFactory.getLogger(BinlogReader.class);

  /** Events queued between the client thread and poll. */
  static final int QUEUE = 4096;

  /** About this many bytes of values queued at most (one bigger row passes alone). */
  static final long MAX_QUEUED_BYTES = 64L << 20;

  /** At most this many events per poll. */
  static final int MAX_EVENTS = 2048;

  /** About this many bytes of values per poll. */
  static final long MAX_BYTES = 4L << 20;

  /**
   * How long without any event (the server sends heartbeats) before the connection counts as lost.
   */
  static final Duration STALE = Duration.ofSeconds(60);

  /** The group end (or another point between groups) the reader reached. */
  private record Mark(BinlogPosition position) {}

  /** The client thread's failure, handed to poll in order. */
  private record Failure(RuntimeException error) {}

  private final MySqlChangeSource source;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
  private final BinaryLogClient client;
  private final Thread thread;
  private final BinlogPosition start;
  private final Map<TableRef, BinlogValues.Table> tables = new HashMap<>();

  /** The table maps of the log read so far, by table id (the deserializer fills it). */
  private final Map<Long, TableMapEventData> tableMaps =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, TableMapEventData> eldest) {
          return size() > 10_000;
        }
      };

  private volatile boolean closed;
  private volatile long lastEventNanos = System.nanoTime();
  private volatile RuntimeException failure;

  // ---- the client thread's state ----
  private String file;
  private long fileStamp;
  private boolean firstFormat = true;
  private boolean inGroup;
  private boolean sawBegin;
  private long groupStart;
  private long rowsInGroup;
  private long skip;
  private boolean positioned;
  private String lastMarkFile;
  private long lastMarkOffset;

  // ---- poll's state ----
  private BinlogPosition position;
  private Object pending;

  BinlogReader(MySqlChangeSource source, BinlogPosition start) {
    this.source = source;
    this.start = start;
    this.position = start;
    this.file = start.file();
    this.fileStamp = start.fileStamp();
    this.skip = start.rowsToSkip();
    this.positioned = start.file() != null;
    this.lastMarkFile = start.file();
    this.lastMarkOffset = start.offset();
    this.client =
        new BinaryLogClient(source.host(), source.port(), source.user(), source.password());
    client.setServerId(source.serverId());
    client.setKeepAlive(false);
    client.setHeartbeatInterval(10_000);
    client.setConnectTimeout(10_000);
    client.setEventDeserializer(BinlogRows.deserializer(tableMaps));
    if (start.file() != null) {
      client.setBinlogFilename(start.file());
      client.setBinlogPosition(start.offset());
    } else {
      // MariaDB GTID: the server starts after that transaction; file names come with ROTATE.
      client.setGtidSet(start.gtid());
      client.setBinlogFilename("");
    }
    client.registerEventListener(this::onEvent);
    client.registerLifecycleListener(
        new BinaryLogClient.AbstractLifecycleListener() {
          @Override
          public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            fail(translate(ex));
          }

          @Override
          public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
            // The client would skip the event: a silent gap. Stop instead.
            fail(
                new FerryException(
                    ErrorCode.INTERNAL,
                    "cannot decode a binlog event after " + describeHere() + ": " + ex.getMessage(),
                    ex));
            disconnectQuietly();
          }
        });
    this.thread =
        new Thread(
            () -> {
              try {
                client.connect();
              } catch (IOException | RuntimeException e) {
                fail(translate(e));
              }
              if (!closed && failure == null) {
                fail(
                    new FerryException(
                        MySqlChangeSource.BINLOG_CONNECTION,
                        "the binlog connection to "
                            + source.host()
                            + ":"
                            + source.port()
                            + " ended"));
              }
            },
            "ferry-binlog-" + source.context().jobName());
    thread.setDaemon(true);
    thread.start();
  }

  private String describeHere() {
    return file + ":" + groupStart;
  }

  private RuntimeException translate(Exception e) {
    if (e instanceof FerryException f) {
      return f;
    }
    if (e instanceof ServerException se && se.getErrorCode() == 1236) {
      return source.gone(start, se.getMessage());
    }
    return new FerryException(
        MySqlChangeSource.BINLOG_CONNECTION,
        "reading the binlog of "
            + source.host()
            + ":"
            + source.port()
            + " failed: "
            + e.getMessage()
            + "; reopening at the last position continues",
        e);
  }

  private void fail(RuntimeException e) {
    if (failure == null && !closed) {
      failure = e;
      offer(new Failure(e));
    }
  }

  private void disconnectQuietly() {
    try {
      client.disconnect();
    } catch (IOException | RuntimeException e) {
      LOG.debug("disconnecting the binlog client", e);
    }
  }

  /** Blocks while the queue is full (backpressure), until the reader closes. */
  private void offer(Object item) {
    long bytes = item instanceof ChangeEvent e ? size(e) : 0;
    try {
      synchronized (budget) {
        // A row bigger than the budget passes alone, once everything before it was taken.
        while (!closed && queuedBytes > 0 && queuedBytes + bytes > MAX_QUEUED_BYTES) {
          budget.wait(200);
        }
        queuedBytes += bytes;
      }
      while (!closed) {
        if (queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void taken(long bytes) {
    synchronized (budget) {
      queuedBytes -= bytes;
      budget.notifyAll();
    }
  }

  /** Guards {@link #queuedBytes}. */
  private final Object budget = new Object();

  /** The value bytes of the events queued and not yet polled. */
  private long queuedBytes;

  // ---- the client thread ----------------------------------------------------------------------

  private void onEvent(Event event) {
    if (closed || failure != null) {
      return;
    }
    lastEventNanos = System.nanoTime();
    try {
      handle(event);
    } catch (RuntimeException e) {
      // The client would log a listener's exception and go on: a silent gap. Stop instead.
      fail(
          e instanceof FerryException
              ? e
              : new FerryException(
                  ErrorCode.INTERNAL,
                  "reading the binlog at " + describeHere() + " failed: " + e,
                  e));
      disconnectQuietly();
    }
  }

  private void handle(Event event) {
    EventHeaderV4 header = event.getHeader();
    EventType type = header.getEventType();
    long next = header.getNextPosition();
    long at = next - header.getEventLength();
    Instant time = Instant.ofEpochMilli(header.getTimestamp());
    switch (type) {
      case ROTATE -> {
        RotateEventData r = event.getData();
        if (!r.getBinlogFilename().equals(file)) {
          // A new file: its creation time comes with its format description event.
          fileStamp = 0;
        }
        file = r.getBinlogFilename();
        if (!inGroup) {
          mark(BinlogPosition.at(file, r.getBinlogPosition(), 0));
        }
      }
      case FORMAT_DESCRIPTION -> {
        long stamp = header.getTimestamp() / 1000;
        if (firstFormat
            && start.file() != null
            && start.fileStamp() != 0
            && stamp != 0
            && stamp != start.fileStamp()) {
          throw source.gone(
              start,
              start.file()
                  + " is not the file of that position any more (created at another time): the"
                  + " log was reset");
        }
        firstFormat = false;
        if (stamp != 0) {
          fileStamp = stamp;
        }
      }
      case GTID, ANONYMOUS_GTID, MARIADB_GTID -> {
        positioned = true;
        inGroup = true;
        // MariaDB's GTID event is the transaction's BEGIN unless it flags a standalone
        // statement (DDL); MySQL's is followed by a BEGIN query for transactions.
        sawBegin =
            event.getData() instanceof MariadbGtidEventData g
                && (g.getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0;
        groupStart = at;
        rowsInGroup = 0;
      }
      case QUERY -> query(event.getData(), at, next, time);
      case XID -> endGroup(next);
      case WRITE_ROWS, EXT_WRITE_ROWS -> {
        WriteRowsEventData d = event.getData();
        beginImplicitGroup(at);
        for (Serializable[] row : d.getRows()) {
          row(
              d.getTableId(),
              ChangeEvent.Kind.INSERT,
              null,
              row,
              d.getIncludedColumns(),
              null,
              time);
        }
      }
      case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
        UpdateRowsEventData d = event.getData();
        beginImplicitGroup(at);
        for (Map.Entry<Serializable[], Serializable[]> row : d.getRows()) {
          row(
              d.getTableId(),
              ChangeEvent.Kind.UPDATE,
              row.getKey(),
              row.getValue(),
              d.getIncludedColumns(),
              d.getIncludedColumnsBeforeUpdate(),
              time);
        }
      }
      case DELETE_ROWS, EXT_DELETE_ROWS -> {
        DeleteRowsEventData d = event.getData();
        beginImplicitGroup(at);
        for (Serializable[] row : d.getRows()) {
          row(
              d.getTableId(),
              ChangeEvent.Kind.DELETE,
              row,
              null,
              null,
              d.getIncludedColumns(),
              time);
        }
      }
      case PRE_GA_WRITE_ROWS,
          PRE_GA_UPDATE_ROWS,
          PRE_GA_DELETE_ROWS,
          PARTIAL_UPDATE_ROWS_EVENT,
          TRANSACTION_PAYLOAD,
          INCIDENT,
          UNKNOWN ->
          // Rows Ferry cannot read (compressed transactions, partial JSON updates, events of a
          // newer server) or a gap the server itself reports: skipping them would lose changes.
          throw new FerryException(
              MySqlChangeSource.NOT_READY,
              "the binlog at "
                  + file
                  + ":"
                  + at
                  + " holds a "
                  + type
                  + " event, which Ferry cannot read without losing changes"
                  + (type == EventType.TRANSACTION_PAYLOAD
                      ? ": turn binlog_transaction_compression off"
                      : type == EventType.PARTIAL_UPDATE_ROWS_EVENT
                          ? ": set binlog_row_value_options to ''"
                          : type == EventType.INCIDENT
                              ? " (the server reports a gap in its log): re-snapshot"
                              : "; MariaDB: turn log_bin_compress off"));
      default -> {
        // TABLE_MAP (kept by the deserializer), heartbeats, checkpoints, GTID lists.
        if (!inGroup && next > 0 && file != null && type != EventType.TABLE_MAP) {
          mark(BinlogPosition.at(file, next, fileStamp));
        }
      }
    }
  }

  private void beginImplicitGroup(long at) {
    positioned = true;
    if (!inGroup) {
      inGroup = true;
      sawBegin = true;
      groupStart = at;
      rowsInGroup = 0;
    }
  }

  private void query(QueryEventData q, long at, long next, Instant time) {
    String sql = q.getSql().strip();
    String upper = sql.length() > 20 ? sql.substring(0, 20).toUpperCase() : sql.toUpperCase();
    positioned = true;
    if (upper.equals("BEGIN") || upper.startsWith("XA START")) {
      if (!inGroup) {
        inGroup = true;
        groupStart = at;
        rowsInGroup = 0;
      }
      sawBegin = true;
      return;
    }
    if (upper.startsWith("ROLLBACK TO")
        || upper.startsWith("SAVEPOINT")
        || upper.startsWith("RELEASE SAVEPOINT")) {
      return; // inside the transaction
    }
    if (upper.startsWith("COMMIT") || upper.startsWith("ROLLBACK") || upper.startsWith("XA ")) {
      endGroup(next);
      return;
    }
    boolean standalone = !sawBegin;
    if (standalone && !inGroup) {
      inGroup = true;
      groupStart = at;
    }
    BinlogPosition after = BinlogPosition.at(file, next, fileStamp);
    if (standalone && skip == 0) {
      for (BinlogDdl.Target t : BinlogDdl.targets(sql, q.getDatabase())) {
        schemaChange(t, sql, after, time);
      }
    }
    if (standalone) {
      endGroup(next);
    }
  }

  private void schemaChange(BinlogDdl.Target t, String sql, BinlogPosition after, Instant time) {
    TableRef ref = new TableRef(t.database(), t.table());
    boolean captured = source.captures(t.database(), t.table());
    tables.remove(ref);
    shapes.values().removeIf(shape -> shape.ref().equals(ref));
    BinlogValues.Table before = lastShape.remove(ref);
    if (!captured) {
      return;
    }
    BinlogValues.Table now = t.dropped() ? null : source.describe(ref);
    if (now != null) {
      tables.put(ref, now);
    }
    offer(
        new ChangeEvent.SchemaChange(
            ref,
            before == null ? null : before.schema(),
            now == null ? null : now.schema(),
            sql,
            after.toPosition(),
            time));
  }

  private void endGroup(long next) {
    inGroup = false;
    sawBegin = false;
    rowsInGroup = 0;
    skip = 0;
    mark(BinlogPosition.at(file, next, fileStamp));
  }

  /**
   * Hands a position between groups to poll. Only forward: the format description event the server
   * sends first when reading starts mid-file carries an offset near the file's start; and a reader
   * started at a GTID knows no file offset until its first group begins.
   */
  private void mark(BinlogPosition p) {
    if (p.file() == null || !positioned) {
      return;
    }
    if (p.file().equals(lastMarkFile) && p.offset() <= lastMarkOffset) {
      return;
    }
    lastMarkFile = p.file();
    lastMarkOffset = p.offset();
    offer(new Mark(p));
  }

  private void row(
      long tableId,
      ChangeEvent.Kind kind,
      Serializable[] beforeRaw,
      Serializable[] afterRaw,
      BitSet afterColumns,
      BitSet beforeColumns,
      Instant time) {
    rowsInGroup++;
    if (rowsInGroup <= skip) {
      return;
    }
    TableMapEventData map = tableMaps.get(tableId);
    if (map == null || !source.captures(map.getDatabase(), map.getTable())) {
      return;
    }
    TableRef ref = new TableRef(map.getDatabase(), map.getTable());
    BinlogValues.Table table = table(ref, map);
    BinlogPosition p = new BinlogPosition(file, groupStart, rowsInGroup, null, fileStamp);
    Object[] before;
    Object[] after;
    try {
      before = beforeRaw == null ? null : values(table, beforeRaw, beforeColumns, null);
      after =
          afterRaw == null ? null : values(table, afterRaw, afterColumns, ChangeEvent.UNCHANGED);
    } catch (DirtyValue d) {
      dirty(table, d, kind, p);
      return;
    }
    offer(
        new ChangeEvent.RowChange(kind, ref, table.schema(), before, after, p.toPosition(), time));
  }

  /** A value the batch source would send to the dirty-data store. */
  private static final class DirtyValue extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String column;
    final Object raw;
    final Object[] row;

    DirtyValue(String column, Object raw, Object[] row, IllegalArgumentException cause) {
      super(cause.getMessage(), cause, false, false);
      this.column = column;
      this.raw = raw;
      this.row = row;
    }
  }

  private void dirty(
      BinlogValues.Table table, DirtyValue d, ChangeEvent.Kind kind, BinlogPosition p) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < table.columns().size(); i++) {
      row.put(table.columns().get(i).name(), d.row[i]);
    }
    source
        .context()
        .dirtyRows()
        .accept(
            new DirtyRow(
                table.ref() + " " + kind.name().toLowerCase() + " at " + p,
                row,
                d.column,
                d.raw instanceof BinlogRows.ZeroDate z ? z.text() : d.raw,
                d.getMessage()));
  }

  private Object[] values(
      BinlogValues.Table table, Serializable[] raw, BitSet included, Object missing) {
    int n = table.columns().size();
    Object[] out = new Object[n];
    int j = 0;
    for (int i = 0; i < n; i++) {
      if (included != null && !included.get(i)) {
        out[i] = missing;
        continue;
      }
      Object v = raw[j++];
      BinlogValues.ColumnDef c = table.columns().get(i);
      try {
        out[i] = source.values().convert(c, v);
      } catch (IllegalArgumentException e) {
        out[i] = v;
        for (int k = i + 1, jj = j; k < n && jj < raw.length; k++, jj++) {
          out[k] = raw[jj];
        }
        throw new DirtyValue(c.name(), v, out, e);
      }
    }
    return out;
  }

  /**
   * The table as the row event's table map shows it. With FULL row metadata the map carries the
   * column names at this point of the log: each is read with the type the table's column of that
   * name has now (the catalog's, as the batch source reads it), so rows logged before a later ADD
   * or DROP COLUMN keep their own shape; a column the table no longer has is read with a type
   * derived from the log alone ({@link BinlogValues#fromLog}). Without names (row metadata not
   * FULL), the column count must match the table's.
   */
  private BinlogValues.Table table(TableRef ref, TableMapEventData map) {
    BinlogValues.Table shaped = shapes.get(map.getTableId());
    if (shaped != null && shaped.ref().equals(ref)) {
      lastShape.put(ref, shaped);
      return shaped;
    }
    BinlogValues.Table now = tables.get(ref);
    List<String> names = logNames(map);
    if (now == null || !fits(now, map, names)) {
      now = source.describe(ref);
      if (now != null) {
        tables.put(ref, now);
      }
    }
    if (now != null
        && fits(now, map, names)
        && (names == null || names.equals(now.schema().names()))) {
      shaped = now;
    } else if (names != null) {
      shaped = BinlogValues.project(ref, now, names, map);
    } else {
      throw new FerryException(
          ErrorCode.external("mysql.binlog-schema", false),
          "the binlog's rows of "
              + ref
              + " at "
              + describeHere()
              + " have "
              + map.getColumnTypes().length
              + " columns, but the table now has "
              + (now == null ? "none (dropped)" : now.schema().names())
              + ", and the log carries no column names to tell which is which: set"
              + " binlog_row_metadata=FULL on the server, and recover with a new snapshot"
              + " (startup: initial)");
    }
    shapes.put(map.getTableId(), shaped);
    lastShape.put(ref, shaped);
    return shaped;
  }

  /**
   * Each captured table's shape in the last row event read: a schema change's before image (null
   * when no row of the table was read since the reader opened).
   */
  private final Map<TableRef, BinlogValues.Table> lastShape = new HashMap<>();

  /** Shapes of the tables by table id (a new id follows every table definition change). */
  private final Map<Long, BinlogValues.Table> shapes =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, BinlogValues.Table> eldest) {
          return size() > 1_000;
        }
      };

  private static List<String> logNames(TableMapEventData map) {
    if (map.getEventMetadata() != null && map.getEventMetadata().getColumnNames() != null) {
      return map.getEventMetadata().getColumnNames();
    }
    return null;
  }

  private static boolean fits(BinlogValues.Table t, TableMapEventData map, List<String> names) {
    return names != null
        ? names.equals(t.schema().names())
        : map.getColumnTypes().length == t.columns().size();
  }

  // ---- poll's thread --------------------------------------------------------------------------

  @Override
  public List<ChangeEvent> poll(Duration timeout) {
    List<ChangeEvent> out = new ArrayList<>();
    long bytes = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (out.size() < MAX_EVENTS && bytes < MAX_BYTES) {
        Object item = pending != null ? pending : null;
        pending = null;
        if (item == null) {
          long left = out.isEmpty() ? deadline - System.nanoTime() : 0;
          item = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
        }
        if (item == null) {
          break;
        }
        if (item instanceof Failure f) {
          if (!out.isEmpty()) {
            pending = item;
            break;
          }
          // Every later poll fails the same way: the reader is done.
          pending = item;
          throw f.error();
        }
        if (item instanceof Mark m) {
          position = m.position();
          continue;
        }
        ChangeEvent e = (ChangeEvent) item;
        out.add(e);
        position = BinlogPosition.of(e.position());
        long size = size(e);
        taken(size);
        bytes += size;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (out.isEmpty()
        && failure == null
        && System.nanoTime() - lastEventNanos > STALE.toNanos()
        && client.isConnected()) {
      throw new FerryException(
          MySqlChangeSource.BINLOG_CONNECTION,
          "no binlog event nor heartbeat from "
              + source.host()
              + ":"
              + source.port()
              + " for "
              + STALE.toSeconds()
              + " s: the connection counts as lost");
    }
    return out;
  }

  private static long size(ChangeEvent e) {
    if (!(e instanceof ChangeEvent.RowChange r)) {
      return 256;
    }
    return 64 + size(r.before()) + size(r.after());
  }

  private static long size(Object[] row) {
    if (row == null) {
      return 0;
    }
    long n = 16L * row.length;
    for (Object v : row) {
      if (v instanceof byte[] b) {
        n += b.length;
      } else if (v instanceof String s) {
        n += 2L * s.length();
      }
    }
    return n;
  }

  @Override
  public Position position() {
    return position.toPosition();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    disconnectQuietly();
    queue.clear();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

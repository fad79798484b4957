package io.ferry.engine;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted store with a change log for the engine's cdc tests: source tables (id int64 key, name
 * string) kept in memory, every write appended to one log in commit order, a batch source that
 * reads a table by id ranges from the live rows (so changes made during the snapshot can land
 * before or after a split is read), a change source over the log, and a sink whose tables apply
 * changes by key and are written at once (a write past a checkpoint stays, as after a crash).
 */
public final class ChangeMemoryConnector implements Connector {
  static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING))
          .withKey(List.of("id"));

  static final Option<String> TABLE = Option.string("table").description("The table.").build();
  static final Option<List<String>> TABLES =
      Option.list("tables").description("Captured tables.").build();
  static final Option<Integer> SPLITS =
      Option.integer("splits").defaultValue(3).description("Splits.").build();
  static final Option<Boolean> NO_KEY =
      Option.bool("noKey").defaultValue(false).description("Tables report no key.").build();

  /** The source store: table → id → row. */
  static final Map<String, TreeMap<Long, Object[]>> SOURCE = new ConcurrentHashMap<>();

  /** The log, in commit order; a position is the number of events before it. */
  static final List<ChangeEvent> LOG = new CopyOnWriteArrayList<>();

  /** The target store: table → id → row (name, deleted flag). */
  static final Map<String, TreeMap<Long, Object[]>> TARGET = new ConcurrentHashMap<>();

  /** Runs after each batch the snapshot reads (changes made "during the snapshot"). */
  static volatile Runnable duringSnapshot = () -> {};

  /** Positions the run reported as committed. */
  static final List<Long> COMMITTED = new CopyOnWriteArrayList<>();

  /** Calls of a change writer's apply that fail as a lost connection would, before applying. */
  static final java.util.concurrent.atomic.AtomicInteger FAILING_APPLIES =
      new java.util.concurrent.atomic.AtomicInteger();

  static void reset() {
    SOURCE.clear();
    LOG.clear();
    TARGET.clear();
    COMMITTED.clear();
    FAILING_APPLIES.set(0);
    duringSnapshot = () -> {};
  }

  static Position position(long n) {
    return new Position(1, new Codec.Writer().writeLong(n).toByteArray(), "event " + n);
  }

  static long offset(Position p) {
    return new Codec.Reader(p.bytes()).readLong();
  }

  // ---- writes to the source, each logged as the store commits it ----------------------------

  static synchronized void insert(String table, long id, String name) {
    Object[] row = {id, name};
    SOURCE.computeIfAbsent(table, t -> new TreeMap<>()).put(id, row);
    log(ChangeEvent.Kind.INSERT, table, null, row);
  }

  static synchronized void update(String table, long id, String name) {
    Object[] before = SOURCE.get(table).get(id);
    Object[] after = {id, name};
    SOURCE.get(table).put(id, after);
    log(ChangeEvent.Kind.UPDATE, table, before, after);
  }

  /** An UPDATE of the key: the row moves from {@code id} to {@code newId}. */
  static synchronized void changeKey(String table, long id, long newId) {
    Object[] before = SOURCE.get(table).remove(id);
    Object[] after = {newId, before[1]};
    SOURCE.get(table).put(newId, after);
    log(ChangeEvent.Kind.UPDATE, table, before, after);
  }

  static synchronized void delete(String table, long id) {
    Object[] before = SOURCE.get(table).remove(id);
    log(ChangeEvent.Kind.DELETE, table, before, null);
  }

  static synchronized void alter(String table, Schema after, String ddl) {
    LOG.add(
        new ChangeEvent.SchemaChange(
            new TableRef("db", table),
            SCHEMA,
            after,
            ddl,
            position(LOG.size() + 1),
            Instant.now()));
  }

  private static void log(ChangeEvent.Kind kind, String table, Object[] before, Object[] after) {
    LOG.add(
        new RowChange(
            kind,
            new TableRef("db", table),
            SCHEMA,
            before,
            after,
            position(LOG.size() + 1),
            Instant.now()));
  }

  static synchronized Map<Long, String> sourceRows(String table) {
    Map<Long, String> rows = new TreeMap<>();
    SOURCE.getOrDefault(table, new TreeMap<>()).forEach((k, v) -> rows.put(k, (String) v[1]));
    return rows;
  }

  static Map<Long, String> targetRows(String table) {
    Map<Long, String> rows = new TreeMap<>();
    TreeMap<Long, Object[]> t = TARGET.get(table);
    if (t != null) {
      synchronized (t) {
        t.forEach(
            (k, v) -> {
              if (!Boolean.TRUE.equals(v[2])) {
                rows.put(k, (String) v[1]);
              }
            });
      }
    }
    return rows;
  }

  // ---- the connector ------------------------------------------------------------------------

  @Override
  public String name() {
    return "changemem";
  }

  @Override
  public String description() {
    return "In-memory tables with a change log, for the engine's cdc tests.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(
        Role.of(OptionSet.of(List.of(TABLE, SPLITS, NO_KEY)), (o, c) -> new TableSource(o)));
  }

  @Override
  public Optional<Role<ChangeSource>> changeSource() {
    return Optional.of(
        Role.of(OptionSet.of(List.of(TABLES, SPLITS, NO_KEY)), (o, c) -> new LogSource(o)));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(Role.of(OptionSet.of(List.of(TABLE)), (o, c) -> new TargetSink(o)));
  }

  record IdSplit(String id, long from, long to) implements Split {}

  static final class TableSource implements Source {
    private final String table;
    private final int splits;
    private final boolean noKey;

    TableSource(Options o) {
      this.table = o.get(TABLE).replaceFirst("^db\\.", "");
      this.splits = o.get(SPLITS);
      this.noKey = o.get(NO_KEY);
    }

    @Override
    public Schema schema() {
      return noKey ? Schema.of(SCHEMA.columns()) : SCHEMA;
    }

    @Override
    public SplitPlanner planner() {
      return parallelism -> {
        List<Split> list = new ArrayList<>();
        long width = 1000 / splits + 1;
        for (int i = 0; i < splits; i++) {
          list.add(new IdSplit("ids-" + i, i * width, (i + 1) * width));
        }
        return list;
      };
    }

    @Override
    public Codec<Split> splitCodec() {
      return new Codec<>() {
        @Override
        public int version() {
          return 1;
        }

        @Override
        public byte[] encode(Split split) {
          IdSplit s = (IdSplit) split;
          return new Codec.Writer()
              .writeString(s.id())
              .writeLong(s.from())
              .writeLong(s.to())
              .toByteArray();
        }

        @Override
        public Split decode(int version, byte[] bytes) {
          Codec.Reader r = new Codec.Reader(bytes);
          return new IdSplit(r.readString(), r.readLong(), r.readLong());
        }
      };
    }

    @Override
    public SplitReader openReader(Split split, Position after) {
      IdSplit s = (IdSplit) split;
      return new SplitReader() {
        long next = after == null ? s.from() : new Codec.Reader(after.bytes()).readLong();

        @Override
        public RowBatch next() {
          RowBatch batch = new RowBatch(2, 2);
          synchronized (ChangeMemoryConnector.class) {
            TreeMap<Long, Object[]> rows = SOURCE.getOrDefault(table, new TreeMap<>());
            for (Map.Entry<Long, Object[]> e : rows.subMap(next, true, s.to(), false).entrySet()) {
              if (batch.isFull()) {
                break;
              }
              batch.addRow(e.getValue().clone());
              next = e.getKey() + 1;
            }
          }
          if (batch.isEmpty()) {
            return null;
          }
          duringSnapshot.run();
          return batch.position(
              new Position(1, new Codec.Writer().writeLong(next).toByteArray(), "id " + next));
        }

        @Override
        public void close() {}
      };
    }
  }

  static final class LogSource implements ChangeSource {
    private final List<String> tables;
    private final boolean noKey;

    LogSource(Options o) {
      this.tables = o.get(TABLES);
      this.noKey = o.get(NO_KEY);
    }

    @Override
    public List<TableRef> tables() {
      return tables.stream().map(t -> new TableRef("db", t)).toList();
    }

    @Override
    public Position currentPosition() {
      return position(LOG.size());
    }

    @Override
    public Position startPosition() {
      return currentPosition();
    }

    @Override
    public ChangeReader open(Position after) {
      return new ChangeReader() {
        long next = offset(after);

        @Override
        public List<ChangeEvent> poll(Duration timeout) {
          List<ChangeEvent> events = new ArrayList<>();
          while (next < LOG.size() && events.size() < 7) {
            ChangeEvent e = LOG.get((int) next++);
            if (noKey && e instanceof RowChange c) {
              e =
                  new RowChange(
                      c.kind(),
                      c.table(),
                      Schema.of(SCHEMA.columns()),
                      c.before(),
                      c.after(),
                      c.position(),
                      c.committedAt());
            }
            events.add(e);
          }
          if (events.isEmpty()) {
            MemoryConnector.sleep(Math.min(20, timeout.toMillis()));
          }
          return events;
        }

        @Override
        public Position position() {
          return ChangeMemoryConnector.position(next);
        }

        @Override
        public void committed(Position position) {
          COMMITTED.add(offset(position));
        }

        @Override
        public void close() {}
      };
    }
  }

  static final class TargetSink implements Sink {
    private final String table;

    TargetSink(Options o) {
      this.table = o.get(TABLE);
    }

    private TreeMap<Long, Object[]> rows() {
      return TARGET.computeIfAbsent(table, t -> new TreeMap<>());
    }

    @Override
    public void prepare(Schema schema) {
      rows();
    }

    @Override
    public SinkResume resumeModel() {
      return SinkResume.byKeyRange(this::prepare, range -> {});
    }

    @Override
    public SinkWriter createWriter(int writerIndex) {
      TreeMap<Long, Object[]> rows = rows();
      return new SinkWriter() {
        @Override
        public void write(RowBatch batch) {
          synchronized (rows) {
            for (int r = 0; r < batch.size(); r++) {
              rows.put(
                  (Long) batch.get(r, 0), new Object[] {batch.get(r, 0), batch.get(r, 1), false});
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
    }

    @Override
    public boolean appliesChanges() {
      return true;
    }

    @Override
    public ChangeWriter changeWriter(ChangeWriter.Target target) {
      TreeMap<Long, Object[]> rows = rows();
      boolean soft = target.deleteMode() == ChangeWriter.DeleteMode.SOFT;
      return new ChangeWriter() {
        @Override
        public void apply(List<RowChange> changes) {
          if (FAILING_APPLIES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new io.ferry.spi.FerryException(
                io.ferry.spi.ErrorCode.CONNECTION, "the target connection was lost");
          }
          synchronized (rows) {
            for (RowChange c : changes) {
              if (c.kind() != ChangeEvent.Kind.INSERT) {
                long old = (Long) c.before()[0];
                if (c.kind() == ChangeEvent.Kind.DELETE || !c.before()[0].equals(c.after()[0])) {
                  if (soft) {
                    Object[] r = rows.get(old);
                    if (r != null) {
                      r[2] = true;
                    }
                  } else {
                    rows.remove(old);
                  }
                }
              }
              if (c.kind() != ChangeEvent.Kind.DELETE) {
                rows.put((Long) c.after()[0], new Object[] {c.after()[0], c.after()[1], false});
              }
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public SchemaFit schemaChanged(ChangeEvent.SchemaChange change, boolean apply) {
          return apply ? SchemaFit.yes() : SchemaFit.no("the target lacks the new columns");
        }

        @Override
        public void close() {}
      };
    }
  }
}

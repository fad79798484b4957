package io.ferry.engine;

import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Option;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import io.ferry.spi.Validator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connector for the engine's own tests: its source computes rows from their index (id int64, name
 * string, amount string holding a decimal, bad amounts where asked), its sink keeps rows in memory
 * with the flush / commit / abort life cycle of a real store.
 */
public final class MemoryConnector implements Connector {
  static final Schema SOURCE_SCHEMA =
      Schema.of(
          Column.of("id", DataType.INT64),
          Column.of("name", DataType.STRING),
          Column.of("amount", DataType.STRING));

  static final Option<Long> ROWS =
      Option.longInteger("rows").required().description("Rows the source emits.").build();
  static final Option<Integer> SPLITS =
      Option.integer("splits")
          .defaultValue(4)
          .validator(Validator.range(1, 1000))
          .description("Splits.")
          .build();
  static final Option<Integer> BATCH =
      Option.integer("batchSize").defaultValue(100).description("Rows per batch.").build();
  static final Option<Long> FAIL_AT =
      Option.longInteger("failAt")
          .description("Row index at which reading fails, while FAILURES_ARMED is set.")
          .build();
  static final Option<Integer> FAIL_TIMES =
      Option.integer("failTimes")
          .defaultValue(Integer.MAX_VALUE)
          .description("How often reading fails at failAt in one run attempt; then it reads on.")
          .build();
  static final Option<Boolean> FAIL_RETRIABLE =
      Option.bool("failRetriable")
          .defaultValue(true)
          .description("Whether the failure is a lost connection (retriable) or a bug.")
          .build();

  /** Failures happen only while this is set, so a test can resume the same job unharmed. */
  static final java.util.concurrent.atomic.AtomicBoolean FAILURES_ARMED =
      new java.util.concurrent.atomic.AtomicBoolean(true);

  static final Option<Long> BAD_EVERY =
      Option.longInteger("badAmountEvery")
          .description("Every n-th row gets an amount that is not a number.")
          .build();
  static final Option<Long> DIRTY_EVERY =
      Option.longInteger("dirtyEvery")
          .description("The source itself reports every n-th row as dirty.")
          .build();
  static final Option<Long> SLOW_MILLIS =
      Option.longInteger("slowMillis").defaultValue(0L).description("Pause per batch.").build();
  static final Option<String> TOKEN =
      Option.string("token").secret().description("A credential the source ignores.").build();
  static final Option<String> MISSING =
      Option.string("mustExist").description("Live check fails when this is 'nope'.").build();

  static final Option<String> TABLE =
      Option.string("table").required().description("Name of the in-memory table.").build();
  static final Option<Boolean> EAGER =
      Option.bool("eager")
          .defaultValue(false)
          .description(
              "Rows land at write time rather than at flush, as in a database committing each"
                  + " batch: an interrupted run leaves rows past its checkpoint.")
          .build();
  static final Option<Long> REJECT_EVERY =
      Option.longInteger("rejectEvery")
          .description(
              "The sink rejects every row whose first column (a number) is a multiple of n when it"
                  + " flushes, as a database refuses a duplicate key, and reports it dirty.")
          .build();
  static final Option<Long> WRITE_FAIL_AT =
      Option.longInteger("writeFailAt")
          .description(
              "Row id at which writing fails, while FAILURES_ARMED is set; the rows of the batch"
                  + " before it are written (and land, when eager).")
          .build();
  static final Option<Integer> WRITE_FAIL_TIMES =
      Option.integer("writeFailTimes")
          .defaultValue(Integer.MAX_VALUE)
          .description("How often writing fails at writeFailAt in one run attempt.")
          .build();
  static final Option<Boolean> WRITE_FAIL_RETRIABLE =
      Option.bool("writeFailRetriable")
          .defaultValue(true)
          .description("Whether the write failure is a lost connection (retriable) or a bug.")
          .build();
  static final Option<Boolean> RESUMABLE =
      Option.bool("resumable")
          .defaultValue(true)
          .description("false: the sink cannot resume (resume model none).")
          .build();
  static final Option<Integer> OWN_RETRIES =
      Option.integer("maxRetries")
          .defaultValue(1)
          .description("Retries the sink would make on its own (it makes none).")
          .build();
  static final Option<List<String>> COLUMNS =
      Option.list("columns").description("Fixed target columns as 'name type'.").build();

  /** Tables written by sinks, by name. */
  static final Map<String, Table> TABLES = new ConcurrentHashMap<>();

  /** What a memory sink did. */
  static final class Table {
    final List<Object[]> committed = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile Schema schema;
    volatile boolean published;
    volatile boolean aborted;
    volatile int writers;
    final List<io.ferry.spi.KeyRange> discarded = new java.util.concurrent.CopyOnWriteArrayList<>();
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String description() {
    return "In-memory rows for engine tests.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(
        Role.of(
            OptionSet.of(
                ROWS,
                SPLITS,
                BATCH,
                FAIL_AT,
                FAIL_RETRIABLE,
                FAIL_TIMES,
                BAD_EVERY,
                DIRTY_EVERY,
                SLOW_MILLIS,
                MISSING,
                TOKEN),
            (o, ctx) -> new MemorySource(o, ctx)));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(
        Role.of(
            OptionSet.of(
                TABLE,
                COLUMNS,
                EAGER,
                REJECT_EVERY,
                WRITE_FAIL_AT,
                WRITE_FAIL_TIMES,
                WRITE_FAIL_RETRIABLE,
                RESUMABLE,
                OWN_RETRIES),
            (o, ctx) -> new MemorySink(o, ctx)));
  }

  record RangeSplit(String id, long from, long to) implements Split {
    @Override
    public OptionalLong estimatedRows() {
      return OptionalLong.of(to - from);
    }
  }

  static Object[] row(long i, Long badEvery) {
    String amount =
        badEvery != null && i % badEvery == 0
            ? "n/a"
            : BigDecimal.valueOf(i * 25, 2).toPlainString();
    return new Object[] {i, "name-" + i, amount};
  }

  static final class MemorySource implements Source {
    private final Options o;
    private final io.ferry.spi.ConnectorContext ctx;
    private final java.util.concurrent.atomic.AtomicInteger failuresLeft;

    MemorySource(Options o, io.ferry.spi.ConnectorContext ctx) {
      this.o = o;
      this.ctx = ctx;
      this.failuresLeft = new java.util.concurrent.atomic.AtomicInteger(o.get(FAIL_TIMES));
    }

    @Override
    public List<OptionProblem> check() {
      return "nope".equals(o.get(MISSING))
          ? List.of(new OptionProblem("mustExist", "there is no 'nope'"))
          : List.of();
    }

    @Override
    public Schema schema() {
      return SOURCE_SCHEMA;
    }

    @Override
    public SplitPlanner planner() {
      return parallelism -> {
        long rows = o.get(ROWS);
        int n = o.get(SPLITS);
        List<Split> splits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          long from = rows * i / n;
          long to = rows * (i + 1) / n;
          if (to > from) {
            splits.add(new RangeSplit("range-" + i, from, to));
          }
        }
        return splits;
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
          RangeSplit s = (RangeSplit) split;
          return new Codec.Writer()
              .writeString(s.id())
              .writeLong(s.from())
              .writeLong(s.to())
              .toByteArray();
        }

        @Override
        public Split decode(int version, byte[] bytes) {
          Codec.Reader r = new Codec.Reader(bytes);
          return new RangeSplit(r.readString(), r.readLong(), r.readLong());
        }
      };
    }

    @Override
    public Optional<io.ferry.spi.KeyRange> remainder(Split split, Position after) {
      RangeSplit s = (RangeSplit) split;
      // The position holds the next index to read; the last key behind it is one less.
      return Optional.of(
          after == null
              ? new io.ferry.spi.KeyRange(
                  List.of("id"),
                  List.of(DataType.INT64),
                  new Object[] {s.from()},
                  true,
                  new Object[] {s.to() - 1})
              : new io.ferry.spi.KeyRange(
                  List.of("id"),
                  List.of(DataType.INT64),
                  new Object[] {new Codec.Reader(after.bytes()).readLong() - 1},
                  false,
                  new Object[] {s.to() - 1}));
    }

    @Override
    public SplitReader openReader(Split split, Position after) {
      RangeSplit s = (RangeSplit) split;
      long start = after == null ? s.from() : new Codec.Reader(after.bytes()).readLong();
      return new SplitReader() {
        long next = start;

        @Override
        public RowBatch next() {
          if (next >= s.to()) {
            return null;
          }
          sleep(o.get(SLOW_MILLIS));
          RowBatch batch = new RowBatch(3, o.get(BATCH));
          while (next < s.to() && !batch.isFull()) {
            long i = next++;
            if (o.get(FAIL_AT) != null
                && i == o.get(FAIL_AT)
                && FAILURES_ARMED.get()
                && failuresLeft.getAndDecrement() > 0) {
              throw new FerryException(
                  o.get(FAIL_RETRIABLE) ? ErrorCode.CONNECTION : ErrorCode.INTERNAL,
                  (o.get(FAIL_RETRIABLE) ? "connection lost" : "bug") + " at row " + i);
            }
            Long dirtyEvery = o.get(DIRTY_EVERY);
            if (dirtyEvery != null && i % dirtyEvery == 0) {
              ctx.dirtyRows()
                  .accept(
                      new DirtyRow(
                          "row " + i, Map.of("_raw", "broken " + i), null, null, "broken record"));
              continue;
            }
            batch.addRow(row(i, o.get(BAD_EVERY)));
          }
          return batch.position(
              new Position(1, new Codec.Writer().writeLong(next).toByteArray(), "row " + next));
        }

        @Override
        public void close() {}
      };
    }
  }

  static void sleep(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static final class MemorySink implements Sink {
    private final Table table;
    private final Optional<Schema> target;

    private final boolean eager;
    private final Long rejectEvery;
    private final io.ferry.spi.ConnectorContext ctx;
    private final Long writeFailAt;
    private final boolean writeFailRetriable;
    private final boolean resumable;
    private final java.util.concurrent.atomic.AtomicInteger writeFailuresLeft;

    MemorySink(Options o, io.ferry.spi.ConnectorContext ctx) {
      this.table = TABLES.computeIfAbsent(o.get(TABLE), k -> new Table());
      this.eager = o.get(EAGER);
      this.writeFailAt = o.get(WRITE_FAIL_AT);
      this.writeFailRetriable = o.get(WRITE_FAIL_RETRIABLE);
      this.resumable = o.get(RESUMABLE);
      this.writeFailuresLeft =
          new java.util.concurrent.atomic.AtomicInteger(o.get(WRITE_FAIL_TIMES));
      this.rejectEvery = o.get(REJECT_EVERY);
      this.ctx = ctx;
      List<String> columns = o.get(COLUMNS);
      this.target =
          columns == null
              ? Optional.empty()
              : Optional.of(
                  Schema.of(
                      columns.stream()
                          .map(c -> c.trim().split("\\s+", 2))
                          .map(p -> Column.of(p[0], DataType.parse(p[1])))
                          .toList()));
    }

    @Override
    public Optional<Schema> targetSchema() {
      return target;
    }

    @Override
    public void prepare(Schema schema) {
      table.schema = schema;
    }

    @Override
    public SinkWriter createWriter(int writerIndex) {
      table.writers++;
      return new SinkWriter() {
        final List<Object[]> buffer = new ArrayList<>();

        @Override
        public void write(RowBatch batch) {
          for (int r = 0; r < batch.size(); r++) {
            Object[] row = batch.row(r);
            if (writeFailAt != null
                && writeFailAt.equals(row[0])
                && FAILURES_ARMED.get()
                && writeFailuresLeft.getAndDecrement() > 0) {
              if (eager) {
                flush();
              }
              throw new FerryException(
                  writeFailRetriable ? ErrorCode.CONNECTION : ErrorCode.INTERNAL,
                  (writeFailRetriable ? "connection lost" : "bug") + " writing row " + row[0]);
            }
            buffer.add(row);
          }
          if (eager) {
            flush();
          }
        }

        @Override
        public void flush() {
          for (Object[] row : buffer) {
            if (rejectEvery != null && ((Number) row[0]).longValue() % rejectEvery == 0) {
              ctx.dirtyRows()
                  .accept(
                      new DirtyRow(
                          "id=" + row[0], Map.of("id", row[0]), "id", row[0], "duplicate key"));
            } else {
              table.committed.add(row);
            }
          }
          buffer.clear();
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public io.ferry.spi.SinkResume resumeModel() {
      // Flushed rows stay, and a resumed reader continues after the flushed positions.
      return resumable
          ? io.ferry.spi.SinkResume.byKeyRange(this::prepare, this::discard)
          : io.ferry.spi.SinkResume.none();
    }

    private void discard(io.ferry.spi.KeyRange range) {
      table.discarded.add(range);
      int key = table.schema.indexOf(range.columns().get(0));
      long lower = range.lower() == null ? Long.MIN_VALUE : (Long) range.lower()[0];
      long upper = range.upper() == null ? Long.MAX_VALUE : (Long) range.upper()[0];
      boolean inclusive = range.lowerInclusive();
      table.committed.removeIf(
          row -> {
            long id = (Long) row[key];
            return (inclusive ? id >= lower : id > lower) && id <= upper;
          });
    }

    @Override
    public void commit() {
      table.published = true;
    }

    @Override
    public void abort() {
      table.aborted = true;
    }
  }
}

package io.ferry.connector.datagen;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The generated dataset: {@code rows} rows whose every value is a pure function of (seed, row
 * index, column index). Splits are contiguous row ranges, four per reader; a position is the index
 * of the next row to emit.
 */
final class DatagenSource implements Source {
  /** Splits per reader: small splits balance better and resume with less to redo. */
  private static final int SPLITS_PER_READER = 4;

  private final long rows;
  private final int batchSize;
  private final Long rowsPerSecond;
  private final Schema schema;
  private final GeneratedColumn[] columns;

  DatagenSource(Options options) {
    this.rows = options.get(DatagenConnector.ROWS);
    this.batchSize = options.get(DatagenConnector.BATCH_SIZE);
    this.rowsPerSecond = options.get(DatagenConnector.ROWS_PER_SECOND);
    long seed = options.get(DatagenConnector.SEED);
    List<ColumnSpec> specs =
        options.has(DatagenConnector.COLUMNS)
            ? options.get(DatagenConnector.COLUMNS)
            : ColumnSpec.defaults();
    List<Column> schemaColumns = new ArrayList<>(specs.size());
    this.columns = new GeneratedColumn[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      ColumnSpec spec = specs.get(i);
      ValueGenerator generator;
      try {
        generator = Generators.create(spec, seed, i, rows);
      } catch (IllegalArgumentException e) {
        // Sequences are checked against the row count only here, once both are known.
        throw new InvalidOptionsException(
            ErrorCode.OPTION_INVALID,
            List.of(
                new OptionProblem(
                    DatagenConnector.COLUMNS.name(),
                    "columns[" + i + "] (" + spec.name() + "): " + e.getMessage())));
      }
      columns[i] = new GeneratedColumn(generator, SplitMix.columnBase(seed, i), spec.nullRatio());
      schemaColumns.add(new Column(spec.name(), spec.type(), spec.nullRatio() > 0));
    }
    this.schema = Schema.of(schemaColumns);
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public SplitPlanner planner() {
    return parallelism -> {
      if (rows == 0) {
        return List.of();
      }
      long count = Math.min(rows, (long) Math.max(1, parallelism) * SPLITS_PER_READER);
      long base = rows / count;
      long remainder = rows % count;
      List<Split> splits = new ArrayList<>((int) count);
      long first = 0;
      for (long i = 0; i < count; i++) {
        long end = first + base + (i < remainder ? 1 : 0);
        splits.add(new DatagenSplit(first, end));
        first = end;
      }
      return splits;
    };
  }

  @Override
  public Codec<Split> splitCodec() {
    return DatagenSplit.CODEC;
  }

  @Override
  public SplitReader openReader(Split split, Position after) {
    if (!(split instanceof DatagenSplit range)) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE, "not a datagen split: " + split.getClass().getName());
    }
    long next = after == null ? range.firstRow() : nextRow(after, range);
    return new DatagenReader(columns, range.endRow(), next, batchSize, rowsPerSecond);
  }

  @Override
  public OptionalLong estimatedRows() {
    return OptionalLong.of(rows);
  }

  /** Version 1: the index of the next row, one long. */
  private static final VersionedCodec<Long> POSITION_CODEC =
      VersionedCodec.of(
          "datagen position", 1, (row, out) -> out.writeLong(row), in -> in.readLong());

  static Position position(long nextRow) {
    return POSITION_CODEC.position(nextRow, "row " + nextRow);
  }

  private static long nextRow(Position position, DatagenSplit split) {
    long next = POSITION_CODEC.decode(position);
    if (next < split.firstRow() || next > split.endRow()) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "position row " + next + " lies outside split " + split.id());
    }
    return next;
  }
}

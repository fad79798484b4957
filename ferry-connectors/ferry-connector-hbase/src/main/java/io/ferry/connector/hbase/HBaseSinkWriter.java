package io.ferry.connector.hbase;

import io.ferry.spi.DirtyRow;
import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SinkWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellScanner;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.DoNotRetryIOException;
import org.apache.hadoop.hbase.TableNotFoundException;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.BufferedMutatorParams;
import org.apache.hadoop.hbase.client.Mutation;
import org.apache.hadoop.hbase.client.RetriesExhaustedWithDetailsException;
import org.apache.hadoop.hbase.regionserver.NoSuchColumnFamilyException;
import org.apache.hadoop.hbase.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers Puts in a {@link BufferedMutator}, which sends them in the background as its write buffer
 * fills; {@link #flush()} waits until all are written. A mutation HBase refuses for good goes to
 * the dirty-data store with HBase's reason; one that failed after the client's retries fails the
 * flush (the run can resume from its checkpoint).
 */
final class HBaseSinkWriter implements SinkWriter {
  private static final Logger LOG = LoggerFactory.getLogger(HBaseSinkWriter.class);

  private final HBaseSink sink;
  private final RowEncoder encoder;
  private final String[] names;
  private final List<Failure> failures = new ArrayList<>();
  private BufferedMutator mutator;

  private record Failure(Mutation mutation, Throwable cause) {}

  HBaseSinkWriter(HBaseSink sink, RowEncoder encoder) {
    this.sink = sink;
    this.encoder = encoder;
    this.names = encoder.schema().names().toArray(new String[0]);
  }

  private BufferedMutator mutator() {
    if (mutator == null) {
      BufferedMutatorParams params =
          new BufferedMutatorParams(sink.tableName())
              .writeBufferSize(sink.writeBuffer())
              .listener(
                  (RetriesExhaustedWithDetailsException e, BufferedMutator m) -> {
                    synchronized (failures) {
                      for (int i = 0; i < e.getNumExceptions(); i++) {
                        failures.add(new Failure((Mutation) e.getRow(i), e.getCause(i)));
                      }
                    }
                  });
      try {
        mutator = sink.connection().getBufferedMutator(params);
      } catch (IOException e) {
        throw HBaseErrors.translate(e, "opening a writer of " + sink.label());
      }
    }
    return mutator;
  }

  @Override
  public void write(RowBatch batch) {
    BufferedMutator m = mutator();
    for (int r = 0; r < batch.size(); r++) {
      Object[] row = batch.row(r);
      List<Mutation> mutations;
      try {
        mutations = encoder.mutations(row);
      } catch (RowKeyRule.RowKeyProblem p) {
        dirty(row, p.column, row[encoder.schema().indexOf(p.column)], p.getMessage());
        continue;
      }
      try {
        m.mutate(mutations);
      } catch (IllegalArgumentException e) {
        // The client validates each Put (e.g. a cell larger than hbase.client.keyvalue.maxsize).
        dirty(row, null, null, "HBase refused the row: " + e.getMessage());
      } catch (IOException e) {
        throw HBaseErrors.translate(e, "writing to " + sink.label());
      }
    }
    settleFailures();
  }

  @Override
  public void flush() {
    if (mutator == null) {
      return;
    }
    try {
      mutator.flush();
    } catch (IOException e) {
      // With a listener, per-row failures arrive there; anything else is the whole flush's.
      if (!(e instanceof RetriesExhaustedWithDetailsException)) {
        throw HBaseErrors.translate(e, "flushing to " + sink.label());
      }
    }
    settleFailures();
  }

  /**
   * Mutations HBase refused: for good (a bad request) to the dirty-data store; the table or a
   * family gone, or a failure after every retry, fails the writer.
   */
  private void settleFailures() {
    List<Failure> settled;
    synchronized (failures) {
      if (failures.isEmpty()) {
        return;
      }
      settled = new ArrayList<>(failures);
      failures.clear();
    }
    for (Failure f : settled) {
      Throwable cause = f.cause;
      if (cause instanceof TableNotFoundException || cause instanceof NoSuchColumnFamilyException) {
        throw new FerryException(
            HBaseSettings.REFUSED,
            "writing to " + sink.label() + ": " + HBaseErrors.message(cause),
            cause instanceof TableNotFoundException
                ? HBaseOptions.TABLE.name()
                : HBaseOptions.COLUMNS_NAME,
            cause);
      }
      if (!(cause instanceof DoNotRetryIOException)) {
        throw new FerryException(
            HBaseSettings.UNAVAILABLE,
            "writing to "
                + sink.label()
                + ": "
                + settled.size()
                + " mutation(s) failed after the client's retries, e.g. row "
                + Bytes.toStringBinary(f.mutation.getRow())
                + ": "
                + HBaseErrors.message(cause),
            cause);
      }
    }
    for (Failure f : settled) {
      sink.context()
          .dirtyRows()
          .accept(
              new DirtyRow(
                  sink.label() + " row=" + Bytes.toStringBinary(f.mutation.getRow()),
                  cells(f.mutation),
                  null,
                  null,
                  "HBase refused the "
                      + f.mutation.getClass().getSimpleName().toLowerCase()
                      + ": "
                      + HBaseErrors.message(f.cause)));
    }
  }

  /** A refused mutation's cells as text, for a dirty row. */
  private static Map<String, Object> cells(Mutation mutation) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("_row", Bytes.toStringBinary(mutation.getRow()));
    try {
      CellScanner scanner = mutation.cellScanner();
      while (scanner.advance()) {
        Cell c = scanner.current();
        raw.put(
            Bytes.toStringBinary(CellUtil.cloneFamily(c))
                + ":"
                + Bytes.toStringBinary(CellUtil.cloneQualifier(c)),
            io.ferry.connector.support.Values.abbreviate(
                Bytes.toStringBinary(c.getValueArray(), c.getValueOffset(), c.getValueLength())));
      }
    } catch (IOException e) {
      raw.put("_cells", "unreadable: " + e.getMessage());
    }
    return raw;
  }

  private void dirty(Object[] row, String column, Object value, String reason) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int c = 0; c < names.length; c++) {
      values.put(names[c], row[c]);
    }
    sink.context().dirtyRows().accept(new DirtyRow(sink.label(), values, column, value, reason));
  }

  @Override
  public void close() {
    if (mutator != null) {
      try {
        // Closing flushes what is buffered; the engine flushed before, so this is cheap.
        mutator.close();
      } catch (IOException e) {
        LOG.debug("{}: closing a writer failed: {}", sink.label(), e.getMessage());
      } finally {
        mutator = null;
      }
    }
  }
}

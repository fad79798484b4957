package io.ferry.connector.hbase;

import io.ferry.spi.DirtyRow;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SplitReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans one split in row key order. Rows cut into several results by {@code scanBatch} are joined
 * again; a position is only ever the key of a complete row. A scanner that fails is reopened after
 * the last complete row, up to {@value #REOPENS} times in a row (the client has retried inside
 * already), so neither a row is repeated nor skipped.
 */
final class HBaseSplitReader implements SplitReader {
  private static final Logger LOG = LoggerFactory.getLogger(HBaseSplitReader.class);
  private static final int REOPENS = 3;

  private final HBaseSource source;
  private final HBaseSplit split;
  private final RowDecoder decoder;
  private final int arity;
  private byte[] lastRow;
  private Table table;
  private ResultScanner scanner;
  private List<Cell> pending;
  private boolean done;

  HBaseSplitReader(HBaseSource source, HBaseSplit split, byte[] after) {
    this.source = source;
    this.split = split;
    this.decoder = source.decoder();
    this.arity = source.schema().size();
    this.lastRow = after;
  }

  private ResultScanner open() throws IOException {
    if (table == null) {
      table = source.table();
    }
    return lastRow == null
        ? table.getScanner(source.scan(split, split.start(), false))
        : table.getScanner(source.scan(split, lastRow, true));
  }

  @Override
  public RowBatch next() {
    if (done) {
      return null;
    }
    RowBatch batch = new RowBatch(arity, source.batchSize());
    byte[] startRow = lastRow;
    int failures = 0;
    while (!batch.isFull()) {
      Result result;
      try {
        if (scanner == null) {
          scanner = open();
        }
        result = scanner.next();
        failures = 0;
      } catch (IOException | RuntimeException e) {
        closeScanner();
        pending = null;
        if (failures >= REOPENS
            || e instanceof io.ferry.spi.FerryException
            || e instanceof org.apache.hadoop.hbase.DoNotRetryIOException) {
          throw HBaseErrors.translate(e, "reading " + split);
        }
        failures++;
        LOG.warn(
            "{}: reading split {} failed ({}); reopening after row {}",
            source.label(),
            split.id(),
            HBaseErrors.message(e),
            lastRow == null ? "(start)" : Bytes.toStringBinary(lastRow));
        continue;
      }
      if (result == null) {
        if (pending != null) {
          complete(batch, Result.create(pending));
          pending = null;
        }
        done = true;
        closeScanner();
        break;
      }
      if (pending != null && !Bytes.equals(pendingRow(), result.getRow())) {
        complete(batch, Result.create(pending));
        pending = null;
      }
      if (pending == null) {
        pending = new ArrayList<>(Arrays.asList(result.rawCells()));
      } else {
        pending.addAll(Arrays.asList(result.rawCells()));
      }
      if (!result.mayHaveMoreCellsInRow()) {
        complete(batch, Result.create(pending));
        pending = null;
      }
    }
    if (batch.isEmpty() && (lastRow == null || Arrays.equals(lastRow, startRow))) {
      return null;
    }
    return batch.position(HBaseSplit.position(lastRow));
  }

  private byte[] pendingRow() {
    Cell first = pending.get(0);
    return Arrays.copyOfRange(
        first.getRowArray(), first.getRowOffset(), first.getRowOffset() + first.getRowLength());
  }

  /** Adds a complete row to the batch, or hands it to the dirty-data store. */
  private void complete(RowBatch batch, Result row) {
    lastRow = row.getRow();
    try {
      batch.addRow(decoder.decode(row));
    } catch (RowDecoder.BadValue e) {
      source
          .context()
          .dirtyRows()
          .accept(
              new DirtyRow(
                  source.label() + " row=" + Bytes.toStringBinary(lastRow),
                  decoder.raw(row),
                  e.column,
                  e.raw,
                  e.getMessage()));
    }
  }

  private void closeScanner() {
    if (scanner != null) {
      try {
        scanner.close();
      } catch (RuntimeException e) {
        LOG.debug("closing a scanner failed: {}", e.getMessage());
      }
      scanner = null;
    }
  }

  @Override
  public void close() {
    closeScanner();
    if (table != null) {
      try {
        table.close();
      } catch (IOException e) {
        LOG.debug("closing a table failed: {}", e.getMessage());
      }
      table = null;
    }
    done = true;
  }
}

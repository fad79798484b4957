package io.ferry.connector.testkit;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.fail;

import io.ferry.spi.Column;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reading sources in tests and comparing rows with a diff a person can act on: the first row and
 * column that differ, or the rows missing and unexpected. Values are compared with {@link
 * ValueComparison}, exactly.
 */
public final class Rows {
  /** Rows listed in a failure message before the rest is summarised. */
  private static final int SHOWN_ROWS = 5;

  private Rows() {}

  /**
   * One batch as a reader emitted it: a copy of its rows and the position after its last row.
   *
   * @param rows the batch's rows, copied out of the batch
   * @param position the batch's position, never null (the reader contract requires one)
   */
  public record ReadBatch(List<Object[]> rows, Position position) {
    public ReadBatch {
      rows = List.copyOf(rows);
      requireNonNull(position, "position is null");
    }
  }

  /**
   * Reads one split to its end on the calling thread, checking the reader contract on the way:
   * every batch carries a position and has the schema's arity.
   *
   * @param after null to read from the split's start, or a position an earlier reader emitted
   */
  public static List<ReadBatch> readBatches(Source source, Split split, Position after) {
    int arity = source.schema().size();
    List<ReadBatch> batches = new ArrayList<>();
    try (SplitReader reader = source.openReader(split, after)) {
      for (RowBatch batch = reader.next(); batch != null; batch = reader.next()) {
        if (batch.arity() != arity) {
          fail("split %s: batch has %d columns, the schema %d", split.id(), batch.arity(), arity);
        }
        if (batch.position() == null) {
          fail(
              "split %s: batch %d of %d rows has no position",
              split.id(), batches.size(), batch.size());
        }
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (int r = 0; r < batch.size(); r++) {
          rows.add(batch.row(r));
        }
        batches.add(new ReadBatch(rows, batch.position()));
      }
    }
    return batches;
  }

  /** The rows of one split from its start, in the order the reader emitted them. */
  public static List<Object[]> readSplit(Source source, Split split) {
    return rowsOf(readBatches(source, split, null));
  }

  /** The rows of the batches, in order. */
  public static List<Object[]> rowsOf(List<ReadBatch> batches) {
    List<Object[]> rows = new ArrayList<>();
    for (ReadBatch batch : batches) {
      rows.addAll(batch.rows());
    }
    return rows;
  }

  /** The rows of every split, read one after the other on the calling thread, in plan order. */
  public static List<Object[]> readSequentially(Source source, List<Split> splits) {
    List<Object[]> rows = new ArrayList<>();
    for (Split split : splits) {
      rows.addAll(readSplit(source, split));
    }
    return rows;
  }

  /**
   * Reads every split with {@code threads} readers at once, as the engine does.
   *
   * @return each split's rows by split id, in plan order
   */
  public static Map<String, List<Object[]>> readConcurrently(
      Source source, List<Split> splits, int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Object[]>>> futures = new ArrayList<>();
      for (Split split : splits) {
        futures.add(pool.submit(() -> readSplit(source, split)));
      }
      Map<String, List<Object[]>> rows = new LinkedHashMap<>();
      for (int i = 0; i < splits.size(); i++) {
        rows.put(splits.get(i).id(), futures.get(i).get());
      }
      return rows;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading splits", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Fails at the first row and column where {@code actual} differs from {@code expected}. */
  public static void assertRowsEqual(
      Schema schema, List<Object[]> actual, List<Object[]> expected) {
    int common = Math.min(actual.size(), expected.size());
    for (int r = 0; r < common; r++) {
      String difference = difference(schema, expected.get(r), actual.get(r));
      if (difference != null) {
        fail(
            "row %d differs: %s%n  expected %s%n  actual   %s",
            r, difference, format(schema, expected.get(r)), format(schema, actual.get(r)));
      }
    }
    if (actual.size() != expected.size()) {
      List<Object[]> extra =
          actual.size() > expected.size()
              ? actual.subList(common, actual.size())
              : expected.subList(common, expected.size());
      fail(
          "expected %d rows, got %d; the first %d rows agree; %s rows from row %d:%n%s",
          expected.size(),
          actual.size(),
          common,
          actual.size() > expected.size() ? "unexpected" : "missing",
          common,
          formatSome(schema, extra));
    }
  }

  /**
   * Fails unless {@code actual} holds exactly the rows of {@code expected}, each as often, in any
   * order; lists the rows missing and the rows unexpected (duplicates among them).
   */
  public static void assertSameRows(Schema schema, List<Object[]> actual, List<Object[]> expected) {
    Map<String, List<Object[]>> remaining = new LinkedHashMap<>();
    for (Object[] row : expected) {
      remaining.computeIfAbsent(rowKey(schema, row), k -> new ArrayList<>()).add(row);
    }
    List<Object[]> unexpected = new ArrayList<>();
    for (Object[] row : actual) {
      List<Object[]> candidates = remaining.get(rowKey(schema, row));
      if (candidates == null || candidates.isEmpty()) {
        unexpected.add(row);
      } else {
        candidates.remove(candidates.size() - 1);
      }
    }
    List<Object[]> missing = new ArrayList<>();
    remaining.values().forEach(missing::addAll);
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      fail(
          "expected %d rows, got %d (in any order); %d missing:%n%s%n%d unexpected or duplicated:%n%s",
          expected.size(),
          actual.size(),
          missing.size(),
          formatSome(schema, missing),
          unexpected.size(),
          formatSome(schema, unexpected));
    }
  }

  /** Fails at the first value that is not a valid value of its column's type. */
  public static void assertConform(Schema schema, List<Object[]> rows) {
    for (int r = 0; r < rows.size(); r++) {
      Object[] row = rows.get(r);
      if (row.length != schema.size()) {
        fail("row %d has %d values, the schema %d columns", r, row.length, schema.size());
      }
      for (int c = 0; c < row.length; c++) {
        Column column = schema.column(c);
        String problem = ValueComparison.nonConformity(row[c], column.type());
        if (problem == null && row[c] == null && !column.nullable()) {
          problem = "NULL in a column declared not null";
        }
        if (problem != null) {
          fail("row %d, column '%s' (%s): %s", r, column.name(), column.type(), problem);
        }
      }
    }
  }

  /** The first column where the rows differ, described, or null when they are equal. */
  private static String difference(Schema schema, Object[] expected, Object[] actual) {
    if (expected.length != actual.length) {
      return "expected " + expected.length + " values, got " + actual.length;
    }
    for (int c = 0; c < expected.length; c++) {
      Column column = schema.column(c);
      if (!ValueComparison.equal(expected[c], actual[c], column.type())) {
        return "column '"
            + column.name()
            + "' ("
            + column.type()
            + "): expected "
            + ValueComparison.describe(expected[c], column.type())
            + ", got "
            + ValueComparison.describe(actual[c], column.type());
      }
    }
    return null;
  }

  private static String rowKey(Schema schema, Object[] row) {
    if (row.length != schema.size()) {
      return "<" + row.length + " values>";
    }
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < row.length; c++) {
      sb.append(ValueComparison.key(row[c], schema.column(c).type())).append('\u0001');
    }
    return sb.toString();
  }

  /** A row as {@code {name=value, ...}} with exact value texts. */
  public static String format(Schema schema, Object[] row) {
    StringBuilder sb = new StringBuilder("{");
    for (int c = 0; c < row.length; c++) {
      if (c > 0) {
        sb.append(", ");
      }
      if (c < schema.size()) {
        sb.append(schema.column(c).name())
            .append('=')
            .append(ValueComparison.key(row[c], schema.column(c).type()));
      } else {
        sb.append("<extra>=").append(row[c]);
      }
    }
    return sb.append('}').toString();
  }

  private static String formatSome(Schema schema, List<Object[]> rows) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(SHOWN_ROWS, rows.size()); i++) {
      sb.append("    ").append(format(schema, rows.get(i))).append('\n');
    }
    if (rows.size() > SHOWN_ROWS) {
      sb.append("    ... and ").append(rows.size() - SHOWN_ROWS).append(" more\n");
    }
    return sb.toString();
  }
}

package io.ferry.spi;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A batch source: everything to read, cut into {@link Split}s by its {@link SplitPlanner} and read
 * split by split by {@link SplitReader}s, several at once on different threads.
 *
 * <p>Lifecycle, driven by the engine:
 *
 * <ol>
 *   <li>{@link Connector#source()} creates the source from parsed options (no I/O yet);
 *   <li>{@link #check()} connects and reports options whose values the store rejects;
 *   <li>{@link #schema()} and {@link #planner()} describe and cut the work;
 *   <li>{@link #openReader} is called once per split, possibly from several threads at once, also
 *       with a position from an earlier run to continue after it;
 *   <li>{@link #close()} releases what the source holds (pools, clients).
 * </ol>
 */
public interface Source extends AutoCloseable {
  /**
   * The live check: connect, look the configured objects up, and report each option whose value the
   * store rejects (a host that refuses, a table that is not there). Empty when all is well.
   * Failures nobody can attribute to an option are thrown as {@link FerryException}.
   */
  default List<OptionProblem> check() {
    return List.of();
  }

  /** The columns of every row this source emits. */
  Schema schema();

  SplitPlanner planner();

  /** Serializes this source's splits for checkpoints and for sending them to other workers. */
  Codec<Split> splitCodec();

  /**
   * Opens a reader of one split.
   *
   * @param split one of the splits this source's planner made, possibly decoded from a checkpoint
   * @param after null to read the split from its start, or a position a reader of the same split
   *     emitted: the reader continues with the first row after it, neither repeating nor skipping a
   *     row
   */
  SplitReader openReader(Split split, Position after);

  /**
   * What is left of a split after a position, as a key range, for a resumed run whose sink must
   * first remove rows an interrupted attempt wrote past its checkpoint (see {@link Sink#discard}).
   * Empty when the split is not cut by a key (a file, a query without a key).
   *
   * @param after the split's checkpointed position, or null when nothing of it was flushed (the
   *     range then starts at the split's own lower bound)
   */
  default java.util.Optional<KeyRange> remainder(Split split, Position after) {
    return java.util.Optional.empty();
  }

  /**
   * Whether {@link #openOrdered} works: the source can read its rows in key order, which {@code
   * ferry verify} needs to compare a source with a target row by row without holding either in
   * memory. Default: false.
   */
  default boolean readsInKeyOrder() {
    return false;
  }

  /**
   * Opens a reader of the rows whose key lies in {@code range}, in ascending <b>key order</b>: as
   * tuples of {@code range.columns()}, compared column by column, each by its values' natural order
   * independent of any collation: numbers by value, strings by their Unicode code points (the byte
   * order of UTF-8), bytes as unsigned bytes, temporal values chronologically, false before true.
   * Both sides of a verification read this way, so the same rows arrive in the same order whatever
   * the stores' collations. The rows have this source's {@link #schema()}; fixed-length character
   * values come without their pad spaces (SQL compares them so). The reader needs no position:
   * batches may carry none.
   *
   * @param range the key columns (columns of {@link #schema()} that identify a row, not necessarily
   *     the source's own key) and bounds; both bounds null for every row
   * @throws UnsupportedOperationException when {@link #readsInKeyOrder()} is false
   */
  default SplitReader openOrdered(KeyRange range) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot read in key order");
  }

  /**
   * Counts the rows whose key lies in {@code range} and hashes them, inside the store, in the
   * canonical form of {@link RangeChecksum}: what {@code ferry verify} compares chunk by chunk
   * before it reads any row. Empty when the store cannot compute the form for one of the columns'
   * types (the verification then compares those rows by reading them).
   *
   * @param range as for {@link #openOrdered}; the order of key comparisons is the key order
   * @param columns the columns to hash, in order, each with the type its canonical text follows
   *     (the column's own kind; temporal precision and decimal scale as the comparison wants them,
   *     see {@link RangeChecksum}); none to count the rows only (the sum is then 0)
   */
  default Optional<RangeChecksum> checksum(KeyRange range, List<Column> columns) {
    return Optional.empty();
  }

  /**
   * Incremental reads past a cursor column ({@link CursorReads}); empty when the source cannot read
   * that way (the default), and then a job with an {@code incremental} section is refused.
   *
   * @param column the cursor column as the job names it
   * @throws FerryException naming the column when the source has no such column, or when its type
   *     cannot be a cursor (not an integer, decimal, date or timestamp)
   */
  default Optional<CursorReads> cursor(String column) {
    return Optional.empty();
  }

  /**
   * The key of the row at {@code offset} (0-based) among the rows whose key lies in {@code range},
   * in key order ({@link #openOrdered}), found inside the store: where {@code ferry verify} cuts a
   * key range whose checksums differ in two, to compare the halves by checksum again before reading
   * any row (bisection). Empty when the store cannot (the range is then read whole) or has fewer
   * rows. Default: empty.
   *
   * @return the key's values, in the order and with the types of {@code range.columns()}
   */
  default Optional<Object[]> keyAt(KeyRange range, long offset) {
    return Optional.empty();
  }

  /** Rows the whole source is expected to hold, for progress; empty when unknown. */
  default OptionalLong estimatedRows() {
    return OptionalLong.empty();
  }

  @Override
  default void close() {}
}

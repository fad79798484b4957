package io.ferry.engine.verify;

import io.ferry.connector.support.Values;
import io.ferry.engine.internal.RowPipeline;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.RangeChecksum;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import io.ferry.spi.TypeKind;
import java.nio.file.Files;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Verifies that a job's target holds its source's rows: counts first, then content.
 *
 * <p>Content is compared by key. The key ranges of the source's own split plan (for keys without
 * strings, whose order every store agrees on; one range otherwise) are compared in parallel. When
 * both stores compute the canonical checksum ({@link Source#checksum}) of the job's columns, each
 * range is compared by checksum first and only ranges that differ are read; otherwise every range
 * is read and merged ({@link KeyedMerge}). A table without a key is compared by counts and a
 * whole-table checksum and never repaired.
 *
 * <p>With repair, differences are mended while the merge finds them ({@link Repairs}), then the
 * whole verification runs again, without repair, and its result is attached.
 */
public final class Verifier {
  /** The job cannot be verified at all (a change-capture job, a sink that cannot be read). */
  public static final ErrorCode UNSUPPORTED = ErrorCode.user("verify.unsupported");

  /** A store returned rows out of Ferry's key order; comparing would report false differences. */
  public static final ErrorCode KEY_ORDER = ErrorCode.external("verify.key-order", false);

  private final Source source;
  private final Source target;
  private final Sink sink;
  private final RowPipeline pipeline;
  private final String targetLabel;
  private final ZoneId zone;

  /**
   * @param source the job's source
   * @param target the job's target table read as a source
   * @param sink the job's sink, for repairs
   * @param pipeline the job's transforms, mapping and conversion, bound
   * @param targetLabel names the target in messages
   */
  public Verifier(
      Source source,
      Source target,
      Sink sink,
      RowPipeline pipeline,
      String targetLabel,
      ZoneId zone) {
    this.source = source;
    this.target = target;
    this.sink = sink;
    this.pipeline = pipeline;
    this.targetLabel = targetLabel;
    this.zone = zone;
  }

  /**
   * Runs the source's side of a checksum on this pool while the caller's thread computes the
   * target's: the two databases work at the same time.
   */
  private ExecutorService sides;

  public VerifyResult run(VerifyOptions options) {
    sides =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "ferry-verify-source");
              t.setDaemon(true);
              return t;
            });
    try {
      return runOnce(options);
    } finally {
      sides.shutdownNow();
    }
  }

  /** The checksums of a source range and a target range, computed at the same time. */
  private RangeChecksum[] checksums(
      KeyRange sourceRange,
      List<Column> sourceColumns,
      KeyRange targetRange,
      List<Column> targetColumns) {
    Future<Optional<RangeChecksum>> s =
        sides.submit(() -> source.checksum(sourceRange, sourceColumns));
    Optional<RangeChecksum> t = target.checksum(targetRange, targetColumns);
    Optional<RangeChecksum> fromSource = join(s);
    return fromSource.isPresent() && t.isPresent()
        ? new RangeChecksum[] {fromSource.get(), t.get()}
        : null;
  }

  private static <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "the verification was interrupted", e);
    }
  }

  private VerifyResult runOnce(VerifyOptions options) {
    VerifyResult first = once(options);
    if (!options.repair() || first.equal()) {
      return first;
    }
    if (!first.keyed()) {
      return first;
    }
    long kept = options.deleteExtra() ? 0 : first.extra();
    VerifyResult after = once(options.withRepair(false, false).withReport(null));
    return first.withRepair(
        new VerifyResult.Repair(
            first.missing() + first.different(),
            options.deleteExtra() ? first.extra() : 0,
            kept,
            after));
  }

  private VerifyResult once(VerifyOptions options) {
    // A count needs no hashed columns, only rows the job does not filter: the source counts while
    // the target is described and counts.
    boolean storesCount = pipeline.directInputs().isPresent();
    // A content comparison by checksums counts each key range's rows with its hash: it needs no
    // count of its own unless the checksums turn out impossible.
    boolean countFirst = storesCount && (options.mode() == VerifyMode.COUNT || !options.pushdown());
    Future<Optional<RangeChecksum>> sourceCount =
        countFirst ? sides.submit(() -> source.checksum(wholeSource(), List.of())) : null;
    Schema output = pipeline.output();
    Schema targetSchema = target.schema();
    List<String> notes = new ArrayList<>();
    Optional<ChecksumColumns> hashed =
        options.pushdown() ? ChecksumColumns.of(pipeline, targetSchema) : Optional.empty();
    List<String> key = output.key();
    String unkeyed = unkeyedReason(key, targetSchema);
    LongAdder dirty = new LongAdder();
    RowPipeline.Counters counters =
        new RowPipeline.Counters(new LongAdder(), row -> dirty.increment());

    // Counts: inside the stores when they can count the job's rows (no transforms), else read.
    long sourceRows = -1;
    long targetRows = -1;
    if (storesCount && (countFirst || hashed.isEmpty() || unkeyed != null)) {
      if (sourceCount == null) {
        sourceCount = sides.submit(() -> source.checksum(wholeSource(), List.of()));
      }
      Optional<RangeChecksum> t =
          target.checksum(
              whole(targetSchema, firstColumns(targetSchema, unkeyed == null ? key : List.of())),
              List.of());
      Optional<RangeChecksum> s = join(sourceCount);
      if (s.isPresent() && t.isPresent()) {
        sourceRows = s.get().rows();
        targetRows = t.get().rows();
      }
    }
    if (options.mode() == VerifyMode.COUNT || unkeyed != null) {
      if (sourceRows < 0 && !options.countByReading()) {
        throw new FerryException(
            UNSUPPORTED,
            "the stores cannot count the job's rows in place (a transform, or a store without"
                + " counts); reading both sides would copy the work of the run");
      }
      if (sourceRows < 0) {
        sourceRows = countSource(options.parallelism(), counters);
        targetRows = count(target, options.parallelism());
      }
    }
    if (options.mode() == VerifyMode.COUNT) {
      return new VerifyResult(
          sourceRows == targetRows,
          VerifyMode.COUNT,
          "count",
          sourceRows,
          targetRows,
          0,
          0,
          0,
          List.of(),
          null,
          0,
          0,
          0,
          unkeyed == null,
          notes(notes, dirty),
          null);
    }
    if (unkeyed != null) {
      notes.add(
          "no key: " + unkeyed + "; compared by count and whole-table checksum, not repaired");
      boolean equal = sourceRows == targetRows;
      String method = "count";
      if (hashed.isPresent()) {
        RangeChecksum[] sums =
            checksums(
                wholeSource(),
                hashed.get().source(),
                whole(targetSchema, firstColumns(targetSchema, List.of())),
                hashed.get().target());
        if (sums != null) {
          equal = equal && sums[0].equals(sums[1]);
          method = "count + checksum";
        }
      }
      if (method.equals("count")) {
        notes.add("the stores cannot hash these columns: only counts were compared");
      }
      return new VerifyResult(
          equal,
          VerifyMode.CONTENT,
          method,
          sourceRows,
          targetRows,
          0,
          0,
          0,
          List.of(),
          null,
          1,
          0,
          0,
          false,
          notes(notes, dirty),
          null);
    }
    RowComparison comparison = new RowComparison(output, targetSchema, key);
    List<KeyRange[]> ranges = ranges(options.parallelism(), targetSchema, key);
    Repairs repairs =
        options.repair()
            ? new Repairs(sink, targetLabel, output, key, options.deleteExtra())
            : null;
    AtomicBoolean pushdown = new AtomicBoolean(hashed.isPresent());
    AtomicLong sourceTotal = new AtomicLong();
    AtomicLong targetTotal = new AtomicLong();
    AtomicInteger read = new AtomicInteger();
    AtomicLong rowsRead = new AtomicLong();
    VerifyCheckpoint checkpoint =
        options.checkpoint() == null || options.repair()
            ? null
            : VerifyCheckpoint.open(options.checkpoint(), plan(ranges, options), ranges.size());
    try (DifferenceLog log = new DifferenceLog(options.sampleSize(), options.report())) {
      Map<Integer, long[]> resumed = checkpoint == null ? Map.of() : checkpoint.done();
      for (Map.Entry<Integer, long[]> done : resumed.entrySet()) {
        // A range an earlier attempt completed: its differences from its own file.
        if (Files.exists(checkpoint.part(done.getKey()))) {
          log.addAll(checkpoint.part(done.getKey()));
        }
        sourceTotal.addAndGet(done.getValue()[0]);
        targetTotal.addAndGet(done.getValue()[1]);
      }
      if (!resumed.isEmpty()) {
        notes.add(
            "continued from the checkpoint "
                + options.checkpoint()
                + ": "
                + resumed.size()
                + " of "
                + ranges.size()
                + " key ranges were done");
      }
      ExecutorService pool =
          Executors.newFixedThreadPool(
              Math.min(options.parallelism(), ranges.size()),
              r -> {
                Thread t = new Thread(r, "ferry-verify");
                t.setDaemon(true);
                return t;
              });
      boolean recheck = !options.recheckDelay().isZero();
      // Ranges whose rows differed at the first look, with those rows' keys (null: too many to
      // keep, every difference of the range is reported after the second look).
      List<Suspects> suspects = java.util.Collections.synchronizedList(new ArrayList<>());
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int index = 0; index < ranges.size(); index++) {
          if (resumed.containsKey(index)) {
            continue;
          }
          int i = index;
          KeyRange[] range = ranges.get(i);
          futures.add(
              pool.submit(
                  () -> {
                    // The parts of the range to read row by row, with the rows the checksums
                    // found outside them (equal there).
                    List<KeyRange[]> parts = new ArrayList<>();
                    parts.add(range);
                    long sourceOutside = 0;
                    long targetOutside = 0;
                    if (pushdown.get()) {
                      RangeChecksum[] sums =
                          checksums(
                              range[0], hashed.get().source(), range[1], hashed.get().target());
                      if (sums == null) {
                        pushdown.set(false);
                      } else if (sums[0].equals(sums[1])) {
                        completed(i, sums[0].rows(), sums[1].rows(), null, log, checkpoint);
                        sourceTotal.addAndGet(sums[0].rows());
                        targetTotal.addAndGet(sums[1].rows());
                        return;
                      } else {
                        List<Part> differing = new ArrayList<>();
                        bisect(range, sums, hashed.get(), targetSchema, options, differing, 0);
                        parts = new ArrayList<>();
                        sourceOutside = sums[0].rows();
                        targetOutside = sums[1].rows();
                        for (Part p : differing) {
                          parts.add(p.range());
                          sourceOutside -= p.sums()[0].rows();
                          targetOutside -= p.sums()[1].rows();
                        }
                      }
                    }
                    read.incrementAndGet();
                    DifferenceLog own =
                        checkpoint == null ? null : new DifferenceLog(0, checkpoint.part(i));
                    KeyedMerge merge =
                        new KeyedMerge(
                            source,
                            target,
                            pipeline,
                            counters,
                            comparison,
                            own == null ? log : own,
                            repairs);
                    Suspects found =
                        new Suspects(i, parts, merge, own, sourceOutside, targetOutside);
                    for (KeyRange[] part : parts) {
                      KeyedMerge.Counts counts =
                          recheck
                              ? merge.run(part[0], part[1], found::add, false)
                              : merge.run(part[0], part[1]);
                      found.merged(counts);
                      rowsRead.addAndGet(counts.source() + counts.target());
                    }
                    if (found.rows == 0) {
                      found.complete(log, checkpoint, sourceTotal, targetTotal);
                    } else {
                      suspects.add(found);
                    }
                  }));
        }
        join(futures);
        if (!suspects.isEmpty()) {
          long rows = suspects.stream().mapToLong(x -> x.rows).sum();
          if (options.beforeRecheck() != null) {
            options.beforeRecheck().accept(rows);
          }
          Thread.sleep(options.recheckDelay().toMillis());
          futures.clear();
          for (Suspects x : suspects) {
            futures.add(
                pool.submit(
                    () -> {
                      x.resetCounts();
                      for (KeyRange[] part : x.parts) {
                        if (pushdown.get()) {
                          RangeChecksum[] sums =
                              checksums(
                                  part[0], hashed.get().source(), part[1], hashed.get().target());
                          if (sums != null && sums[0].equals(sums[1])) {
                            x.merged(new KeyedMerge.Counts(sums[0].rows(), sums[1].rows()));
                            continue;
                          }
                        }
                        KeyedMerge.Counts counts = x.merge.run(part[0], part[1], x::again, true);
                        x.merged(counts);
                        rowsRead.addAndGet(counts.source() + counts.target());
                      }
                      x.complete(log, checkpoint, sourceTotal, targetTotal);
                    }));
          }
          join(futures);
          long reported = log.missing() + log.extra() + log.different();
          if (rows > reported) {
            notes.add(
                (rows - reported)
                    + " rows differed at first but not when compared again "
                    + options.recheckDelay().toMillis() / 1000.0
                    + " s later (they were changing); they are not reported");
          }
        }
      } catch (ExecutionException e) {
        throw failure(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FerryException(ErrorCode.INTERNAL, "the verification was interrupted", e);
      } finally {
        pool.shutdownNow();
      }
      if (checkpoint != null) {
        log.flush();
        checkpoint.remove();
      }
      long missing = log.missing();
      long extra = log.extra();
      long different = log.different();
      String method =
          hashed.isEmpty() || !pushdown.get()
              ? "keyed merge"
              : read.get() == 0 ? "checksum" : "checksum + keyed merge";
      if (options.pushdown() && hashed.isEmpty()) {
        notes.add(
            "the stores cannot compare these columns by checksum (a float, JSON or converted"
                + " column, or a transform): every row was read");
      }
      return new VerifyResult(
          missing + extra + different == 0,
          VerifyMode.CONTENT,
          method,
          sourceRows >= 0 ? sourceRows : sourceTotal.get(),
          targetRows >= 0 ? targetRows : targetTotal.get(),
          missing,
          extra,
          different,
          log.sample(),
          options.report(),
          ranges.size(),
          read.get(),
          rowsRead.get(),
          true,
          notes(notes, dirty),
          null);
    }
  }

  /**
   * A key range is complete: with a checkpoint, its own differences go to the verification's log
   * and the range is recorded done (an attempt killed before this compares it again).
   *
   * @param own the range's own log; null when the differences went to {@code log} directly
   */
  private static void completed(
      int i,
      long sourceRows,
      long targetRows,
      DifferenceLog own,
      DifferenceLog log,
      VerifyCheckpoint checkpoint) {
    if (checkpoint == null) {
      return;
    }
    if (own != null) {
      own.close(); // removes an empty file
      if (Files.exists(checkpoint.part(i))) {
        log.addAll(checkpoint.part(i));
      }
    }
    checkpoint.done(i, sourceRows, targetRows);
  }

  /** What identifies a comparison for its checkpoint: its key ranges and its method. */
  private String plan(List<KeyRange[]> ranges, VerifyOptions options) {
    StringBuilder sb =
        new StringBuilder(targetLabel).append('|').append(options.pushdown()).append('|');
    for (KeyRange[] r : ranges) {
      sb.append(r[0]).append(" -> ").append(r[1]).append(';');
    }
    return sb.toString();
  }

  private static void join(List<Future<?>> futures)
      throws ExecutionException, InterruptedException {
    for (Future<?> f : futures) {
      f.get();
    }
  }

  /** Keys of one key range's rows kept for a second look at most; beyond, the whole range. */
  static final int RECHECK_KEYS = 10_000;

  /**
   * The rows of one key range found different at the first look, compared again after the delay:
   * only a row that differs both times is reported.
   */
  private static final class Suspects {
    final int index;

    /** The parts of the range read row by row: the whole range, or its bisected differing parts. */
    final List<KeyRange[]> parts;

    final KeyedMerge merge;

    /** The range's own log (with a checkpoint); null otherwise. */
    final DifferenceLog own;

    /** Rows of the range outside {@link #parts}, equal by checksum. */
    final long sourceOutside;

    final long targetOutside;
    long sourceRows;
    long targetRows;

    Set<Map<String, String>> keys = new HashSet<>();
    long rows;

    Suspects(
        int index,
        List<KeyRange[]> parts,
        KeyedMerge merge,
        DifferenceLog own,
        long sourceOutside,
        long targetOutside) {
      this.index = index;
      this.parts = parts;
      this.merge = merge;
      this.own = own;
      this.sourceOutside = sourceOutside;
      this.targetOutside = targetOutside;
    }

    void merged(KeyedMerge.Counts counts) {
      sourceRows += counts.source();
      targetRows += counts.target();
    }

    void resetCounts() {
      sourceRows = 0;
      targetRows = 0;
    }

    void complete(
        DifferenceLog log,
        VerifyCheckpoint checkpoint,
        AtomicLong sourceTotal,
        AtomicLong targetTotal) {
      long s = sourceOutside + sourceRows;
      long t = targetOutside + targetRows;
      completed(index, s, t, own, log, checkpoint);
      sourceTotal.addAndGet(s);
      targetTotal.addAndGet(t);
    }

    /** Keeps a first look's difference; never reports it (returns false). */
    boolean add(Difference d) {
      rows++;
      if (keys != null) {
        keys.add(d.key());
        if (keys.size() > RECHECK_KEYS) {
          keys = null;
        }
      }
      return false;
    }

    /** Whether a second look's difference is reported: it differed at the first look too. */
    boolean again(Difference d) {
      return keys == null || keys.contains(d.key());
    }
  }

  /** A part of a key range with its two checksums (source's, target's). */
  private record Part(KeyRange[] range, RangeChecksum[] sums) {}

  /**
   * Rows of a part of a key range at most, on the source's side, below which a part whose checksums
   * differ is read row by row rather than cut in two again.
   */
  public static final long BISECT_ROWS = 512;

  /** Cuts at most this deep (2^32 parts of a range). */
  private static final int BISECT_DEPTH = 32;

  /**
   * Collects the parts of a key range whose checksums differ, down to {@link #BISECT_ROWS} rows
   * (Datafold's bisection): the range is cut at the source's middle key, the lower half's checksums
   * are computed by both stores, the upper half's are the range's minus the lower half's (the sums
   * add up), and each half that differs is cut again. A part is read whole when a side has no rows
   * in it (every row of the other side differs), or the store cannot find a middle key.
   */
  private void bisect(
      KeyRange[] range,
      RangeChecksum[] sums,
      ChecksumColumns hashed,
      Schema targetSchema,
      VerifyOptions options,
      List<Part> out,
      int depth) {
    long rows = sums[0].rows();
    if (rows <= options.bisectRows() || sums[1].rows() == 0 || depth >= BISECT_DEPTH) {
      out.add(new Part(range, sums));
      return;
    }
    KeyRange whole = range[0];
    Optional<Object[]> middle = source.keyAt(whole, rows / 2 - 1);
    if (middle.isEmpty()) {
      out.add(new Part(range, sums));
      return;
    }
    KeyRange lowerSource =
        new KeyRange(
            whole.columns(), whole.types(), whole.lower(), whole.lowerInclusive(), middle.get());
    KeyRange upperSource =
        new KeyRange(whole.columns(), whole.types(), middle.get(), false, whole.upper());
    KeyRange[] lower = {lowerSource, toTarget(lowerSource, targetSchema)};
    KeyRange[] upper = {upperSource, toTarget(upperSource, targetSchema)};
    RangeChecksum[] lowerSums = checksums(lower[0], hashed.source(), lower[1], hashed.target());
    if (lowerSums == null) {
      out.add(new Part(range, sums));
      return;
    }
    RangeChecksum[] upperSums = {minus(sums[0], lowerSums[0]), minus(sums[1], lowerSums[1])};
    if (!lowerSums[0].equals(lowerSums[1])) {
      bisect(lower, lowerSums, hashed, targetSchema, options, out, depth + 1);
    }
    if (!upperSums[0].equals(upperSums[1])) {
      bisect(upper, upperSums, hashed, targetSchema, options, out, depth + 1);
    }
  }

  private static RangeChecksum minus(RangeChecksum a, RangeChecksum b) {
    return new RangeChecksum(
        a.rows() - b.rows(),
        new java.math.BigInteger(a.sum()).subtract(new java.math.BigInteger(b.sum())).toString());
  }

  private static List<String> notes(List<String> notes, LongAdder dirty) {
    if (dirty.sum() > 0) {
      notes.add(
          dirty.sum()
              + " source rows do not convert to the target's types (dirty rows of a copy); they"
              + " count as missing when the target lacks them");
    }
    return notes;
  }

  private static RuntimeException failure(Throwable cause) {
    if (cause instanceof IllegalStateException e && e.getMessage().contains("out of order")) {
      return new FerryException(KEY_ORDER, e.getMessage(), e);
    }
    if (cause instanceof RuntimeException e) {
      return e;
    }
    return new FerryException(ErrorCode.INTERNAL, String.valueOf(cause), cause);
  }

  /** Why rows cannot be compared by key, or null when they can. */
  private String unkeyedReason(List<String> key, Schema targetSchema) {
    if (key.isEmpty()) {
      return "the source has no key the job copies unchanged";
    }
    for (String k : key) {
      if (RowComparison.find(targetSchema, k) < 0) {
        return "the target has no key column " + k;
      }
    }
    if (!source.readsInKeyOrder() || !target.readsInKeyOrder()) {
      return "the "
          + (source.readsInKeyOrder() ? "target" : "source")
          + " cannot be read in key order";
    }
    if (pipeline.toTarget(wholeSource()).isEmpty()) {
      return "a transform rewrites a key column";
    }
    return null;
  }

  private KeyRange wholeSource() {
    Schema input = pipeline.input();
    List<String> key = input.key().isEmpty() ? List.of(input.column(0).name()) : input.key();
    List<DataType> types = key.stream().map(k -> input.column(input.indexOf(k)).type()).toList();
    return new KeyRange(key, types, null, false, null);
  }

  private static List<String> firstColumns(Schema schema, List<String> key) {
    return key.isEmpty() ? List.of(schema.column(0).name()) : key;
  }

  private static KeyRange whole(Schema schema, List<String> key) {
    List<String> names = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    for (String k : key) {
      Column c = schema.column(RowComparison.find(schema, k));
      names.add(c.name());
      types.add(c.type());
    }
    return new KeyRange(names, types, null, false, null);
  }

  /**
   * Pairs of (source range, target range) covering every key once: the source planner's key ranges
   * when the key holds no strings (stores order strings by their collations, which the planner
   * follows), else the whole table.
   */
  private List<KeyRange[]> ranges(int parallelism, Schema targetSchema, List<String> key) {
    KeyRange whole = wholeSource();
    List<KeyRange> sourceRanges = new ArrayList<>();
    boolean splittable =
        whole.types().stream().noneMatch(t -> t.kind() == TypeKind.STRING) && parallelism > 1;
    if (splittable) {
      for (Split split : source.planner().plan(parallelism)) {
        Optional<KeyRange> r = source.remainder(split, null);
        if (r.isEmpty()) {
          sourceRanges.clear();
          break;
        }
        sourceRanges.add(r.get());
      }
    }
    if (sourceRanges.isEmpty()) {
      sourceRanges.add(whole);
    }
    List<KeyRange[]> pairs = new ArrayList<>();
    for (KeyRange r : sourceRanges) {
      pairs.add(new KeyRange[] {r, toTarget(r, targetSchema)});
    }
    return pairs;
  }

  private KeyRange toTarget(KeyRange sourceRange, Schema targetSchema) {
    KeyRange out =
        pipeline
            .toTarget(sourceRange)
            .orElseThrow(
                () -> new FerryException(UNSUPPORTED, "the key does not reach the target"));
    List<String> names = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    for (String name : out.columns()) {
      Column c = targetSchema.column(RowComparison.find(targetSchema, name));
      names.add(c.name());
      types.add(c.type());
    }
    return new KeyRange(
        names,
        types,
        cast(out.lower(), out.types(), types),
        out.lowerInclusive(),
        cast(out.upper(), out.types(), types));
  }

  private Object[] cast(Object[] values, List<DataType> from, List<DataType> to) {
    if (values == null) {
      return null;
    }
    Object[] cast = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      cast[i] = Values.cast(values[i], from.get(i), to.get(i), zone);
    }
    return cast;
  }

  /** The source's rows after the job's filters, read split by split. */
  private long countSource(int parallelism, RowPipeline.Counters counters) {
    long rows = 0;
    for (Split split : source.planner().plan(parallelism)) {
      try (SplitReader reader = source.openReader(split, null)) {
        for (RowBatch b = reader.next(); b != null; b = reader.next()) {
          rows += pipeline.apply(b, split.id(), counters).size();
        }
      }
    }
    return rows;
  }

  private static long count(Source s, int parallelism) {
    long rows = 0;
    for (Split split : s.planner().plan(parallelism)) {
      try (SplitReader reader = s.openReader(split, null)) {
        for (RowBatch b = reader.next(); b != null; b = reader.next()) {
          rows += b.size();
        }
      }
    }
    return rows;
  }
}

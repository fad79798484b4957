package io.ferry.spi;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * How a paused or interrupted run continues into a sink from its checkpoint ({@link
 * Sink#resumeModel()}), without losing or repeating a row: one of three models, each carrying what
 * the engine needs for it, so no sink can declare a combination that has no meaning.
 *
 * <ul>
 *   <li>{@link None}: the sink cannot take up an earlier attempt's output. The engine stops such a
 *       run instead of pausing it, fails it on an error a retry might fix, and never resumes it.
 *   <li>{@link ByKeyRange}: what earlier attempts flushed stays, row by row; a resumed reader
 *       continues after each split's committed position. Rows written past a checkpoint are
 *       overwritten by key, or removed first from the key range the source names for what is left
 *       of each unfinished split.
 *   <li>{@link WholeSplit}: the sink keeps a run's rows split by split (a file part renamed when
 *       its split completes); a resumed run removes what earlier attempts wrote for each unfinished
 *       split and reads it again from its start. Positions inside a split are not used.
 * </ul>
 *
 * <p>In both resumable models {@link Resumable#reopen} is called instead of {@link Sink#prepare}
 * when a run continues from its checkpoint, possibly in a new process: it sets up writing again
 * without undoing what earlier attempts wrote (no truncation, no pre-SQL). Then, before any writer,
 * the engine asks the sink to discard what is past the checkpoint, once per unfinished split.
 *
 * <p>The engine also discards during a run, without {@code reopen}: when a writer fails for a
 * reason a retry may fix, it closes that writer and asks the sink to discard what is past the
 * checkpoint of each split the writer had not finished, then reads those splits again with a new
 * writer. Other writers go on writing other splits meanwhile, so a discard must touch only its own
 * split's rows or files and be safe to call from any thread.
 */
public sealed interface SinkResume {
  /** The sink cannot continue an earlier attempt's output. */
  static SinkResume none() {
    return None.INSTANCE;
  }

  /**
   * Resumes row by row from each split's committed position.
   *
   * @param reopen sets up writing again; {@code sink::prepare} for a sink whose preparation
   *     destroys nothing
   * @param discard removes from the target the rows whose key lies in the range (named as in the
   *     target): rows an interrupted attempt may have written past its checkpoint, which the
   *     resumed run is about to write again. A sink that overwrites rows by key may do nothing.
   */
  static SinkResume byKeyRange(Consumer<Schema> reopen, Consumer<KeyRange> discard) {
    return new ByKeyRange(reopen, discard);
  }

  /**
   * Resumes split by split; the writer's {@link SinkWriter#endSplit} makes a split's output final.
   *
   * @param reopen sets up writing again
   * @param discardSplit removes what earlier attempts wrote for an unfinished split, given its
   *     0-based place in the run's plan (the same in every attempt of the run)
   */
  static SinkResume wholeSplit(Consumer<Schema> reopen, IntConsumer discardSplit) {
    return new WholeSplit(reopen, discardSplit);
  }

  /** Whether a run into the sink can pause and continue later. */
  default boolean resumable() {
    return this instanceof Resumable;
  }

  /** The model of a sink that cannot resume. */
  final class None implements SinkResume {
    private static final None INSTANCE = new None();

    private None() {}

    @Override
    public String toString() {
      return "none";
    }
  }

  /** What both resumable models share. */
  abstract sealed class Resumable implements SinkResume permits ByKeyRange, WholeSplit {
    private final Consumer<Schema> reopen;

    Resumable(Consumer<Schema> reopen) {
      this.reopen = Objects.requireNonNull(reopen, "reopen");
    }

    /**
     * Called instead of {@link Sink#prepare} when the run continues from its checkpoint.
     *
     * @param schema the columns of every batch the writers will receive, in order
     */
    public final void reopen(Schema schema) {
      reopen.accept(schema);
    }
  }

  /** See {@link SinkResume#byKeyRange}. */
  final class ByKeyRange extends Resumable {
    private final Consumer<KeyRange> discard;

    private ByKeyRange(Consumer<Schema> reopen, Consumer<KeyRange> discard) {
      super(reopen);
      this.discard = Objects.requireNonNull(discard, "discard");
    }

    /**
     * Removes the target's rows in {@code range}; called after {@link #reopen}, before any writer,
     * once per unfinished split whose source can name its remaining range.
     */
    public void discard(KeyRange range) {
      discard.accept(range);
    }

    @Override
    public String toString() {
      return "by key range";
    }
  }

  /** See {@link SinkResume#wholeSplit}. */
  final class WholeSplit extends Resumable {
    private final IntConsumer discardSplit;

    private WholeSplit(Consumer<Schema> reopen, IntConsumer discardSplit) {
      super(reopen);
      this.discardSplit = Objects.requireNonNull(discardSplit, "discardSplit");
    }

    /**
     * Removes what earlier attempts wrote for split {@code split}; called after {@link #reopen},
     * before any writer, once per unfinished split.
     */
    public void discardSplit(int split) {
      discardSplit.accept(split);
    }

    @Override
    public String toString() {
      return "whole split";
    }
  }
}

package io.ferry.spi;

import java.util.List;
import java.util.Optional;

/**
 * A batch sink: the target of a job, written by one {@link SinkWriter} per channel.
 *
 * <p>Lifecycle, driven by the engine:
 *
 * <ol>
 *   <li>{@link Connector#sink()} creates the sink from parsed options (no I/O yet);
 *   <li>{@link #check()} connects and reports options whose values the store rejects;
 *   <li>{@link #targetSchema()} tells the engine the target's columns, if it has fixed ones;
 *   <li>{@link #prepare(Schema)} runs once before any writer (create, truncate, pre-SQL), or {@link
 *       #resume(Schema)} when the run continues from a checkpoint;
 *   <li>{@link #createWriter} is called once per channel; writers run on their own threads;
 *   <li>after every writer has flushed and closed, {@link #commit()} publishes the result (rename
 *       temporary files, post-SQL, switch an alias); on failure or stop {@link #abort()} cleans up
 *       instead;
 *   <li>{@link #close()}.
 * </ol>
 */
public interface Sink extends AutoCloseable {
  /** The live check; see {@link Source#check()}. */
  default List<OptionProblem> check() {
    return List.of();
  }

  /**
   * The columns the target already has (a table), so the engine can map source columns to them by
   * name; empty when the sink takes whatever columns it is given (a file).
   */
  default Optional<Schema> targetSchema() {
    return Optional.empty();
  }

  /**
   * Called once before any writer is created.
   *
   * @param schema the columns of every batch the writers will receive, in order
   */
  void prepare(Schema schema);

  /**
   * Whether a paused or interrupted run can continue into this sink from its checkpoint without
   * losing or repeating a row: what earlier attempts flushed stays, and rows written again after
   * the checkpoint do no harm (an upsert) or are removed first. The default is false: the engine
   * then stops such runs instead of pausing them, and never resumes them.
   */
  default boolean resumable() {
    return false;
  }

  /**
   * Called instead of {@link #prepare} when a run continues from its checkpoint, possibly in a new
   * process (only if {@link #resumable()}): set up writing again without undoing what earlier
   * attempts wrote (no truncation, no pre-SQL). The default calls {@link #prepare}, which is right
   * only for sinks whose preparation destroys nothing.
   *
   * @param schema the columns of every batch the writers will receive, in order
   */
  default void resume(Schema schema) {
    prepare(schema);
  }

  /**
   * Removes from the target the rows whose key lies in {@code range}: rows an interrupted attempt
   * may have written past its checkpoint, which the resumed run is about to write again. Called
   * after {@link #resume}, before any writer, once per unfinished split whose source can name its
   * remaining range. A sink that overwrites rows by key (an upsert) may do nothing; the default
   * does nothing.
   *
   * @param range key columns named as in the target
   */
  default void discard(KeyRange range) {}

  /**
   * Whether this sink keeps a run's rows split by split rather than row by row: what a writer wrote
   * for a split survives an interruption only once its {@link SinkWriter#endSplit} returned (a file
   * part renamed when its split completes). A resumed run then calls {@link #discardSplit} for
   * every unfinished split and reads it again from its start; positions inside a split are not
   * used. Only meaningful when {@link #resumable()}; the default is false.
   */
  default boolean resumesWholeSplits() {
    return false;
  }

  /**
   * Removes what earlier attempts wrote for an unfinished split, which the resumed run is about to
   * write again from its start. Called after {@link #resume}, before any writer, once per
   * unfinished split, and only when {@link #resumesWholeSplits()}. The default does nothing.
   *
   * @param split the split's 0-based place in the run's plan, the same in every attempt of the run
   */
  default void discardSplit(int split) {}

  /**
   * @param writerIndex 0-based index of the channel this writer serves, unique within the run
   */
  SinkWriter createWriter(int writerIndex);

  /** Publishes what every writer flushed; called once, after all writers closed. */
  default void commit() {}

  /** Undoes what can be undone after a failed or stopped run; must not throw. */
  default void abort() {}

  @Override
  default void close() {}
}

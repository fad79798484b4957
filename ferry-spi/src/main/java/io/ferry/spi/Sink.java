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
 *   <li>{@link #prepare(Schema)} runs once before any writer (create, truncate, pre-SQL), or the
 *       {@link #resumeModel() resume model}'s reopen and discard when the run continues from a
 *       checkpoint;
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
   * How a paused or interrupted run continues into this sink from its checkpoint; see {@link
   * SinkResume}. The default is {@link SinkResume#none()}: the engine then stops such runs instead
   * of pausing them, and never resumes them. The answer depends only on the sink's options.
   */
  default SinkResume resumeModel() {
    return SinkResume.none();
  }

  /**
   * Whether a row whose key equals that of a row already in the target replaces it (upsert,
   * replace, merge) instead of adding a second row: what an incremental job that reads some rows
   * again (its {@code lookBack}) needs to keep one row per key. Default: false.
   */
  default boolean writesByKey() {
    return false;
  }

  /**
   * @param writerIndex 0-based index of the channel this writer serves, unique within the run
   */
  SinkWriter createWriter(int writerIndex);

  /**
   * Whether this sink can apply row changes ({@code kind: cdc}): then {@link #changeWriter} works.
   * The engine refuses a cdc job into a sink that answers false. Default: false.
   */
  default boolean appliesChanges() {
    return false;
  }

  /**
   * Why this sink, with its options, cannot apply changes when {@link #appliesChanges()} is false:
   * a problem per option at fault, naming it and what it needs (a file sink's {@code format}, an
   * index's {@code idColumns}), which the engine reports when it refuses a cdc job. Empty when it
   * can, or when no option would help. Default: empty.
   */
  default List<OptionProblem> changeProblems() {
    return List.of();
  }

  /**
   * Opens a writer of row changes into this sink's table, for a {@code kind: cdc} run; called
   * instead of {@link #prepare} and {@link #createWriter} once the snapshot (if any) is done. It
   * sets up writing without destroying anything (no truncation, no pre-SQL), creates the target
   * when the sink's options say to and it is missing (with {@code target}'s columns and keys, and
   * the soft-delete columns), and adds missing soft-delete columns.
   *
   * @throws UnsupportedOperationException when {@link #appliesChanges()} is false
   */
  default ChangeWriter changeWriter(ChangeWriter.Target target) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot apply changes");
  }

  /** Publishes what every writer flushed; called once, after all writers closed. */
  default void commit() {}

  /** Undoes what can be undone after a failed or stopped run; must not throw. */
  default void abort() {}

  @Override
  default void close() {}
}

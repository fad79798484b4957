package io.ferry.spi;

/** Where connectors hand rows they cannot process. Thread-safe. */
@FunctionalInterface
public interface DirtyRowSink {
  /**
   * Stores the row and counts it against the job's error limit.
   *
   * @throws FerryException with {@link ErrorCode#ERROR_LIMIT} once the limit is exceeded: the
   *     caller lets it propagate, which fails the run
   */
  void accept(DirtyRow row);
}

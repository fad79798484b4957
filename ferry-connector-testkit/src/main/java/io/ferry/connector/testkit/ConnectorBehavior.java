package io.ferry.connector.testkit;

/**
 * What a connector can do, declared by its test class through {@code hasBehavior} (as in Trino's
 * connector tests) so the suites know what to expect. Each behavior has a default: a connector
 * overrides {@code hasBehavior} only where it differs. A test that needs a behavior the connector
 * lacks is skipped with a message naming it, never passed silently.
 */
public enum ConnectorBehavior {
  /**
   * The source's planner cuts a large dataset into more than one split when asked for parallelism
   * 4. Without it the suite still reads with parallelism 4 but accepts a single split.
   */
  SOURCE_SPLITS_LARGE_DATA(true),

  /**
   * Reading the splits planned for parallelism 1, in plan order, yields the rows in the order the
   * dataset holds them (a file read front to back, a table read in key order). Without it, rows are
   * compared as a multiset. Rows within one split are always compared in order: resuming from a
   * position relies on that order.
   */
  SOURCE_PRESERVES_ORDER(false),

  /** {@code Source.estimatedRows()} and the splits' estimates add up to the exact row count. */
  SOURCE_EXACT_ROW_ESTIMATE(false),

  /** Several writers of one sink write at the same time, from different threads. */
  SINK_CONCURRENT_WRITERS(true),

  /** {@code Sink.abort()} after flushed writes leaves no row visible in the target. */
  SINK_ABORT_DISCARDS_ROWS(false),

  /**
   * The sink checks {@code ConnectorContext.fence()} immediately before each commit: once it
   * refuses, nothing more reaches the target (see {@code io.ferry.spi.WriteFence}).
   */
  SINK_FENCES_COMMITS(false),

  /**
   * The store keeps an empty string as NULL (Oracle): the sink suite then expects NULL where it
   * wrote {@code ""}.
   */
  EMPTY_STRING_IS_NULL(false),

  /**
   * TIMESTAMP_TZ values come back with the offset they were written with. Without it (a store that
   * keeps instants only, like PostgreSQL's {@code timestamptz}) they are compared as instants.
   */
  KEEPS_TIMESTAMP_TZ_OFFSET(true);

  private final boolean defaultValue;

  ConnectorBehavior(boolean defaultValue) {
    this.defaultValue = defaultValue;
  }

  /** Whether a connector has this behavior unless its test class says otherwise. */
  public boolean byDefault() {
    return defaultValue;
  }
}

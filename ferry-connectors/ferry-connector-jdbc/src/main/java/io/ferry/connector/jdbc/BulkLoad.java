package io.ferry.connector.jdbc;

/** Whether a sink uses its dialect's bulk load path. */
public enum BulkLoad {
  /** The bulk path when the dialect has one that works here, batched statements otherwise. */
  AUTO,
  /** Always batched statements. */
  OFF
}

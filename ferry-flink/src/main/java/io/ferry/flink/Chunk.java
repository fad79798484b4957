package io.ferry.flink;

import io.ferry.spi.RowBatch;

/**
 * What flows from Ferry's source to its sink inside one Flink task: a converted batch of split
 * {@code ordinal}, or the mark that the split ended. Source, counter and sink are chained with
 * object reuse, so a chunk is handed on, never serialized.
 */
record Chunk(int ordinal, RowBatch batch, long bytes, boolean endOfSplit) {}

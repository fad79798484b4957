package io.ferry.spi;

import java.util.OptionalLong;

/**
 * One independently readable part of a source: a key range, a file or a byte range of one, a shard,
 * a region, an index slice. Immutable; its progress lives in {@link Position}s, not in the split.
 * Serialized with the source's {@link Source#splitCodec()}.
 */
public interface Split {
  /** Identifies the split within its job, stable across runs of the same plan. */
  String id();

  /** Rows the split is expected to hold, for progress and ETA; empty when unknown. */
  default OptionalLong estimatedRows() {
    return OptionalLong.empty();
  }

  /** Bytes the split is expected to hold, for progress when rows are unknown. */
  default OptionalLong estimatedBytes() {
    return OptionalLong.empty();
  }
}

package io.ferry.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * The committed cursor of an incremental job (docs/incremental.md): the highest cursor value its
 * last successful run read up to. The next run reads the rows past it (less the job's look-back).
 *
 * @param key the job's cursor key: its name for the command line, its task for the server
 * @param column the cursor column the value belongs to
 * @param kind the column's {@link io.ferry.spi.TypeKind} name when a run committed it; null when
 *     the value was set by hand before any run
 * @param value the value as text: a plain number, or an ISO-8601 date, date-time or date-time with
 *     offset
 * @param runKey the run that committed it; null when it was set by hand
 * @param updatedAt when it was committed or set
 */
public record CursorState(
    String key, String column, String kind, String value, String runKey, Instant updatedAt) {
  public CursorState {
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(column, "column is null");
    Objects.requireNonNull(value, "value is null");
  }
}

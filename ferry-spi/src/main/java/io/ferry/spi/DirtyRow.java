package io.ferry.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A row that could not be read, converted or written, kept with the reason so nothing is lost
 * silently: it goes to the dirty-data store and counts against the job's error limit.
 *
 * @param location where the row came from, e.g. {@code orders.csv:1042} or {@code id=4711}
 * @param row the row's values by column name; for a record that never became a row, its raw text
 *     under the key {@code _raw}
 * @param column the column at fault, or null when the whole row is
 * @param value the offending value (null when the column is null or no single value is)
 * @param reason what is wrong, in words a user can act on
 */
public record DirtyRow(
    String location, Map<String, Object> row, String column, Object value, String reason) {
  public DirtyRow {
    Objects.requireNonNull(row, "row is null");
    Objects.requireNonNull(reason, "reason is null");
  }
}

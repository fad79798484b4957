package io.ferry.connector.sqlserver;

import io.ferry.connector.support.Values;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * Which of Ferry's temporal values SQL Server's date and time types hold as they are: {@code date},
 * {@code datetime2} and {@code datetimeoffset} span the years 0001 to 9999 and have no infinity,
 * and {@code time} ends at 23:59:59.9999999, so it cannot hold PostgreSQL's {@code 24:00:00}
 * ({@link Values#END_OF_DAY}), which the driver would round or wrap. Such values are refused before
 * they are sent, on the bulk copy path and on the batched one, with a reason for the dirty row; a
 * character column takes their text ({@link Values#specialText}) instead.
 */
final class SqlServerTemporal {
  private SqlServerTemporal() {}

  /**
   * Checks a non-null DATE, TIME, TIMESTAMP or TIMESTAMP_TZ value (any other value passes).
   *
   * @throws IllegalArgumentException naming the value and why SQL Server cannot hold it
   */
  static void checkStorable(Object value) {
    if (Values.isEndOfDay(value)) {
      throw new IllegalArgumentException(
          "24:00:00 cannot be stored in SQL Server's time, which ends at 23:59:59.9999999;"
              + " write the column into a character column to keep it");
    }
    int infinity = Values.infinity(value);
    if (infinity != 0) {
      throw new IllegalArgumentException(
          Values.specialText(value)
              + " cannot be stored in SQL Server: its date and time types have no infinity");
    }
    LocalDate date =
        value instanceof LocalDate d
            ? d
            : value instanceof LocalDateTime t
                ? t.toLocalDate()
                : value instanceof OffsetDateTime t ? t.toLocalDate() : null;
    if (date != null && (date.getYear() < 1 || date.getYear() > 9999)) {
      throw new IllegalArgumentException(
          value
              + (date.getYear() <= 0 ? " (" + (1 - date.getYear()) + " BC)" : "")
              + " is outside the years SQL Server stores (0001 to 9999)");
    }
  }
}

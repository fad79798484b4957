package io.ferry.server.catalog;

import io.ferry.spi.ErrorCode;
import java.util.List;
import java.util.Map;

/** What a reader found in a store, before it is compared with the catalog. */
final class Collected {
  private Collected() {}

  /**
   * @param attributes technical attributes that make the column's definition (compared between
   *     runs)
   */
  record Column(
      String name,
      int ordinal,
      String nativeType,
      boolean nullable,
      String defaultValue,
      String comment,
      Map<String, Object> attributes) {}

  /**
   * @param attributes technical attributes that make the table's definition (a change is a new
   *     version)
   * @param stats attributes that move with the data (row estimate, size): refreshed, never
   *     versioned
   */
  record Table(
      String name,
      String kind,
      String comment,
      Map<String, Object> attributes,
      Map<String, Object> stats,
      List<Column> columns) {}

  /** One object that could not be read; its catalog entry is left as it was. */
  record Problem(String object, ErrorCode code, String message) {}

  /**
   * One database (schema) as read: its tables, and the objects in it that could not be read.
   *
   * @param unreadable names of tables that exist but could not be read (kept, not removed)
   */
  record Database(
      String name, List<Table> tables, List<String> unreadable, List<Problem> problems) {}
}

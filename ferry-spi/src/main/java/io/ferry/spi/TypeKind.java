package io.ferry.spi;

/**
 * The kinds of Ferry's type system. Each kind fixes the Java class that carries its values in a
 * {@link RowBatch}; connectors convert to and from these classes and nothing else.
 *
 * <table>
 *   <caption>Value classes</caption>
 *   <tr><th>kind</th><th>Java value</th></tr>
 *   <tr><td>BOOLEAN</td><td>{@link Boolean}</td></tr>
 *   <tr><td>INT8, INT16, INT32, INT64</td><td>{@link Byte}, {@link Short}, {@link Integer}, {@link Long}</td></tr>
 *   <tr><td>FLOAT32, FLOAT64</td><td>{@link Float}, {@link Double}</td></tr>
 *   <tr><td>DECIMAL</td><td>{@link java.math.BigDecimal}</td></tr>
 *   <tr><td>STRING, JSON</td><td>{@link String} (JSON holds the document's text)</td></tr>
 *   <tr><td>BYTES</td><td>{@code byte[]}</td></tr>
 *   <tr><td>DATE, TIME, TIMESTAMP</td><td>{@link java.time.LocalDate}, {@link java.time.LocalTime}, {@link java.time.LocalDateTime}</td></tr>
 *   <tr><td>TIMESTAMP_TZ</td><td>{@link java.time.OffsetDateTime}</td></tr>
 *   <tr><td>ROW</td><td>{@code Object[]} in field order</td></tr>
 *   <tr><td>ARRAY</td><td>{@link java.util.List}</td></tr>
 *   <tr><td>MAP</td><td>{@link java.util.Map}</td></tr>
 * </table>
 *
 * <p>{@code null} is the SQL NULL of every kind and stays distinct from an empty string.
 *
 * <p>Temporal values databases have beyond an ordinary calendar day, carried exactly by these
 * conventions (PostgreSQL's JDBC driver reads and writes the same ones):
 *
 * <ul>
 *   <li>Years before 1 are BC in the proleptic ISO calendar, as in {@link java.time.LocalDate}:
 *       year 0 is 1 BC, year -43 is 44 BC.
 *   <li>TIME {@code 24:00:00}, the end of a day (PostgreSQL and MySQL {@code time} hold it), is
 *       {@link java.time.LocalTime#MAX} (23:59:59.999999999), whatever the type's fractional
 *       digits. Ferry's TIME therefore has no 23:59:59.999999999 of its own.
 *   <li>{@code infinity} and {@code -infinity} of DATE, TIMESTAMP and TIMESTAMP_TZ are {@code MAX}
 *       and {@code MIN} of {@link java.time.LocalDate}, {@link java.time.LocalDateTime} and {@link
 *       java.time.OffsetDateTime} (for TIMESTAMP_TZ: any offset with the local date-time {@code
 *       LocalDateTime.MAX} or {@code MIN}).
 * </ul>
 *
 * A sink whose store cannot hold such a value sends the row to the dirty-data store with a reason
 * that says so; it never writes a nearby value instead.
 */
public enum TypeKind {
  BOOLEAN,
  INT8,
  INT16,
  INT32,
  INT64,
  FLOAT32,
  FLOAT64,
  DECIMAL,
  STRING,
  BYTES,
  DATE,
  TIME,
  TIMESTAMP,
  TIMESTAMP_TZ,
  JSON,
  ROW,
  ARRAY,
  MAP;

  /** The canonical lower-case name used in job files, e.g. {@code int64}, {@code timestamp_tz}. */
  public String typeName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public boolean isInteger() {
    return this == INT8 || this == INT16 || this == INT32 || this == INT64;
  }

  public boolean isNumeric() {
    return isInteger() || this == FLOAT32 || this == FLOAT64 || this == DECIMAL;
  }

  public boolean isNested() {
    return this == ROW || this == ARRAY || this == MAP;
  }
}

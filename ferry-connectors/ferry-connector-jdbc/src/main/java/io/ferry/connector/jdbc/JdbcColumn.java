package io.ferry.connector.jdbc;

import java.util.Objects;

/**
 * A column as the JDBC driver describes it, from {@code ResultSetMetaData} (what a source reads) or
 * {@code DatabaseMetaData.getColumns} (a sink's target table, the catalog).
 *
 * @param name the column's name as the database spells it
 * @param sqlType the {@link java.sql.Types} code the driver reports
 * @param typeName the database's own type name, e.g. {@code VARCHAR}, {@code int unsigned}, {@code
 *     jsonb}, {@code TIMESTAMP WITH TIME ZONE}
 * @param precision the driver's precision: digits of a number, characters of a string, 0 when
 *     unknown
 * @param scale digits after the decimal point; for time types the fractional-second digits where
 *     the driver reports them; 0 when unknown
 * @param nullable false only when the database says the column is NOT NULL
 * @param unsigned true when the driver says the number is unsigned (MySQL/MariaDB)
 * @param charset a text column's character set as the database names it (lower case), where the
 *     dialect's {@link TypeMapping#refineColumns} reads it (MySQL/MariaDB: {@code utf8mb4}, {@code
 *     latin1}, ...); null when unknown
 */
public record JdbcColumn(
    String name,
    int sqlType,
    String typeName,
    int precision,
    int scale,
    boolean nullable,
    boolean unsigned,
    String charset) {
  public JdbcColumn {
    Objects.requireNonNull(name, "name is null");
    typeName = typeName == null ? "" : typeName;
  }

  /** A column whose character set is not known. */
  public JdbcColumn(
      String name,
      int sqlType,
      String typeName,
      int precision,
      int scale,
      boolean nullable,
      boolean unsigned) {
    this(name, sqlType, typeName, precision, scale, nullable, unsigned, null);
  }

  @Override
  public String toString() {
    return name + " " + typeName;
  }
}

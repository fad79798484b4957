package io.ferry.connector.jdbc;

import java.util.List;

/**
 * Test access to {@link RowBuffer}, whose mutators are package-private in the JDBC base: lets the
 * PostgreSQL tests drive a {@link BulkWriter} directly, as the base's sink does.
 */
public final class TestRowBuffers {
  private TestRowBuffers() {}

  public static RowBuffer of(int arity, List<Object[]> rows) {
    RowBuffer buffer = new RowBuffer(arity, Math.max(1, rows.size()));
    for (Object[] row : rows) {
      int r = buffer.addRow();
      for (int c = 0; c < arity; c++) {
        buffer.set(r, c, row[c]);
      }
    }
    return buffer;
  }
}

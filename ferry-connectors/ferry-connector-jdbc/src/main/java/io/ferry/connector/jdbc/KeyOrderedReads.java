package io.ferry.connector.jdbc;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.RangeChecksum;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SplitReader;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a table source does for verification ({@link io.ferry.spi.Source#openOrdered} and {@link
 * io.ferry.spi.Source#checksum}): reads in Ferry's key order and hashes key ranges inside the
 * database, with the dialect's {@link SqlBuilder#keyOrder} and {@link SqlBuilder#canonicalText}.
 * Both keep the source's filter ({@code where}); a custom query cannot be read this way.
 */
final class KeyOrderedReads {
  private final JdbcSource source;
  private final Dialect dialect;

  KeyOrderedReads(JdbcSource source) {
    this.source = source;
    this.dialect = source.dialect();
  }

  /** The rows of {@code range} in key order, all emitted columns, CHAR values without padding. */
  SplitReader open(KeyRange range) {
    ReadPlan plan = tablePlan();
    List<JdbcColumn> columns = plan.columns().subList(0, plan.emitted());
    Bound bound = bound(plan, range, true);
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(dialect.sql().quote(columns.get(i).name()));
    }
    sql.append(" FROM ").append(plan.qualifiedTable()).append(bound.where());
    sql.append(" ORDER BY ").append(String.join(", ", bound.order()));
    ColumnReader[] readers = new ColumnReader[columns.size()];
    for (int i = 0; i < readers.length; i++) {
      ColumnReader r = plan.readers()[i];
      int type = columns.get(i).sqlType();
      readers[i] = type == Types.CHAR || type == Types.NCHAR ? unpadded(r) : r;
    }
    return new Reader(sql.toString(), bound, readers);
  }

  /** The checksum of {@code range}, or empty when a column has no canonical text here. */
  Optional<RangeChecksum> checksum(KeyRange range, List<Column> hashed) {
    ReadPlan plan = tablePlan();
    Optional<String> sum = Optional.of("0");
    if (!hashed.isEmpty()) {
      Optional<String> row = rowText(plan, hashed);
      if (row.isEmpty()) {
        return Optional.empty();
      }
      sum = dialect.sql().md5Sum(row.get());
      if (sum.isEmpty()) {
        return Optional.empty();
      }
    }
    Bound bound = bound(plan, range, false);
    // One pass, no derived table: the hash of each row is computed once (MariaDB would merge a
    // derived table and compute the expression once per use).
    String query =
        "SELECT COUNT(*), " + sum.get() + " FROM " + plan.qualifiedTable() + bound.where();
    Optional<String> setup = dialect.sql().checksumSetup();
    try (Connection c = source.pooledConnection();
        PreparedStatement s = c.prepareStatement(query)) {
      if (setup.isPresent()) {
        // The pool restores auto-commit when the connection goes back.
        c.setAutoCommit(false);
        try (Statement set = c.createStatement()) {
          set.execute(setup.get());
        }
      }
      bound.bind(s);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return Optional.of(new RangeChecksum(rs.getLong(1), integer(rs.getBigDecimal(2))));
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
      }
    } catch (SQLException e) {
      throw JdbcErrors.translate(
          dialect, e, source.settings(), "computing a checksum of " + plan.label());
    }
  }

  /**
   * The expression of {@link RangeChecksum}'s row text of {@code hashed}: each column's canonical
   * text, a string's with its UTF-8 length before it, {@code N} for NULL (only where the column may
   * hold NULL here), each followed by {@code ;}. Empty when a column has no canonical text.
   */
  private Optional<String> rowText(ReadPlan plan, List<Column> hashed) {
    SqlBuilder sql = dialect.sql();
    List<String> parts = new ArrayList<>();
    for (Column c : hashed) {
      JdbcColumn column = column(plan, c.name());
      String quoted = sql.quote(column.name());
      DataType stored = plan.types().get(plan.columns().indexOf(column));
      Optional<String> text = sql.canonicalText(quoted, column, stored, c.type());
      if (text.isEmpty()) {
        return Optional.empty();
      }
      String field = text.get();
      if (c.type().kind() == TypeKind.STRING) {
        Optional<String> length = sql.utf8Length(field);
        if (length.isEmpty()) {
          return Optional.empty();
        }
        field = sql.concat(List.of(length.get(), "':'", field));
      }
      parts.add(column.nullable() ? "COALESCE(" + field + ", 'N')" : field);
      parts.add("';'");
    }
    return Optional.of(sql.concat(parts));
  }

  /** The key of the row at {@code offset} in {@code range}, in key order; empty past the end. */
  Optional<Object[]> keyAt(KeyRange range, long offset) {
    ReadPlan plan = tablePlan();
    Optional<String> skip = dialect.sql().offsetOneRow();
    if (skip.isEmpty()) {
      return Optional.empty();
    }
    Bound bound = bound(plan, range, true);
    List<String> keys = new ArrayList<>();
    ColumnReader[] readers = new ColumnReader[range.columns().size()];
    for (int k = 0; k < readers.length; k++) {
      JdbcColumn column = column(plan, range.columns().get(k));
      keys.add(dialect.sql().quote(column.name()));
      ColumnReader r = plan.readers()[plan.columns().indexOf(column)];
      int type = column.sqlType();
      readers[k] = type == Types.CHAR || type == Types.NCHAR ? unpadded(r) : r;
    }
    String query =
        "SELECT "
            + String.join(", ", keys)
            + " FROM "
            + plan.qualifiedTable()
            + bound.where()
            + " ORDER BY "
            + String.join(", ", bound.order())
            + skip.get();
    try (Connection c = source.pooledConnection();
        PreparedStatement s = c.prepareStatement(query)) {
      s.setLong(bound.bind(s), offset);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Object[] key = new Object[readers.length];
        for (int k = 0; k < key.length; k++) {
          key[k] = readers[k].read(rs, k + 1);
        }
        return Optional.of(key);
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
      }
    } catch (SQLException e) {
      throw JdbcErrors.translate(
          dialect, e, source.settings(), "finding a key to bisect " + plan.label());
    }
  }

  private static String integer(BigDecimal sum) {
    return sum == null ? "0" : sum.toBigInteger().toString();
  }

  private ReadPlan tablePlan() {
    ReadPlan plan = source.plan();
    if (plan.table() == null) {
      throw new FerryException(
          ErrorCode.OPTION_INVALID, "a custom query cannot be read in key order", "query", null);
    }
    return plan;
  }

  private static JdbcColumn column(ReadPlan plan, String name) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < plan.emitted(); i++) {
      names.add(plan.columns().get(i).name());
    }
    String match = TableMetadata.match(names, name);
    if (match == null) {
      throw new FerryException(
          ErrorCode.NOT_FOUND, plan.label() + " has no column " + name + " among " + names);
    }
    return plan.columns().get(names.indexOf(match));
  }

  /** The WHERE clause, ORDER BY terms and parameters of a key range. */
  /**
   * @param ordered whether the rows are read in key order; without it and without bounds (a whole
   *     table's checksum), the key columns need no order
   */
  private Bound bound(ReadPlan plan, KeyRange range, boolean ordered) {
    boolean needsOrder = ordered || range.lower() != null || range.upper() != null;
    List<String> order = new ArrayList<>();
    ColumnBinder[] binders = new ColumnBinder[range.columns().size()];
    for (int k = 0; k < binders.length; k++) {
      JdbcColumn column = column(plan, range.columns().get(k));
      DataType type = range.types().get(k);
      String quoted = dialect.sql().quote(column.name());
      Optional<String> keyOrder = dialect.sql().keyOrder(quoted, type);
      if (!needsOrder) {
        keyOrder = Optional.of(quoted);
      }
      order.add(
          keyOrder.orElseThrow(
              () ->
                  new FerryException(
                      ErrorCode.OPTION_INVALID,
                      "the "
                          + dialect.name()
                          + " dialect cannot order "
                          + column
                          + " by code points; it cannot be read in key order")));
      binders[k] = dialect.types().binder(type, column);
    }
    List<String> conditions = new ArrayList<>();
    if (plan.where() != null) {
      conditions.add("(" + plan.where() + ")");
    }
    if (range.lower() != null) {
      conditions.add(KeyRangeSql.lower(dialect, order, range.lowerInclusive()));
    }
    if (range.upper() != null) {
      conditions.add(KeyRangeSql.upper(dialect, order));
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    return new Bound(where, order, binders, range, KeyRangeSql.bindOrder(dialect, binders.length));
  }

  private record Bound(
      String where, List<String> order, ColumnBinder[] binders, KeyRange range, int[] bindOrder) {
    /** Binds the bounds' values; returns the next parameter's index. */
    int bind(PreparedStatement s) throws SQLException {
      int p = 1;
      for (Object[] values : new Object[][] {range.lower(), range.upper()}) {
        if (values != null) {
          for (int k : bindOrder) {
            binders[k].bind(s, p++, values[k]);
          }
        }
      }
      return p;
    }
  }

  private static ColumnReader unpadded(ColumnReader reader) {
    return (rs, i) -> {
      Object v = reader.read(rs, i);
      if (v instanceof String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
          end--;
        }
        return s.substring(0, end);
      }
      return v;
    };
  }

  /** A streaming cursor over one key-ordered query; batches carry no position. */
  private final class Reader implements SplitReader {
    private final String sql;
    private final Bound bound;
    private final ColumnReader[] readers;
    private Connection connection;
    private PreparedStatement statement;
    private ResultSet cursor;
    private boolean done;

    Reader(String sql, Bound bound, ColumnReader[] readers) {
      this.sql = sql;
      this.bound = bound;
      this.readers = readers;
    }

    @Override
    public RowBatch next() {
      if (done) {
        return null;
      }
      RowBatch batch = new RowBatch(readers.length, source.batchSize());
      try {
        if (cursor == null) {
          connection = source.pooledConnection();
          statement =
              connection.prepareStatement(
                  sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
          dialect.prepareStreaming(connection, statement, source.fetchSize());
          bound.bind(statement);
          cursor = statement.executeQuery();
        }
        Object[] row = new Object[readers.length];
        while (!batch.isFull()) {
          if (!cursor.next()) {
            done = true;
            close();
            break;
          }
          for (int c = 0; c < readers.length; c++) {
            row[c] = readers[c].read(cursor, c + 1);
          }
          batch.addRow(row);
        }
      } catch (SQLException e) {
        close();
        throw JdbcErrors.translate(dialect, e, source.settings(), "reading " + sql);
      }
      return batch.isEmpty() ? null : batch;
    }

    @Override
    public void close() {
      try {
        if (cursor != null) {
          cursor.close();
        }
        if (statement != null) {
          statement.close();
        }
        if (connection != null) {
          if (!connection.getAutoCommit()) {
            connection.rollback();
          }
          connection.close();
        }
      } catch (SQLException e) {
        // The rows are read; a failing close changes nothing about them.
      }
      cursor = null;
      statement = null;
      connection = null;
    }
  }
}

package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies row changes to one table on its own connection (autocommit off), with the dialect's
 * upsert ({@link SqlBuilder#upsertSql}, a MERGE where the database has no other form) and a DELETE
 * by key. Changes are executed in log order: consecutive changes with the same statement go into
 * one JDBC batch, and a batch is executed before a statement of another shape or a second change of
 * a key already in it, so a later change of a key always lands after an earlier one (and a driver
 * that rewrites a batch into one multi-row statement never sees a key twice).
 *
 * <p>{@link #flush()} commits. Until then the changes since the last commit are kept: a retriable
 * failure reconnects and applies them again, which idempotence makes safe. A value the target
 * cannot take fails the run (a change cannot be dropped without losing exactness).
 */
final class JdbcChangeWriter implements ChangeWriter {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcChangeWriter.class);

  private final JdbcSink sink;
  private final Dialect dialect;
  private final Target target;
  private final int batchSize;
  private TableRef table;
  private String qualified;

  /** The target's columns by name as the database spells them. */
  private Map<String, JdbcColumn> targetColumns;

  private final Map<Object, Shape> shapes = new HashMap<>();
  private Connection connection;
  private PreparedStatement statement;
  private String statementSql;
  private int batched;
  private final Set<List<Object>> keysInBatch = new HashSet<>();

  JdbcChangeWriter(JdbcSink sink, Target target, TableRef table) {
    this.sink = sink;
    this.dialect = sink.dialect();
    this.target = target;
    this.batchSize = sink.batchSize();
    this.table = table;
    this.qualified = dialect.sql().qualifiedName(table);
  }

  /** Reads the target's columns; adds the soft-delete columns when they are missing. */
  void open(Connection c) throws SQLException {
    readColumns(c);
    if (target.deleteMode() == DeleteMode.SOFT) {
      addIfMissing(c, target.softDeleteFlag(), DataType.BOOLEAN);
      addIfMissing(c, target.softDeleteTime(), DataType.TIMESTAMP_TZ);
      readColumns(c);
    }
    for (String k : target.keys()) {
      if (TableMetadata.match(List.copyOf(targetColumns.keySet()), k) == null) {
        throw new FerryException(
            ErrorCode.NOT_FOUND,
            "table " + table + " has no key column " + k + " to apply changes by");
      }
    }
  }

  private void readColumns(Connection c) throws SQLException {
    Map<String, JdbcColumn> columns = new java.util.LinkedHashMap<>();
    for (TableMetadata.DescribedColumn d : TableMetadata.columns(c, dialect, table)) {
      columns.put(d.column().name(), d.column());
    }
    targetColumns = columns;
    shapes.clear();
  }

  private void addIfMissing(Connection c, String column, DataType type) throws SQLException {
    if (TableMetadata.match(List.copyOf(targetColumns.keySet()), column) != null) {
      return;
    }
    String sql = dialect.sql().addColumnSql(qualified, column, dialect.types().nativeType(type));
    LOG.info("{}: adding the soft-delete column: {}", table, sql);
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
    c.commit();
  }

  @Override
  public void apply(List<RowChange> changes) {
    run(changes, false);
  }

  @Override
  public void flush() {
    run(List.of(), true);
  }

  /**
   * Applies {@code changes} (and commits when asked). A failure rolls back what this writer did
   * since its last flush and is thrown with its code: the engine retries a retriable one by reading
   * the log again from its checkpoint into a new writer (changes apply idempotently), as it retries
   * a batch split's writer.
   */
  private void run(List<RowChange> changes, boolean commit) {
    try {
      if (connection == null) {
        connection = sink.connection();
        connection.setAutoCommit(false);
      }
      for (RowChange change : changes) {
        applyOne(change);
      }
      if (commit) {
        executeBatch();
        connection.commit();
      }
    } catch (SQLException e) {
      disconnect();
      throw JdbcErrors.translate(dialect, e, sink.settings(), "applying changes to " + table);
    }
  }

  private void applyOne(RowChange change) throws SQLException {
    Shape shape = shape(change.schema());
    switch (change.kind()) {
      case INSERT -> upsert(shape, change);
      case UPDATE -> {
        Object[] oldKey = shape.key(change.before());
        Object[] newKey = shape.key(change.after());
        if (!Arrays.asList(oldKey).contains(null) && !Arrays.equals(oldKey, newKey)) {
          delete(shape, oldKey, change); // a key change: the old key's row goes
        }
        upsert(shape, change);
      }
      case DELETE -> delete(shape, shape.key(change.before()), change);
    }
  }

  private void upsert(Shape shape, RowChange change) throws SQLException {
    Object[] after = change.after();
    BitSet unchanged = new BitSet();
    for (int i = 0; i < shape.targetIndex.length; i++) {
      if (shape.targetIndex[i] >= 0 && after[i] == ChangeEvent.UNCHANGED) {
        unchanged.set(i);
      }
    }
    Upsert u = shape.upsert(unchanged);
    Object[] key = shape.key(after);
    prepare(u.sql, key);
    int p = 1;
    for (int i : u.sourceIndexes) {
      bind(p++, after[i], shape.binders[i], shape.sqlTypes[i], change);
    }
    if (u.soft) {
      shape.softFlag.bind(statement, p++, Boolean.FALSE);
      statement.setNull(p, shape.softTimeType);
    }
    addBatch();
  }

  private void delete(Shape shape, Object[] key, RowChange change) throws SQLException {
    if (Arrays.asList(key).contains(null)) {
      throw new FerryException(
          ErrorCode.CONVERSION,
          change.kind()
              + " of "
              + change.table()
              + " at "
              + change.position()
              + " lacks a key value");
    }
    boolean soft = target.deleteMode() == DeleteMode.SOFT;
    prepare(soft ? shape.softDeleteSql : shape.deleteSql, key);
    int p = 1;
    if (soft) {
      java.time.Instant at =
          change.committedAt() == null ? java.time.Instant.now() : change.committedAt();
      shape.softFlag.bind(statement, p++, Boolean.TRUE);
      // Cut to the digits the column keeps: the binder refuses to round a time silently.
      int digits = Math.max(0, Math.min(9, shape.softTimeDigits));
      long unit = (long) Math.pow(10, 9 - digits);
      at = at.minusNanos(at.getNano() % unit);
      shape.softTime.bind(statement, p++, at.atOffset(java.time.ZoneOffset.UTC));
    }
    for (int k = 0; k < key.length; k++) {
      int i = shape.keyIndexes[k];
      bind(p++, key[k], shape.binders[i], shape.sqlTypes[i], change);
    }
    addBatch();
  }

  private void bind(int p, Object value, ColumnBinder binder, int sqlType, RowChange change)
      throws SQLException {
    if (value == null) {
      statement.setNull(p, sqlType);
      return;
    }
    try {
      binder.bind(statement, p, value);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new FerryException(
          ErrorCode.CONVERSION,
          "a "
              + change.kind()
              + " of "
              + change.table()
              + " at "
              + change.position()
              + " does not fit "
              + table
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Makes {@code sql} the statement being batched, executing the batch before when needed. */
  private void prepare(String sql, Object[] key) throws SQLException {
    List<Object> k = Arrays.asList(key);
    if (!sql.equals(statementSql) || keysInBatch.contains(k) || batched >= batchSize) {
      executeBatch();
    }
    if (statement == null || !sql.equals(statementSql)) {
      closeStatement();
      statement = connection.prepareStatement(sql);
      statementSql = sql;
    }
    keysInBatch.add(k);
  }

  private void addBatch() throws SQLException {
    statement.addBatch();
    batched++;
  }

  private void executeBatch() throws SQLException {
    if (batched > 0) {
      statement.executeBatch();
      batched = 0;
    }
    keysInBatch.clear();
  }

  @Override
  public SchemaFit schemaChanged(ChangeEvent.SchemaChange change, boolean apply) {
    if (change.after() == null) {
      return SchemaFit.no("the table was dropped or renamed");
    }
    try {
      if (connection == null) {
        connection = sink.connection();
        connection.setAutoCommit(false);
      }
      readColumns(connection);
      List<String> names = List.copyOf(targetColumns.keySet());
      List<String> toRun = new ArrayList<>();
      for (Column column : change.after().columns()) {
        String name = TableMetadata.match(names, column.name());
        if (name == null) {
          String type;
          try {
            type = dialect.types().nativeType(column.type());
          } catch (IllegalArgumentException e) {
            return SchemaFit.no("new column " + column.name() + ": " + e.getMessage());
          }
          toRun.add(dialect.sql().addColumnSql(qualified, column.name(), type));
          continue;
        }
        JdbcColumn existing = targetColumns.get(name);
        DataType has = dialect.types().toColumnMapping(existing).type();
        if (!fits(column.type(), has)) {
          if (!widens(has, column.type())) {
            return SchemaFit.no(
                "column "
                    + name
                    + " changed from "
                    + has
                    + " to "
                    + column.type()
                    + ", which is not a widening");
          }
          var sql =
              dialect
                  .sql()
                  .alterColumnTypeSql(qualified, name, dialect.types().nativeType(column.type()));
          if (sql.isEmpty()) {
            return SchemaFit.no("the " + dialect.name() + " dialect cannot change a column's type");
          }
          toRun.add(sql.get());
        }
      }
      if (toRun.isEmpty()) {
        return SchemaFit.yes();
      }
      if (!apply) {
        return SchemaFit.no("the target needs: " + String.join("; ", toRun));
      }
      try (Statement s = connection.createStatement()) {
        for (String sql : toRun) {
          LOG.info("{}: following a schema change of {}: {}", table, change.table(), sql);
          s.execute(sql);
        }
      }
      connection.commit();
      readColumns(connection);
      return SchemaFit.yes();
    } catch (SQLException e) {
      disconnect();
      return SchemaFit.no(JdbcErrors.rootMessage(e));
    }
  }

  /** Whether values of {@code incoming} go into a column of {@code has} without loss. */
  static boolean fits(DataType incoming, DataType has) {
    return incoming.equals(has) || widens(incoming, has) && !widens(has, incoming);
  }

  /** Whether {@code to} holds every value of {@code from}: a larger number or a longer text. */
  static boolean widens(DataType from, DataType to) {
    TypeKind a = from.kind();
    TypeKind b = to.kind();
    List<TypeKind> ints = List.of(TypeKind.INT8, TypeKind.INT16, TypeKind.INT32, TypeKind.INT64);
    if (ints.contains(a) && ints.contains(b)) {
      return ints.indexOf(a) <= ints.indexOf(b);
    }
    if (a == TypeKind.FLOAT32 && b == TypeKind.FLOAT64) {
      return true;
    }
    if (a == TypeKind.DECIMAL && b == TypeKind.DECIMAL) {
      return to.scale() >= from.scale()
          && to.precision() - to.scale() >= from.precision() - from.scale();
    }
    if (a == b && (a == TypeKind.STRING || a == TypeKind.BYTES)) {
      return to.precision() == 0 || (from.precision() != 0 && to.precision() >= from.precision());
    }
    return a == b && from.equals(to);
  }

  @Override
  public void close() {
    disconnect();
  }

  private void closeStatement() {
    if (statement != null) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // closing
      }
      statement = null;
      statementSql = null;
    }
  }

  private void disconnect() {
    closeStatement();
    batched = 0;
    keysInBatch.clear();
    if (connection != null) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection may be gone
      }
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection may be gone
      }
      connection = null;
    }
  }

  /** How changes of one shape of the source table reach the target. */
  private Shape shape(Schema schema) {
    return shapes.computeIfAbsent(schema.names(), n -> new Shape(schema));
  }

  private record Upsert(String sql, int[] sourceIndexes, boolean soft) {}

  private final class Shape {
    /** The target column of each change column, -1 when the target has none. */
    final int[] targetIndex;

    final String[] targetNames;
    final ColumnBinder[] binders;
    final int[] sqlTypes;
    final int[] keyIndexes;
    final String deleteSql;
    final String softDeleteSql;
    ColumnBinder softFlag;
    ColumnBinder softTime;
    int softTimeType;
    int softTimeDigits;
    private final Map<BitSet, Upsert> upserts = new HashMap<>();

    Shape(Schema schema) {
      List<String> names = List.copyOf(targetColumns.keySet());
      int n = schema.size();
      targetIndex = new int[n];
      targetNames = new String[n];
      binders = new ColumnBinder[n];
      sqlTypes = new int[n];
      for (int i = 0; i < n; i++) {
        Column column = schema.column(i);
        String name = TableMetadata.match(names, column.name());
        if (name == null) {
          targetIndex[i] = -1;
          continue;
        }
        JdbcColumn jc = targetColumns.get(name);
        targetIndex[i] = names.indexOf(name);
        targetNames[i] = name;
        binders[i] = dialect.types().binder(column.type(), jc);
        sqlTypes[i] = jc.sqlType();
      }
      keyIndexes = new int[target.keys().size()];
      List<String> where = new ArrayList<>();
      for (int k = 0; k < keyIndexes.length; k++) {
        String key = target.keys().get(k);
        int i = -1;
        for (int c = 0; c < n; c++) {
          if (schema.column(c).name().equalsIgnoreCase(key) && targetIndex[c] >= 0) {
            i = c;
          }
        }
        if (i < 0) {
          throw new FerryException(
              ErrorCode.NOT_FOUND,
              "changes of " + target.table() + " carry no key column " + key + " of " + table);
        }
        keyIndexes[k] = i;
        where.add(dialect.sql().quote(targetNames[i]) + " = ?");
      }
      String condition = String.join(" AND ", where);
      if (target.deleteMode() == DeleteMode.SOFT) {
        JdbcColumn flag = targetColumns.get(match(target.softDeleteFlag()));
        JdbcColumn time = targetColumns.get(match(target.softDeleteTime()));
        softFlag = dialect.types().binder(DataType.BOOLEAN, flag);
        softTime = dialect.types().binder(DataType.TIMESTAMP_TZ, time);
        softTimeType = time.sqlType();
        softTimeDigits = time.scale() > 0 ? time.scale() : 0;
      }
      deleteSql = "DELETE FROM " + qualified + " WHERE " + condition;
      softDeleteSql =
          target.deleteMode() == DeleteMode.SOFT
              ? "UPDATE "
                  + qualified
                  + " SET "
                  + dialect.sql().quote(match(target.softDeleteFlag()))
                  + " = ?, "
                  + dialect.sql().quote(match(target.softDeleteTime()))
                  + " = ? WHERE "
                  + condition
              : null;
    }

    private String match(String column) {
      return Objects.requireNonNull(
          TableMetadata.match(List.copyOf(targetColumns.keySet()), column), column);
    }

    Object[] key(Object[] row) {
      Object[] key = new Object[keyIndexes.length];
      for (int k = 0; k < key.length; k++) {
        key[k] = row[keyIndexes[k]];
      }
      return key;
    }

    Upsert upsert(BitSet unchanged) {
      return upserts.computeIfAbsent(
          unchanged,
          u -> {
            List<String> columns = new ArrayList<>();
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < targetIndex.length; i++) {
              if (targetIndex[i] >= 0 && !u.get(i)) {
                columns.add(targetNames[i]);
                indexes.add(i);
              }
            }
            boolean soft = target.deleteMode() == DeleteMode.SOFT;
            if (soft) {
              columns.add(match(target.softDeleteFlag()));
              columns.add(match(target.softDeleteTime()));
            }
            List<String> keys = new ArrayList<>();
            for (int k : keyIndexes) {
              keys.add(targetNames[k]);
            }
            String sql =
                dialect
                    .sql()
                    .upsertSql(qualified, columns, keys)
                    .orElseThrow(
                        () ->
                            new FerryException(
                                ErrorCode.OPTION_INVALID,
                                "the "
                                    + dialect.name()
                                    + " dialect has no upsert to apply changes"));
            return new Upsert(sql, indexes.stream().mapToInt(Integer::intValue).toArray(), soft);
          });
    }
  }
}

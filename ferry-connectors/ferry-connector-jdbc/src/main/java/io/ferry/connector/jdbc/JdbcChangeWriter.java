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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies row changes to one table on its own connection (autocommit off), in coalesced windows:
 * the changes of one {@link #apply} call (of one shape) are reduced to the last state of each key,
 * then written with a few statements per chunk of rows — DELETE by key ({@code key IN (...)}, or
 * {@code (a = ? AND b = ?) OR ...} for a composite key), then the dialect's upsert of many rows in
 * one statement ({@link SqlBuilder#upsertSql(String, List, List, int)}; a JDBC batch of one-row
 * upserts where the dialect has no multi-row form). Values are always bound, names quoted.
 *
 * <p>Why the coalescing is exact (the {@link ChangeWriter} contract, per key in log order): a key's
 * changes in one window reduce to one final state, applied once, and changes of different keys
 * commute. The state of a key:
 *
 * <ul>
 *   <li>an upsert of its last after image: columns the log marks {@link ChangeEvent#UNCHANGED} are
 *       taken from an earlier image of the key in the window when there is one (what applying both
 *       in turn would leave), else left out of the upsert (the target keeps its value);
 *   <li>a delete ({@code deleteMode: delete}); a delete followed by an upsert in the same window
 *       stays a delete <em>then</em> the upsert, so the row is written afresh (columns the change
 *       does not carry return to their defaults, as with one change after the other);
 *   <li>{@code deleteMode: soft}: a delete flags the row. A delete after an upsert in the window
 *       becomes the upsert with the flag set (the row exists flagged even when it did not before
 *       the window); a delete alone is the UPDATE of the flag; an upsert after a delete clears it.
 *       An INSERT, and the new key of a key change, write the row afresh (a delete, then the
 *       upsert): a flagged row under the key is replaced, also one under another spelling that the
 *       target's collation takes for the same key ('A' and 'a' under a {@code _ci} collation),
 *       which an upsert would keep with its old spelling. Such a change starts a new window when
 *       the window holds a row to be written flagged, so that the delete follows it.
 * </ul>
 *
 * A key change (an UPDATE whose before key differs from its after key) is a delete of the old key
 * and an upsert of the new one, each coalesced with its key's other changes. Deletes run before
 * upserts (a row moving its unique value from one key to another frees it first); upserts run in
 * the order of each key's last change.
 *
 * <p>{@link #flush()} commits. Until then the changes since the last commit are kept by the
 * database's transaction: a retriable failure rolls back and fails, the engine reconnects and reads
 * the log again from its checkpoint, which idempotence makes safe. A value the target cannot take
 * fails the run (a change cannot be dropped without losing exactness).
 */
final class JdbcChangeWriter implements ChangeWriter {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcChangeWriter.class);

  /**
   * Bound parameters of one statement, at most: under PostgreSQL's limit (32,767) and MySQL's
   * (65,535); the dialects without a multi-row upsert only meet it in an IN list of deletes, which
   * {@link #MAX_DELETE_ROWS} bounds lower.
   */
  static final int MAX_PARAMETERS = 30_000;

  /** Keys of one DELETE, at most (Oracle takes 1,000 expressions in an IN list). */
  static final int MAX_DELETE_ROWS = 1_000;

  /**
   * Estimated bytes of the values of one multi-row statement, at most: well below MySQL's default
   * {@code max_allowed_packet} (16 MB), so big rows go in smaller statements.
   */
  static final long MAX_STATEMENT_BYTES = 4L << 20;

  /** Keys coalesced at most before the window is written, whatever the size of an apply call. */
  static final int MAX_WINDOW = 10_000;

  /** Prepared statements kept per connection (the multi-row forms differ by their row count). */
  private static final int STATEMENT_CACHE = 16;

  private final JdbcSink sink;
  private final Dialect dialect;
  private final Target target;
  private final int batchSize;
  private final boolean soft;
  private TableRef table;
  private String qualified;

  /** The target's columns by name as the database spells them. */
  private Map<String, JdbcColumn> targetColumns;

  private final Map<Object, Shape> shapes = new HashMap<>();
  private Connection connection;

  /** Statements by SQL, least recently used first. */
  private final LinkedHashMap<String, PreparedStatement> statements =
      new LinkedHashMap<>(16, 0.75f, true);

  /** The window: each key's state, in the order of its last change. */
  private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();

  /** The shape of the changes of the window. */
  private Shape pendingShape;

  /** Whether the window holds a row to be written flagged (soft deletes): see {@link #fresh}. */
  private boolean flaggedRows;

  JdbcChangeWriter(JdbcSink sink, Target target, TableRef table) {
    this.sink = sink;
    this.dialect = sink.dialect();
    this.target = target;
    this.batchSize = Math.max(1, sink.batchSize());
    this.soft = target.deleteMode() == DeleteMode.SOFT;
    this.table = table;
    this.qualified = dialect.sql().qualifiedName(table);
  }

  /** Reads the target's columns; adds the soft-delete columns when they are missing. */
  void open(Connection c) throws SQLException {
    readColumns(c);
    if (soft) {
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
    Map<String, JdbcColumn> columns = new LinkedHashMap<>();
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
      try {
        for (RowChange change : changes) {
          Shape shape = shape(change.schema());
          if (shape != pendingShape
              || pending.size() >= MAX_WINDOW
              || (flaggedRows && fresh(shape, change))) {
            write();
            pendingShape = shape;
          }
          coalesce(shape, change);
        }
        write();
      } finally {
        pending.clear(); // written, or lost with the rolled-back transaction: never kept
        pendingShape = null;
        flaggedRows = false;
      }
      if (commit) {
        FencedCommit.commit(connection, sink.context().fence());
      }
    } catch (SQLException e) {
      disconnect();
      throw JdbcErrors.translate(dialect, e, sink.settings(), "applying changes to " + table);
    }
  }

  // ---- coalescing ------------------------------------------------------------------------------

  private void coalesce(Shape shape, RowChange change) throws SQLException {
    switch (change.kind()) {
      case INSERT -> upsert(shape, change.after(), change, soft);
      case UPDATE -> {
        Object[] after = change.after();
        boolean keyChange = keyChange(shape, change);
        if (keyChange) {
          delete(shape.key(change.before()), change); // the old key's row goes
          if (flaggedRows) {
            write(); // the old key's flagged row first: the new key's row is written afresh
          }
        }
        upsert(shape, after, change, soft && keyChange);
      }
      case DELETE -> delete(shape.key(change.before()), change);
    }
  }

  /** Whether {@code change} is an UPDATE whose before key differs from its after key. */
  private static boolean keyChange(Shape shape, RowChange change) {
    if (change.kind() != ChangeEvent.Kind.UPDATE || change.before() == null) {
      return false;
    }
    Object[] oldKey = shape.key(change.before());
    return !Arrays.asList(oldKey).contains(null)
        && !Arrays.deepEquals(oldKey, shape.key(change.after()));
  }

  /**
   * Whether {@code change} makes a row of a key the source did not have live: an INSERT, or the new
   * key of a key change. With {@code deleteMode: soft} such a row is written afresh (deleted
   * first), so that a flagged row the target keeps under that key, or under a spelling of it that
   * the target's collation takes for the same key ('A' for 'a'), is replaced and the key spelt as
   * the source spells it; and the window is written before it when it holds a row to be written
   * flagged, which that delete must follow.
   */
  private static boolean fresh(Shape shape, RowChange change) {
    return change.kind() == ChangeEvent.Kind.INSERT || keyChange(shape, change);
  }

  /**
   * Puts the upsert of {@code after} in the window; {@code deleteFirst}: the key's row is deleted
   * before (the row written afresh).
   */
  private void upsert(Shape shape, Object[] after, RowChange change, boolean deleteFirst) {
    Key key = new Key(shape.key(after));
    Pending earlier = pending.remove(key); // put back last: upserts run in last-change order
    Object[] row = after;
    if (earlier != null) {
      if (earlier.row != null) {
        row = shape.fill(after, earlier.row);
      }
      deleteFirst |= earlier.deleteFirst || (!soft && earlier.row == null);
    }
    pending.put(key, new Pending(row, change, deleteFirst, false));
  }

  private void delete(Object[] key, RowChange change) {
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
    Key k = new Key(key);
    Pending earlier = pending.remove(k);
    // Soft: the row stays, flagged; an upsert of it earlier in the window is written flagged (and
    // afresh, when that upsert was).
    Object[] row = soft && earlier != null ? earlier.row : null;
    boolean deleteFirst = row != null && earlier.deleteFirst;
    pending.put(k, new Pending(row, change, deleteFirst, soft));
    flaggedRows |= row != null;
  }

  // ---- writing a window ------------------------------------------------------------------------

  /** Writes the window: deletes, soft-delete flags, then upserts in chunks. */
  private void write() throws SQLException {
    if (pending.isEmpty()) {
      return;
    }
    Shape shape = pendingShape;
    List<Map.Entry<Key, Pending>> deletes = new ArrayList<>();
    List<Map.Entry<Key, Pending>> flags = new ArrayList<>();
    for (Map.Entry<Key, Pending> e : pending.entrySet()) {
      Pending p = e.getValue();
      if (p.row == null && p.softDeleted) {
        flags.add(e);
      } else if (p.row == null || p.deleteFirst) {
        deletes.add(e);
      }
    }
    int deleteRows =
        Math.max(1, Math.min(MAX_DELETE_ROWS, MAX_PARAMETERS / shape.keyIndexes.length));
    for (int from = 0; from < deletes.size(); from += deleteRows) {
      deleteChunk(shape, deletes.subList(from, Math.min(deletes.size(), from + deleteRows)));
    }
    if (!flags.isEmpty()) {
      flagDeleted(shape, flags);
    }
    List<Pending> run = new ArrayList<>();
    Upsert runUpsert = null;
    long runBytes = 0;
    for (Pending p : pending.values()) {
      if (p.row == null) {
        continue;
      }
      Upsert u = shape.upsert(p.row);
      long bytes = estimate(p.row);
      if (!run.isEmpty()
          && (u != runUpsert
              || run.size() >= u.maxRows
              || runBytes + bytes > MAX_STATEMENT_BYTES)) {
        upsertChunk(shape, runUpsert, run);
        run.clear();
        runBytes = 0;
      }
      run.add(p);
      runUpsert = u;
      runBytes += bytes;
    }
    if (!run.isEmpty()) {
      upsertChunk(shape, runUpsert, run);
    }
    pending.clear();
    flaggedRows = false;
  }

  private void deleteChunk(Shape shape, List<Map.Entry<Key, Pending>> chunk) throws SQLException {
    PreparedStatement statement = statement(shape.deleteSql(chunk.size()));
    int p = 1;
    for (Map.Entry<Key, Pending> e : chunk) {
      Object[] key = e.getKey().values;
      for (int k = 0; k < key.length; k++) {
        int i = shape.keyIndexes[k];
        bind(statement, p++, key[k], shape.binders[i], shape.sqlTypes[i], e.getValue().change);
      }
    }
    statement.executeUpdate();
  }

  /** {@code UPDATE ... SET flag = true, time = ? WHERE key}: a JDBC batch, each its own time. */
  private void flagDeleted(Shape shape, List<Map.Entry<Key, Pending>> flags) throws SQLException {
    PreparedStatement statement = statement(shape.softDeleteSql);
    int batched = 0;
    for (Map.Entry<Key, Pending> e : flags) {
      int p = 1;
      shape.softFlag.bind(statement, p++, Boolean.TRUE);
      shape.softTime.bind(statement, p++, shape.deletedAt(e.getValue().change));
      Object[] key = e.getKey().values;
      for (int k = 0; k < key.length; k++) {
        int i = shape.keyIndexes[k];
        bind(statement, p++, key[k], shape.binders[i], shape.sqlTypes[i], e.getValue().change);
      }
      statement.addBatch();
      if (++batched >= batchSize) {
        statement.executeBatch();
        batched = 0;
      }
    }
    if (batched > 0) {
      statement.executeBatch();
    }
  }

  private void upsertChunk(Shape shape, Upsert u, List<Pending> rows) throws SQLException {
    boolean multiRow = u.multiRow && rows.size() > 1;
    PreparedStatement statement = statement(multiRow ? u.sql(rows.size()) : u.sql);
    int p = 1;
    int batched = 0;
    for (Pending row : rows) {
      for (int i : u.sourceIndexes) {
        bind(statement, p++, row.row[i], shape.binders[i], shape.sqlTypes[i], row.change);
      }
      if (u.soft) {
        shape.softFlag.bind(statement, p++, row.softDeleted);
        if (row.softDeleted) {
          shape.softTime.bind(statement, p++, shape.deletedAt(row.change));
        } else {
          statement.setNull(p++, shape.softTimeType);
        }
      }
      if (!multiRow) {
        statement.addBatch();
        p = 1;
        if (++batched >= batchSize) {
          statement.executeBatch();
          batched = 0;
        }
      }
    }
    if (multiRow) {
      statement.executeUpdate();
    } else if (batched > 0) {
      statement.executeBatch();
    }
  }

  /** An upper bound of the bytes the row's values take on the wire, cheaply. */
  private static long estimate(Object[] row) {
    long bytes = 0;
    for (Object v : row) {
      if (v instanceof String s) {
        bytes += 3L * s.length(); // UTF-8: at most 3 bytes per char (4 per surrogate pair)
      } else if (v instanceof byte[] b) {
        bytes += 2L * b.length; // escaped or hex in a text protocol
      } else {
        bytes += 16;
      }
    }
    return bytes;
  }

  private void bind(
      PreparedStatement statement,
      int p,
      Object value,
      ColumnBinder binder,
      int sqlType,
      RowChange change)
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

  /** The prepared statement of {@code sql} on this connection, prepared once while cached. */
  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
      if (statements.size() > STATEMENT_CACHE) {
        Map.Entry<String, PreparedStatement> eldest = statements.entrySet().iterator().next();
        close(eldest.getValue());
        statements.remove(eldest.getKey());
      }
    }
    return statement;
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

  private static void close(PreparedStatement statement) {
    try {
      statement.close();
    } catch (SQLException ignored) {
      // closing
    }
  }

  private void disconnect() {
    statements.values().forEach(JdbcChangeWriter::close);
    statements.clear();
    pending.clear();
    pendingShape = null;
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

  /** A key's values, equal by content (also for {@code byte[]} keys). */
  private static final class Key {
    final Object[] values;
    private final int hash;

    Key(Object[] values) {
      this.values = values;
      this.hash = Arrays.deepHashCode(values);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && Arrays.deepEquals(values, k.values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * The state of a key in the window (see the class comment).
   *
   * @param row the after image to upsert; null for a delete or a soft delete of a row not written
   *     in the window
   * @param change the key's last change: messages, the soft-delete time
   * @param deleteFirst whether the key's row is deleted before the upsert (a delete, then an
   *     insert)
   * @param softDeleted whether the row ends flagged deleted ({@code deleteMode: soft})
   */
  private record Pending(
      Object[] row, RowChange change, boolean deleteFirst, boolean softDeleted) {}

  /**
   * The upsert of the columns a row carries (those the log did not mark unchanged), one row or
   * many.
   */
  private final class Upsert {
    final String sql;
    final int[] sourceIndexes;
    final boolean soft;
    final boolean multiRow;

    /** Rows of one multi-row statement, at most. */
    final int maxRows;

    private final List<String> columns;
    private final List<String> keys;

    Upsert(List<String> columns, List<String> keys, int[] sourceIndexes, boolean soft) {
      this.columns = columns;
      this.keys = keys;
      this.sourceIndexes = sourceIndexes;
      this.soft = soft;
      this.sql =
          dialect
              .sql()
              .upsertSql(qualified, columns, keys)
              .orElseThrow(
                  () ->
                      new FerryException(
                          ErrorCode.OPTION_INVALID,
                          "the " + dialect.name() + " dialect has no upsert to apply changes"));
      this.multiRow = dialect.sql().upsertSql(qualified, columns, keys, 2).isPresent();
      this.maxRows =
          multiRow ? Math.max(1, Math.min(batchSize, MAX_PARAMETERS / columns.size())) : batchSize;
    }

    String sql(int rows) {
      return dialect.sql().upsertSql(qualified, columns, keys, rows).orElseThrow();
    }
  }

  private final class Shape {
    /** The target column of each change column, -1 when the target has none. */
    final int[] targetIndex;

    final String[] targetNames;
    final ColumnBinder[] binders;
    final int[] sqlTypes;
    final int[] keyIndexes;
    final String softDeleteSql;
    private final String keyCondition;
    ColumnBinder softFlag;
    ColumnBinder softTime;
    int softTimeType;
    int softTimeDigits;
    private final Map<BitSet, Upsert> upserts = new HashMap<>();
    private final BitSet none = new BitSet();

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
      keyCondition = String.join(" AND ", where);
      if (soft) {
        JdbcColumn flag = targetColumns.get(match(target.softDeleteFlag()));
        JdbcColumn time = targetColumns.get(match(target.softDeleteTime()));
        softFlag = dialect.types().binder(DataType.BOOLEAN, flag);
        softTime = dialect.types().binder(DataType.TIMESTAMP_TZ, time);
        softTimeType = time.sqlType();
        softTimeDigits = time.scale() > 0 ? time.scale() : 0;
      }
      softDeleteSql =
          soft
              ? "UPDATE "
                  + qualified
                  + " SET "
                  + dialect.sql().quote(match(target.softDeleteFlag()))
                  + " = ?, "
                  + dialect.sql().quote(match(target.softDeleteTime()))
                  + " = ? WHERE "
                  + keyCondition
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

    /**
     * {@code DELETE FROM t WHERE k IN (?, ...)} for {@code rows} keys; with a composite key {@code
     * (a = ? AND b = ?) OR ...}, which every database turns into key lookups (MariaDB scans the
     * whole index for a row-value comparison; see the MySQL dialect).
     */
    String deleteSql(int rows) {
      StringBuilder sql = new StringBuilder("DELETE FROM ").append(qualified).append(" WHERE ");
      if (keyIndexes.length == 1) {
        sql.append(dialect.sql().quote(targetNames[keyIndexes[0]])).append(" IN (");
        for (int r = 0; r < rows; r++) {
          sql.append(r == 0 ? "?" : ", ?");
        }
        return sql.append(')').toString();
      }
      for (int r = 0; r < rows; r++) {
        sql.append(r == 0 ? "(" : " OR (").append(keyCondition).append(')');
      }
      return sql.toString();
    }

    /** The commit time of a delete as the time column keeps it. */
    java.time.OffsetDateTime deletedAt(RowChange change) {
      java.time.Instant at =
          change.committedAt() == null ? java.time.Instant.now() : change.committedAt();
      // Cut to the digits the column keeps: the binder refuses to round a time silently.
      int digits = Math.max(0, Math.min(9, softTimeDigits));
      long unit = (long) Math.pow(10, 9 - digits);
      return at.minusNanos(at.getNano() % unit).atOffset(java.time.ZoneOffset.UTC);
    }

    /**
     * {@code after} with the values the log marks unchanged taken from {@code earlier}, an earlier
     * image of the same key: what applying both in turn leaves.
     */
    Object[] fill(Object[] after, Object[] earlier) {
      Object[] filled = null;
      for (int i = 0; i < after.length; i++) {
        if (after[i] == ChangeEvent.UNCHANGED && earlier[i] != ChangeEvent.UNCHANGED) {
          if (filled == null) {
            filled = after.clone();
          }
          filled[i] = earlier[i];
        }
      }
      return filled == null ? after : filled;
    }

    /** The upsert of the columns {@code row} carries. */
    Upsert upsert(Object[] row) {
      BitSet unchanged = null;
      for (int i = 0; i < targetIndex.length; i++) {
        if (targetIndex[i] >= 0 && row[i] == ChangeEvent.UNCHANGED) {
          if (unchanged == null) {
            unchanged = new BitSet();
          }
          unchanged.set(i);
        }
      }
      return upserts.computeIfAbsent(unchanged == null ? none : unchanged, this::newUpsert);
    }

    private Upsert newUpsert(BitSet unchanged) {
      List<String> columns = new ArrayList<>();
      List<Integer> indexes = new ArrayList<>();
      for (int i = 0; i < targetIndex.length; i++) {
        if (targetIndex[i] >= 0 && !unchanged.get(i)) {
          columns.add(targetNames[i]);
          indexes.add(i);
        }
      }
      if (soft) {
        columns.add(match(target.softDeleteFlag()));
        columns.add(match(target.softDeleteTime()));
      }
      List<String> keys = new ArrayList<>();
      for (int k : keyIndexes) {
        keys.add(targetNames[k]);
      }
      return new Upsert(
          List.copyOf(columns),
          List.copyOf(keys),
          indexes.stream().mapToInt(Integer::intValue).toArray(),
          soft);
    }
  }
}

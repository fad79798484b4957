package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC sink: one connection per writer, batches committed as they are executed, the dialect's
 * bulk path first. {@link #abort()} leaves committed rows in place (see the README); a resumed run
 * continues with {@link #resume} and {@link #discard} (the README's resume section).
 */
final class JdbcSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);

  private final Dialect dialect;
  private final ConnectorContext context;
  private final JdbcPool pool;
  private final RetryPolicy retry;
  private final TableRef tableRef;
  private final List<String> columnsOption;
  private final WriteMode writeMode;
  private final List<String> keysOption;
  private final int batchSize;
  private final List<String> preSql;
  private final List<String> postSql;
  private final BulkLoad bulkLoad;
  private final boolean createTable;
  private final AtomicBoolean bulkFallbackLogged = new AtomicBoolean();
  private WritePlan plan;

  JdbcSink(Dialect dialect, Options options, ConnectorContext context) {
    this.dialect = dialect;
    this.context = context;
    this.tableRef = TableMetadata.parse(options.get(JdbcOptions.SINK_TABLE));
    this.columnsOption = options.get(JdbcOptions.SINK_COLUMNS);
    this.writeMode = options.get(JdbcOptions.WRITE_MODE);
    this.keysOption = options.get(JdbcOptions.KEYS);
    this.batchSize = options.get(JdbcOptions.SINK_BATCH_SIZE);
    this.preSql = options.get(JdbcOptions.PRE_SQL);
    this.postSql = options.get(JdbcOptions.POST_SQL);
    this.bulkLoad = options.get(JdbcOptions.BULK_LOAD);
    this.createTable = options.get(JdbcOptions.CREATE_TABLE);
    ConnectionSettings settings = ConnectionSettings.of(options, dialect, context.localFiles());
    this.pool = new JdbcPool(settings, dialect, context.zone(), JdbcPool.name(context, "sink"));
    this.retry = new RetryPolicy(dialect);
  }

  Dialect dialect() {
    return dialect;
  }

  ConnectorContext context() {
    return context;
  }

  int batchSize() {
    return batchSize;
  }

  boolean bulkEnabled() {
    return bulkLoad == BulkLoad.AUTO;
  }

  String description() {
    return pool.settings().description();
  }

  ConnectionSettings settings() {
    return pool.settings();
  }

  Connection connection() throws SQLException {
    return pool.connection();
  }

  /**
   * Has the target abort a transaction of this writer's session left idle for longer than the run's
   * {@link io.ferry.spi.WriteFence#idleLimit()}; nothing when the run has none.
   */
  void limitIdleTransactions(Connection connection) throws SQLException {
    java.util.Optional<java.time.Duration> limit = context.fence().idleLimit();
    if (limit.isPresent()) {
      dialect.sessions().limitIdleTransactions(connection, limit.get());
    }
  }

  /** Logs why the bulk path is not used, once per sink. */
  void bulkFallback(String reason, boolean unexpected) {
    if (bulkFallbackLogged.compareAndSet(false, true)) {
      if (unexpected) {
        LOG.warn(
            "{}: bulk load unavailable, writing with batched statements: {}", tableRef, reason);
      } else {
        LOG.info("{}: writing with batched statements: {}", tableRef, reason);
      }
    }
  }

  @Override
  public List<OptionProblem> check() {
    List<OptionProblem> problems = new ArrayList<>();
    try {
      pool.probe();
    } catch (SQLException e) {
      problems.add(ConnectionProblems.connecting(dialect, e, pool.settings()));
      return problems;
    }
    try (Connection c = pool.connection()) {
      Optional<TableRef> table = TableMetadata.resolve(c, dialect, tableRef);
      if (table.isEmpty()) {
        if (!createTable) {
          problems.add(
              new OptionProblem(
                  "table",
                  "no table "
                      + tableRef
                      + " on "
                      + description()
                      + " (createTable: true creates it)"));
        }
        // Without keys, the table is created with the key the source reports; whether there is
        // one is known when the run prepares the table (create()).
        checkWriteMode(problems, keysOption == null ? List.of() : keysOption);
      } else {
        List<String> names =
            TableMetadata.columns(c, dialect, table.get()).stream()
                .map(d -> d.column().name())
                .toList();
        if (columnsOption != null) {
          List<String> missing =
              columnsOption.stream().filter(n -> TableMetadata.match(names, n) == null).toList();
          if (!missing.isEmpty()) {
            problems.add(
                new OptionProblem(
                    "columns",
                    "table " + table.get() + " has no column " + String.join(", ", missing)));
          }
        }
        List<String> keys = keysOption;
        if (keys != null) {
          List<String> missing =
              keys.stream().filter(n -> TableMetadata.match(names, n) == null).toList();
          if (!missing.isEmpty()) {
            problems.add(
                new OptionProblem(
                    "keys",
                    "table " + table.get() + " has no column " + String.join(", ", missing)));
          }
        } else {
          keys = TableMetadata.primaryKey(c, dialect, table.get());
          if (keys.isEmpty() && (writeMode == WriteMode.UPSERT || writeMode == WriteMode.REPLACE)) {
            problems.add(
                new OptionProblem(
                    "keys",
                    "table "
                        + table.get()
                        + " has no primary key: give the conflict keys of "
                        + mode()));
          }
        }
        checkWriteMode(problems, keys);
      }
    } catch (SQLException e) {
      problems.add(ConnectionProblems.inspecting(dialect, e, pool.settings(), "table"));
    }
    return problems;
  }

  private String mode() {
    return writeMode.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Upsert and replace write by key. */
  @Override
  public boolean writesByKey() {
    return writeMode == WriteMode.UPSERT || writeMode == WriteMode.REPLACE;
  }

  private void checkWriteMode(List<OptionProblem> problems, List<String> keys) {
    if (writeMode != WriteMode.UPSERT && writeMode != WriteMode.REPLACE) {
      return;
    }
    List<String> probe = keys.isEmpty() ? List.of("k") : keys;
    if (statementFor(writeMode, "t", probe, probe).isEmpty()) {
      problems.add(
          new OptionProblem(
              "writeMode", "the " + dialect.name() + " dialect has no " + mode() + " statement"));
    }
  }

  private Optional<String> statementFor(
      WriteMode mode, String table, List<String> columns, List<String> keys) {
    return switch (mode) {
      case INSERT, TRUNCATE_INSERT -> Optional.of(dialect.sql().insertSql(table, columns));
      case UPSERT -> dialect.sql().upsertSql(table, columns, keys);
      case REPLACE -> dialect.sql().replaceSql(table, columns, keys);
    };
  }

  @Override
  public Optional<Schema> targetSchema() {
    try (Connection c = pool.connection()) {
      Optional<TableRef> table = TableMetadata.resolve(c, dialect, tableRef);
      if (table.isEmpty()) {
        return Optional.empty();
      }
      List<Column> columns = new ArrayList<>();
      for (TableMetadata.DescribedColumn d : TableMetadata.columns(c, dialect, table.get())) {
        if (columnsOption == null
            || columnsOption.stream().anyMatch(n -> n.equalsIgnoreCase(d.column().name()))) {
          columns.add(
              new Column(
                  d.column().name(),
                  dialect.types().toColumnMapping(d.column()).type(),
                  d.column().nullable()));
        }
      }
      return Optional.of(Schema.of(columns));
    } catch (SQLException e) {
      throw JdbcErrors.translate(dialect, e, pool.settings(), "describing " + tableRef);
    }
  }

  @Override
  public void prepare(Schema schema) {
    prepare(schema, false);
  }

  /**
   * Every committed batch stays in the table, and {@link #discard} removes what an interrupted
   * attempt wrote past its checkpoint (insert) or writing it again overwrites it (upsert, replace).
   */
  @Override
  public SinkResume resumeModel() {
    return SinkResume.byKeyRange(this::reopen, this::discard);
  }

  /**
   * {@link #prepare} without what destroys or repeats: no TRUNCATE ({@code truncate-insert}), no
   * {@code preSql}; the table is created only if it is missing ({@code createTable}).
   */
  private void reopen(Schema schema) {
    LOG.info("{}: resuming {} without truncate or preSql", tableRef, mode());
    prepare(schema, true);
  }

  private void prepare(Schema schema, boolean resuming) {
    try {
      plan =
          retry.run(
              () -> {
                try (Connection c = pool.connection()) {
                  c.setAutoCommit(false);
                  WritePlan p = prepare(c, schema, resuming);
                  c.commit();
                  return p;
                }
              });
    } catch (SQLException e) {
      throw JdbcErrors.translate(
          dialect, e, pool.settings(), (resuming ? "resuming " : "preparing ") + tableRef);
    }
  }

  /**
   * Deletes the target rows whose key lies in {@code range} with one DELETE, in {@code insert} and
   * {@code truncate-insert} mode: rows an interrupted attempt committed after the split's
   * checkpoint, which the resumed reader is about to read and write again. In {@code upsert} and
   * {@code replace} mode it does nothing: writing a row again overwrites the one with its key, so
   * neither a row nor a duplicate can come of it, and a DELETE would only cost time.
   *
   * <p>Every target row in the range goes, also one that was in the table before the run: an
   * insert-mode resume assumes the table's rows in the source's key ranges come from this run (see
   * the README).
   */
  private void discard(KeyRange range) {
    if (writeMode == WriteMode.UPSERT || writeMode == WriteMode.REPLACE) {
      LOG.info(
          "{}: resuming {} rewrites rows {} by key; nothing to discard", tableRef, mode(), range);
      return;
    }
    long deleted;
    try {
      deleted =
          retry.run(
              () -> {
                try (Connection c = pool.connection()) {
                  c.setAutoCommit(false);
                  long n = delete(c, range);
                  c.commit();
                  return n;
                }
              });
    } catch (SQLException e) {
      throw JdbcErrors.translate(
          dialect, e, pool.settings(), "discarding rows " + range + " of " + tableRef);
    }
    LOG.info("{}: discarded {} rows {} written after the checkpoint", tableRef, deleted, range);
  }

  private long delete(Connection c, KeyRange range) throws SQLException {
    TableRef table =
        TableMetadata.resolve(c, dialect, tableRef)
            .orElseThrow(
                () ->
                    new FerryException(
                        ErrorCode.NOT_FOUND,
                        "no table " + tableRef + " on " + description(),
                        "table",
                        null));
    List<JdbcColumn> tableColumns = new ArrayList<>();
    for (TableMetadata.DescribedColumn d : TableMetadata.columns(c, dialect, table)) {
      tableColumns.add(d.column());
    }
    List<String> tableNames = tableColumns.stream().map(JdbcColumn::name).toList();
    int n = range.columns().size();
    List<String> keys = new ArrayList<>(n);
    ColumnBinder[] binders = new ColumnBinder[n];
    int[] sqlTypes = new int[n];
    for (int k = 0; k < n; k++) {
      String name = TableMetadata.match(tableNames, range.columns().get(k));
      if (name == null) {
        throw new FerryException(
            ErrorCode.NOT_FOUND,
            "table "
                + table
                + " has no key column "
                + range.columns().get(k)
                + " to discard rows "
                + range
                + " by");
      }
      JdbcColumn column = tableColumns.get(tableNames.indexOf(name));
      keys.add(dialect.sql().quote(name));
      binders[k] = dialect.types().binder(range.types().get(k), column);
      sqlTypes[k] = column.sqlType();
    }
    List<String> conditions = new ArrayList<>();
    if (range.lower() != null) {
      conditions.add(KeyRangeSql.lower(dialect, keys, range.lowerInclusive()));
    }
    if (range.upper() != null) {
      conditions.add(KeyRangeSql.upper(dialect, keys));
    }
    String sql =
        "DELETE FROM "
            + dialect.sql().qualifiedName(table)
            + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
    int[] order = KeyRangeSql.bindOrder(dialect, n);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int p = 1;
      for (Object[] bound : new Object[][] {range.lower(), range.upper()}) {
        if (bound != null) {
          for (int k : order) {
            if (bound[k] == null) {
              ps.setNull(p++, sqlTypes[k]);
            } else {
              binders[k].bind(ps, p++, bound[k]);
            }
          }
        }
      }
      return ps.executeUpdate();
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new FerryException(
          ErrorCode.CONVERSION,
          "the key range "
              + range
              + " does not bind to the key of "
              + table
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private WritePlan prepare(Connection c, Schema schema, boolean resuming) throws SQLException {
    Optional<TableRef> found = TableMetadata.resolve(c, dialect, tableRef);
    TableRef table;
    if (found.isPresent()) {
      table = found.get();
    } else if (createTable) {
      create(c, schema);
      table =
          TableMetadata.resolve(c, dialect, tableRef)
              .orElseThrow(() -> new SQLException("created table " + tableRef + " not found"));
    } else {
      throw new FerryException(
          ErrorCode.NOT_FOUND, "no table " + tableRef + " on " + description(), "table", null);
    }
    String qualified = dialect.sql().qualifiedName(table);
    List<JdbcColumn> tableColumns = new ArrayList<>();
    for (TableMetadata.DescribedColumn d : TableMetadata.columns(c, dialect, table)) {
      tableColumns.add(d.column());
    }
    List<String> tableNames = tableColumns.stream().map(JdbcColumn::name).toList();
    List<String> incoming = schema.names();
    List<JdbcColumn> columns = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    List<String> wanted = columnsOption != null ? columnsOption : incoming;
    List<String> ignored = new ArrayList<>();
    for (String name : wanted) {
      String tableName = TableMetadata.match(tableNames, name);
      String incomingName = TableMetadata.match(incoming, name);
      if (tableName == null || incomingName == null) {
        if (columnsOption != null) {
          throw new FerryException(
              ErrorCode.NOT_FOUND,
              tableName == null
                  ? "table " + table + " has no column " + name
                  : "the incoming rows have no column " + name + " (they have " + incoming + ")",
              "columns",
              null);
        }
        ignored.add(name);
        continue;
      }
      columns.add(tableColumns.get(tableNames.indexOf(tableName)));
      int index = schema.indexOf(incomingName);
      indexes.add(index);
      types.add(schema.column(index).type());
    }
    if (!ignored.isEmpty()) {
      LOG.info("{}: incoming columns {} are not in the table and are not written", table, ignored);
    }
    if (columns.isEmpty()) {
      throw new FerryException(
          ErrorCode.NOT_FOUND,
          "none of the incoming columns " + incoming + " is a column of " + table,
          "columns",
          null);
    }
    List<String> columnNames = columns.stream().map(JdbcColumn::name).toList();
    List<String> keys = keys(c, table, columnNames);
    String sql =
        statementFor(writeMode, qualified, columnNames, keys)
            .orElseThrow(
                () ->
                    FerryException.option(
                        ErrorCode.OPTION_INVALID,
                        "writeMode",
                        "the " + dialect.name() + " dialect has no " + mode() + " statement"));
    if (!resuming) {
      if (writeMode == WriteMode.TRUNCATE_INSERT) {
        execute(c, dialect.sql().truncateSql(qualified));
      }
      for (String statement : preSql) {
        execute(c, statement);
      }
    }
    ColumnBinder[] binders = new ColumnBinder[columns.size()];
    for (int i = 0; i < binders.length; i++) {
      binders[i] = dialect.types().binder(types.get(i), columns.get(i));
    }
    WriteMode bulkMode = writeMode == WriteMode.TRUNCATE_INSERT ? WriteMode.INSERT : writeMode;
    boolean conflicts = bulkMode == WriteMode.UPSERT || bulkMode == WriteMode.REPLACE;
    return new WritePlan(
        table.toString(),
        sql,
        List.copyOf(columns),
        List.copyOf(types),
        indexes.stream().mapToInt(Integer::intValue).toArray(),
        binders,
        keys,
        new BulkTarget(
            qualified, table, columns, types, bulkMode, conflicts ? keys : List.of(), context));
  }

  /** The conflict keys (upsert/replace) or, for locations only, the primary key. */
  private List<String> keys(Connection c, TableRef table, List<String> columnNames)
      throws SQLException {
    boolean conflicts = writeMode == WriteMode.UPSERT || writeMode == WriteMode.REPLACE;
    List<String> keys = new ArrayList<>();
    if (keysOption != null) {
      for (String k : keysOption) {
        String name = TableMetadata.match(columnNames, k);
        if (name == null) {
          throw FerryException.option(
              ErrorCode.OPTION_INVALID,
              "keys",
              "key column " + k + " is not among the written columns " + columnNames);
        }
        keys.add(name);
      }
      return keys;
    }
    for (String k : TableMetadata.primaryKey(c, dialect, table)) {
      String name = TableMetadata.match(columnNames, k);
      if (name == null) {
        if (conflicts) {
          throw FerryException.option(
              ErrorCode.OPTION_INVALID,
              "keys",
              "primary key column " + k + " of " + table + " is not written; give keys");
        }
        return List.of();
      }
      keys.add(name);
    }
    if (keys.isEmpty() && conflicts) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          "keys",
          "table " + table + " has no primary key: give the conflict keys of " + mode());
    }
    return keys;
  }

  /**
   * Creates the table for {@code createTable}: the incoming columns (those of {@code columns} when
   * given) with the dialect's native types, and a primary key of {@code keys}, or else of the key
   * the source reported ({@link Schema#key()}) when all its columns are created: without one, a
   * second run in insert mode would add every row again.
   */
  private void create(Connection c, Schema schema) throws SQLException {
    create(c, schema, keysOption);
  }

  private void create(Connection c, Schema schema, List<String> keysGiven) throws SQLException {
    List<Column> columns = new ArrayList<>();
    for (Column column : schema.columns()) {
      if (columnsOption == null
          || columnsOption.stream().anyMatch(n -> n.equalsIgnoreCase(column.name()))) {
        columns.add(column);
      }
    }
    List<String> keys = keysGiven;
    if (keys == null) {
      List<String> created = columns.stream().map(Column::name).toList();
      keys = created.containsAll(schema.key()) ? schema.key() : List.of();
      if (keys.isEmpty() && (writeMode == WriteMode.UPSERT || writeMode == WriteMode.REPLACE)) {
        throw FerryException.option(
            ErrorCode.OPTION_INVALID,
            "keys",
            "a table created for "
                + mode()
                + " needs a key: the source reports none"
                + (schema.key().isEmpty() ? "" : " among the written columns")
                + "; give keys");
      }
      if (keys.isEmpty()) {
        LOG.info(
            "{}: created without a primary key: the source reports none{}",
            tableRef,
            schema.key().isEmpty() ? "" : " among the written columns (give keys)");
      }
    }
    String sql;
    try {
      sql =
          dialect
              .sql()
              .createTableSql(
                  dialect.sql().qualifiedName(tableRef), columns, keys, dialect.types());
    } catch (IllegalArgumentException e) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          "createTable",
          "createTable cannot create " + tableRef + " on " + description() + ": " + e.getMessage());
    }
    LOG.info("creating {}: {}", tableRef, sql);
    execute(c, sql);
    c.commit();
  }

  private void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      if (dialect.errors().isRetriable(e)) {
        throw e;
      }
      throw new FerryException(
          JdbcErrors.SQL,
          "'" + sql + "' failed on " + description() + ": " + JdbcErrors.rootMessage(e),
          e);
    }
  }

  /** Every JDBC dialect with an upsert applies changes: upsert and delete by key. */
  @Override
  public boolean appliesChanges() {
    return dialect.sql().upsertSql("t", List.of("k", "v"), List.of("k")).isPresent();
  }

  /**
   * A writer of changes into this sink's table: created first when missing and {@code createTable}
   * is on (the target's columns, a primary key of its keys), then soft-delete columns added when
   * missing. No truncation, no preSql: a cdc run applies changes to what is there.
   */
  @Override
  public io.ferry.spi.ChangeWriter changeWriter(io.ferry.spi.ChangeWriter.Target target) {
    try {
      return retry.run(
          () -> {
            try (Connection c = pool.connection()) {
              c.setAutoCommit(false);
              Optional<TableRef> found = TableMetadata.resolve(c, dialect, tableRef);
              if (found.isEmpty()) {
                if (!createTable) {
                  throw new FerryException(
                      ErrorCode.NOT_FOUND,
                      "no table "
                          + tableRef
                          + " on "
                          + description()
                          + " (createTable: true creates it)",
                      "table",
                      null);
                }
                create(c, target.schema().withKey(target.keys()), target.keys());
                found = TableMetadata.resolve(c, dialect, tableRef);
              }
              TableRef table =
                  found.orElseThrow(
                      () -> new SQLException("created table " + tableRef + " not found"));
              pool.ensureSize(2);
              JdbcChangeWriter writer = new JdbcChangeWriter(this, target, table);
              writer.open(c);
              c.commit();
              return writer;
            }
          });
    } catch (SQLException e) {
      throw JdbcErrors.translate(
          dialect, e, pool.settings(), "opening " + tableRef + " for changes");
    }
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    if (plan == null) {
      throw new IllegalStateException("prepare() must run before createWriter()");
    }
    // Writers hold one connection each; one more for commit's post-SQL.
    pool.ensureSize(writerIndex + 2);
    return new JdbcSinkWriter(this, plan);
  }

  @Override
  public void commit() {
    if (postSql.isEmpty()) {
      return;
    }
    try {
      retry.run(
          () -> {
            try (Connection c = pool.connection()) {
              c.setAutoCommit(false);
              for (String statement : postSql) {
                execute(c, statement);
              }
              c.commit();
              return null;
            }
          });
    } catch (SQLException e) {
      throw JdbcErrors.translate(dialect, e, pool.settings(), "running postSql on " + tableRef);
    }
  }

  /**
   * Rows already committed stay: every executed batch is committed on its own, so the table holds
   * exactly the rows of flushed checkpoints plus possibly some after them (see the README).
   */
  @Override
  public void abort() {
    LOG.info("{}: run aborted; committed rows stay in the table, postSql not run", tableRef);
  }

  @Override
  public void close() {
    pool.close();
  }
}

package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.CursorReads;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.RangeChecksum;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import io.ferry.spi.TypeKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC source: a table (all or some columns, optionally filtered) cut into key ranges, or a
 * custom query read as one split. See the module README for splitting, positions and resume.
 */
final class JdbcSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSource.class);

  private final Dialect dialect;
  private final ConnectorContext context;
  private final JdbcPool pool;
  private final boolean ownsPool;
  private final RetryPolicy retry;
  private final String tableOption;

  /**
   * The option that named the table, for messages: {@code table}, {@code tables} or {@code shards}.
   */
  private final String tableOptionName;

  private final List<String> columnsOption;
  private final String where;

  /** The cursor range of an incremental run ({@link #cursor}), null otherwise. */
  private String cursorFilter;

  private final String query;
  private final List<String> splitKey;
  private final int splitsPerChannel;
  private final int fetchSize;
  private final int batchSize;
  private final boolean snapshot;
  private ReadPlan plan;
  private ReadSnapshot readSnapshot;
  private OptionalLong rowEstimate;

  JdbcSource(Dialect dialect, Options options, ConnectorContext context) {
    this(
        dialect,
        options,
        context,
        options.get(JdbcOptions.SOURCE_TABLE),
        "table",
        new JdbcPool(
            ConnectionSettings.of(options, dialect, context.localFiles()),
            dialect,
            context.zone(),
            JdbcPool.name(context, "source")),
        true);
  }

  /**
   * One table (or the query) of a source over several tables or shards ({@link ShardedSource}): the
   * table and pool are given, and the pool is closed by this source only when it {@code ownsPool}.
   */
  JdbcSource(
      Dialect dialect,
      Options options,
      ConnectorContext context,
      String table,
      String tableOptionName,
      JdbcPool pool,
      boolean ownsPool) {
    this.dialect = dialect;
    this.context = context;
    this.tableOption = table;
    this.tableOptionName = tableOptionName;
    this.columnsOption = options.get(JdbcOptions.SOURCE_COLUMNS);
    this.where = options.get(JdbcOptions.WHERE);
    this.query = options.get(JdbcOptions.QUERY);
    this.splitKey = options.get(JdbcOptions.SPLIT_KEY);
    this.splitsPerChannel = options.get(JdbcOptions.SPLITS_PER_CHANNEL);
    this.fetchSize = options.get(JdbcOptions.FETCH_SIZE);
    this.batchSize = options.get(JdbcOptions.SOURCE_BATCH_SIZE);
    this.snapshot = options.get(JdbcOptions.SNAPSHOT);
    checkExclusive();
    this.pool = pool;
    this.ownsPool = ownsPool;
    this.retry = new RetryPolicy(dialect);
  }

  /** A table or a query, and the table-only options only with a table. */
  private void checkExclusive() {
    List<OptionProblem> problems = new ArrayList<>();
    if (tableOption != null && query != null) {
      problems.add(new OptionProblem("table", "give table or query, not both"));
      problems.add(new OptionProblem("query", "give table or query, not both"));
    } else if (tableOption == null && query == null) {
      problems.add(new OptionProblem("table", "give the table to read, or a query"));
    } else if (query != null) {
      if (columnsOption != null) {
        problems.add(new OptionProblem("columns", "not with query: select the columns in it"));
      }
      if (where != null) {
        problems.add(new OptionProblem("where", "not with query: filter in it"));
      }
      if (splitKey != null) {
        problems.add(new OptionProblem("splitKey", "not with query: a query is read as one split"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
  }

  String description() {
    return pool.settings().description();
  }

  ConnectionSettings settings() {
    return pool.settings();
  }

  Dialect dialect() {
    return dialect;
  }

  ConnectorContext context() {
    return context;
  }

  int fetchSize() {
    return fetchSize;
  }

  int batchSize() {
    return batchSize;
  }

  /** Whether readers take their connections from a consistent snapshot. */
  synchronized boolean readsSnapshot() {
    return readSnapshot != null;
  }

  /** A connection for one reader: from the snapshot when there is one. */
  Connection readerConnection() throws SQLException {
    ReadSnapshot s;
    synchronized (this) {
      s = readSnapshot;
    }
    return s != null ? s.connection() : pool.connection();
  }

  /** A connection of the pool, never the snapshot's: for verification reads and checksums. */
  Connection pooledConnection() throws SQLException {
    return pool.connection();
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
      try {
        plan(c);
      } catch (FerryException e) {
        if (e.option() == null) {
          throw e;
        }
        problems.add(new OptionProblem(e.option(), e.getMessage()));
      }
    } catch (SQLException e) {
      problems.add(
          ConnectionProblems.inspecting(
              dialect, e, pool.settings(), query != null ? "query" : tableOptionName));
    }
    if (snapshot && !dialect.supportsSnapshot()) {
      problems.add(
          new OptionProblem(
              "snapshot", "the " + dialect.name() + " dialect has no consistent snapshot"));
    }
    return problems;
  }

  @Override
  public Schema schema() {
    return plan().schema();
  }

  synchronized ReadPlan plan() {
    if (plan == null) {
      try (Connection c = pool.connection()) {
        plan(c);
      } catch (SQLException e) {
        throw JdbcErrors.translate(dialect, e, pool.settings(), "describing " + what());
      }
    }
    return plan;
  }

  private String what() {
    return query != null ? "the query" : tableOption;
  }

  /** Works out the plan on {@code c}; a wrong option is a FerryException naming it. */
  private synchronized void plan(Connection c) throws SQLException {
    if (plan != null) {
      return;
    }
    plan = query != null ? queryPlan(c) : tablePlan(c);
  }

  private ReadPlan queryPlan(Connection c) throws SQLException {
    List<JdbcColumn> columns = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM (" + query + ") ferry_q WHERE 1 = 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(
            new JdbcColumn(
                meta.getColumnLabel(i),
                meta.getColumnType(i),
                meta.getColumnTypeName(i),
                meta.getPrecision(i),
                meta.getScale(i),
                meta.isNullable(i) != ResultSetMetaData.columnNoNulls,
                !meta.isSigned(i) && isNumber(meta.getColumnType(i))));
      }
    } catch (SQLException e) {
      if (dialect.errors().isRetriable(e) || dialect.errors().isAuthenticationFailure(e)) {
        throw e;
      }
      throw new FerryException(
          JdbcErrors.SQL,
          "the query does not run on " + description() + ": " + JdbcErrors.rootMessage(e),
          "query",
          e);
    }
    return build(null, null, columns, columns.size(), new int[0]);
  }

  private static boolean isNumber(int sqlType) {
    return switch (sqlType) {
      case java.sql.Types.TINYINT,
          java.sql.Types.SMALLINT,
          java.sql.Types.INTEGER,
          java.sql.Types.BIGINT ->
          true;
      default -> false;
    };
  }

  private ReadPlan tablePlan(Connection c) throws SQLException {
    TableRef table =
        TableMetadata.resolve(c, dialect, TableMetadata.parse(tableOption))
            .orElseThrow(
                () ->
                    new FerryException(
                        ErrorCode.NOT_FOUND,
                        "no table " + tableOption + " on " + description(),
                        tableOptionName,
                        null));
    List<JdbcColumn> all = new ArrayList<>();
    for (TableMetadata.DescribedColumn d : TableMetadata.columns(c, dialect, table)) {
      all.add(d.column());
    }
    List<String> names = all.stream().map(JdbcColumn::name).toList();
    List<JdbcColumn> selected = new ArrayList<>();
    if (columnsOption == null) {
      selected.addAll(all);
    } else {
      List<String> missing = new ArrayList<>();
      for (String wanted : columnsOption) {
        String name = TableMetadata.match(names, wanted);
        if (name == null) {
          missing.add(wanted);
        } else {
          selected.add(all.get(names.indexOf(name)));
        }
      }
      if (!missing.isEmpty()) {
        throw new FerryException(
            ErrorCode.NOT_FOUND,
            "table " + table + " has no column " + String.join(", ", missing),
            "columns",
            null);
      }
    }
    int emitted = selected.size();
    List<String> keyNames = keyNames(c, table, names);
    int[] keyIndexes = new int[keyNames.size()];
    for (int k = 0; k < keyIndexes.length; k++) {
      String key = keyNames.get(k);
      int index = -1;
      for (int i = 0; i < selected.size(); i++) {
        if (selected.get(i).name().equals(key)) {
          index = i;
        }
      }
      if (index < 0) {
        // Read, but not emitted: the key tracks the position.
        selected.add(all.get(names.indexOf(key)));
        index = selected.size() - 1;
      }
      keyIndexes[k] = index;
    }
    if (where != null) {
      checkWhere(c, table);
    }
    ReadPlan candidate =
        build(table, dialect.sql().qualifiedName(table), selected, emitted, keyIndexes);
    for (DataType t : candidate.keyTypes()) {
      if (!isOrderable(t)) {
        LOG.info(
            "{}: key of type {} cannot split or order reads; reading one split by row count",
            table,
            t);
        return build(
            table,
            dialect.sql().qualifiedName(table),
            selected.subList(0, emitted),
            emitted,
            new int[0]);
      }
    }
    return candidate;
  }

  private List<String> keyNames(Connection c, TableRef table, List<String> names)
      throws SQLException {
    if (splitKey == null) {
      return TableMetadata.primaryKey(c, dialect, table);
    }
    List<String> keys = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String wanted : splitKey) {
      String name = TableMetadata.match(names, wanted);
      if (name == null) {
        missing.add(wanted);
      } else {
        keys.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new FerryException(
          ErrorCode.NOT_FOUND,
          "table " + table + " has no column " + String.join(", ", missing),
          "splitKey",
          null);
    }
    return keys;
  }

  private void checkWhere(Connection c, TableRef table) throws SQLException {
    String sql =
        "SELECT 1 FROM " + dialect.sql().qualifiedName(table) + " WHERE (" + where + ") AND 1 = 0";
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
    } catch (SQLException e) {
      if (dialect.errors().isRetriable(e)) {
        throw e;
      }
      throw new FerryException(
          JdbcErrors.SQL,
          "the filter does not run on " + table + ": " + JdbcErrors.rootMessage(e),
          "where",
          e);
    }
  }

  /** Types whose order is exact and portable: no floats (rounding), JSON or nested values. */
  private static boolean isOrderable(DataType type) {
    TypeKind k = type.kind();
    return !(k == TypeKind.FLOAT32
        || k == TypeKind.FLOAT64
        || k == TypeKind.JSON
        || k == TypeKind.BOOLEAN
        || k.isNested());
  }

  private ReadPlan build(
      TableRef table, String qualified, List<JdbcColumn> columns, int emitted, int[] keyIndexes) {
    List<DataType> types = new ArrayList<>(columns.size());
    ColumnReader[] readers = new ColumnReader[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      ColumnMapping mapping = dialect.types().toColumnMapping(columns.get(i));
      types.add(mapping.type());
      readers[i] = mapping.reader();
    }
    ColumnBinder[] keyBinders = new ColumnBinder[keyIndexes.length];
    for (int k = 0; k < keyIndexes.length; k++) {
      keyBinders[k] = dialect.types().binder(types.get(keyIndexes[k]), columns.get(keyIndexes[k]));
    }
    return new ReadPlan(
        table,
        qualified,
        query,
        filter(),
        table == null ? "query" : table.toString(),
        List.copyOf(columns),
        List.copyOf(types),
        readers,
        keyBinders,
        emitted,
        keyIndexes);
  }

  @Override
  public SplitPlanner planner() {
    return parallelism -> {
      ReadPlan p = plan();
      pool.ensureSize(parallelism + 1);
      openSnapshot(parallelism);
      try {
        return retry.run(
            () -> {
              try (Connection c = pool.connection()) {
                return new KeyRangePlanner(this, p, c).plan(parallelism * splitsPerChannel);
              }
            });
      } catch (SQLException e) {
        throw JdbcErrors.translate(dialect, e, pool.settings(), "planning splits of " + p.label());
      }
    };
  }

  private synchronized void openSnapshot(int readers) {
    if (!snapshot || readSnapshot != null) {
      return;
    }
    if (!dialect.supportsSnapshot()) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          "snapshot",
          "the " + dialect.name() + " dialect has no consistent snapshot");
    }
    try {
      readSnapshot = dialect.snapshot(pool.dataSource(), readers);
    } catch (SQLException e) {
      throw JdbcErrors.translate(dialect, e, pool.settings(), "opening a consistent snapshot");
    }
  }

  /** The dialect's row estimate of the table, when reading a whole table. */
  synchronized OptionalLong tableRowEstimate(Connection c) throws SQLException {
    if (rowEstimate == null) {
      ReadPlan p = plan();
      rowEstimate =
          p.table() == null || filter() != null
              ? OptionalLong.empty()
              : dialect.rowEstimate(c, p.table());
    }
    return rowEstimate;
  }

  @Override
  public OptionalLong estimatedRows() {
    try (Connection c = pool.connection()) {
      return tableRowEstimate(c);
    } catch (SQLException e) {
      LOG.debug("no row estimate for {}: {}", what(), e.getMessage());
      return OptionalLong.empty();
    }
  }

  /** A table can be read in key order; a custom query cannot. */
  @Override
  public boolean readsInKeyOrder() {
    return query == null;
  }

  @Override
  public SplitReader openOrdered(KeyRange range) {
    return new KeyOrderedReads(this).open(range);
  }

  @Override
  public Optional<RangeChecksum> checksum(KeyRange range, List<Column> columns) {
    return query != null ? Optional.empty() : new KeyOrderedReads(this).checksum(range, columns);
  }

  /** The filter reads apply: the {@code where} option and the cursor range, null for none. */
  private synchronized String filter() {
    if (cursorFilter == null) {
      return where;
    }
    return where == null ? cursorFilter : "(" + where + ") AND " + cursorFilter;
  }

  /**
   * Incremental reads by a column of the table (not of a custom query). The range becomes part of
   * the source's filter, written from typed values by the dialect's {@link SqlBuilder#literal}.
   */
  @Override
  public Optional<CursorReads> cursor(String column) {
    if (query != null) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          "query",
          "incremental reads need a table: a custom query cannot be restricted to a cursor range"
              + " (filter it in the query, or read the table)");
    }
    ReadPlan p = plan();
    JdbcColumn found;
    try (Connection c = pool.connection()) {
      List<JdbcColumn> all = new ArrayList<>();
      for (TableMetadata.DescribedColumn d : TableMetadata.columns(c, dialect, p.table())) {
        all.add(d.column());
      }
      String name = TableMetadata.match(all.stream().map(JdbcColumn::name).toList(), column);
      if (name == null) {
        throw new FerryException(
            ErrorCode.NOT_FOUND, "table " + p.table() + " has no column " + column);
      }
      found = all.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    } catch (SQLException e) {
      throw JdbcErrors.translate(dialect, e, pool.settings(), "describing " + p.label());
    }
    ColumnMapping mapping = dialect.types().toColumnMapping(found);
    TypeKind kind = mapping.type().kind();
    if (!(kind.isInteger()
        || kind == TypeKind.DECIMAL
        || kind == TypeKind.DATE
        || kind == TypeKind.TIMESTAMP
        || kind == TypeKind.TIMESTAMP_TZ)) {
      throw new FerryException(
          ErrorCode.OPTION_INVALID,
          "column "
              + found.name()
              + " of "
              + p.table()
              + " is "
              + found.typeName()
              + " ("
              + kind
              + "): a cursor must be an integer, decimal, date or timestamp column");
    }
    String quoted = dialect.sql().quote(found.name());
    return Optional.of(
        new CursorReads() {
          @Override
          public TypeKind kind() {
            return kind;
          }

          @Override
          public Optional<Object> max() {
            String sql =
                "SELECT MAX("
                    + quoted
                    + ") FROM "
                    + p.qualifiedTable()
                    + (where == null ? "" : " WHERE (" + where + ")");
            try {
              return retry.run(
                  () -> {
                    try (Connection c = pool.connection();
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery(sql)) {
                      rs.next();
                      Object v = mapping.reader().read(rs, 1);
                      if (v instanceof Number n && kind.isInteger()) {
                        v = n.longValue();
                      }
                      return Optional.ofNullable(v);
                    }
                  });
            } catch (SQLException e) {
              throw JdbcErrors.translate(
                  dialect,
                  e,
                  pool.settings(),
                  "reading the highest " + column + " of " + p.label());
            }
          }

          @Override
          public void restrict(Object lower, boolean lowerInclusive, Object upper) {
            SqlBuilder sql = dialect.sql();
            List<String> conditions = new ArrayList<>();
            if (lower != null) {
              conditions.add(quoted + (lowerInclusive ? " >= " : " > ") + sql.literal(lower));
            }
            if (upper != null) {
              String bounded = quoted + " <= " + sql.literal(upper);
              conditions.add(
                  lower == null ? "(" + bounded + " OR " + quoted + " IS NULL)" : bounded);
            }
            synchronized (JdbcSource.this) {
              cursorFilter =
                  conditions.isEmpty() ? null : "(" + String.join(" AND ", conditions) + ")";
              plan = null;
              rowEstimate = null;
            }
            LOG.info("{}: reading the rows where {}", p.label(), cursorFilter);
          }
        });
  }

  @Override
  public Optional<Object[]> keyAt(KeyRange range, long offset) {
    return query != null ? Optional.empty() : new KeyOrderedReads(this).keyAt(range, offset);
  }

  @Override
  public Codec<Split> splitCodec() {
    return JdbcSplit.CODEC;
  }

  @Override
  public SplitReader openReader(Split split, Position after) {
    return new JdbcSplitReader(this, plan(), (JdbcSplit) split, after);
  }

  /**
   * What is left of a key-range split after {@code after}: the key columns and types, the last key
   * read (exclusive) or, with no position, the split's own lower bound, which is exclusive too (it
   * is the previous split's last key) and absent for the first split; the split's upper bound
   * (inclusive), absent for the last split. Empty for a split read by row count (no usable key, a
   * custom query): nothing names the rows an interrupted attempt wrote past its position.
   */
  @Override
  public Optional<KeyRange> remainder(Split split, Position after) {
    JdbcSplit s = (JdbcSplit) split;
    if (!s.keyed()) {
      return Optional.empty();
    }
    ReadPlan p = plan();
    if (!p.keyed() || !p.keyTypes().equals(s.keyTypes())) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "split " + s.id() + " of " + p.label() + " no longer matches the table's key");
    }
    Object[] lower = after == null ? s.lower() : ReadPosition.key(after, s.keyTypes());
    return Optional.of(new KeyRange(p.keyNames(), s.keyTypes(), lower, false, s.upper()));
  }

  @Override
  public synchronized void close() {
    if (readSnapshot != null) {
      try {
        readSnapshot.close();
      } catch (SQLException e) {
        LOG.warn("closing the snapshot of {} failed: {}", what(), e.getMessage());
      }
      readSnapshot = null;
    }
    if (ownsPool) {
      pool.close();
    }
  }
}

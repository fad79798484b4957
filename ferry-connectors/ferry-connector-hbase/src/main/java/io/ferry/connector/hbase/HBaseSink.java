package io.ferry.connector.hbase;

import io.ferry.connector.support.Values;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.hbase.TableExistsException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.filter.FilterList;
import org.apache.hadoop.hbase.filter.FirstKeyOnlyFilter;
import org.apache.hadoop.hbase.filter.KeyOnlyFilter;
import org.apache.hadoop.hbase.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows as Puts through one {@link BufferedMutator} per writer. Resumable: a Put of the same
 * row key overwrites the same cells, so rows written again after a checkpoint do no harm; with
 * discardOnResume the remaining key range is deleted first.
 */
final class HBaseSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(HBaseSink.class);

  private final ConnectorContext context;
  private final HBaseSettings settings;
  private final TableName table;
  private final RowKeyRule rule;
  private final List<ColumnSpec> specs;
  private final String family;
  private final Encoding encoding;
  private final HBaseOptions.NullMode nulls;
  private final long writeBuffer;
  private final boolean createTable;
  private final List<String> families;
  private final HBaseOptions.DurabilityChoice durability;
  private final boolean discardOnResume;
  private Connection connection;
  private RowEncoder encoder;

  HBaseSink(Options options, ConnectorContext context) {
    this.context = context;
    this.settings = new HBaseSettings(options, context.localFiles());
    List<OptionProblem> problems = new ArrayList<>();
    this.table = HBaseSource.tableName(options.get(HBaseOptions.TABLE), problems);
    List<ColumnSpec> given = options.get(HBaseOptions.SINK_COLUMNS);
    this.specs = given == null ? List.of() : given;
    this.family = options.get(HBaseOptions.FAMILY);
    this.encoding = options.get(HBaseOptions.ENCODING);
    this.nulls = options.get(HBaseOptions.NULLS);
    this.writeBuffer = options.get(HBaseOptions.WRITE_BUFFER);
    this.createTable = options.get(HBaseOptions.CREATE_TABLE);
    this.families = options.get(HBaseOptions.FAMILIES);
    this.durability = options.get(HBaseOptions.DURABILITY);
    this.discardOnResume = options.get(HBaseOptions.DISCARD_ON_RESUME);
    this.rule = keyRule(options.get(HBaseOptions.ROW_KEY), problems);
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
  }

  private RowKeyRule keyRule(RowKeyRule given, List<OptionProblem> problems) {
    List<String> keyColumns = new ArrayList<>();
    for (ColumnSpec spec : specs) {
      if (spec.isRowKey()) {
        keyColumns.add(spec.name());
      }
    }
    RowKeyRule r = given;
    if (r == null) {
      if (keyColumns.size() != 1) {
        problems.add(
            new OptionProblem(
                HBaseOptions.ROW_KEY.name(),
                keyColumns.isEmpty()
                    ? "the sink needs a row key: give rowKey (a column name, or columns with a"
                        + " separator or widths)"
                    : "columns "
                        + keyColumns
                        + " all map to :key: give rowKey with a separator"
                        + " or widths"));
        return null;
      }
      r = RowKeyRule.of(keyColumns.get(0));
    }
    for (String name : keyColumns) {
      if (!r.columns().contains(name)) {
        problems.add(
            new OptionProblem(
                HBaseOptions.COLUMNS_NAME,
                "column '" + name + "' maps to :key but rowKey does not name it"));
      }
    }
    if (r.separator() != null) {
      for (int p = 0; p < r.columns().size() - 1; p++) {
        if (keyEncoding(r.columns().get(p)) == Encoding.BINARY) {
          problems.add(
              new OptionProblem(
                  HBaseOptions.ROW_KEY.name(),
                  "binary key part '"
                      + r.columns().get(p)
                      + "' may contain the separator: use widths, or string encoding"));
        }
      }
    }
    return r;
  }

  private Encoding keyEncoding(String column) {
    for (ColumnSpec spec : specs) {
      if (spec.isRowKey() && spec.name().equals(column)) {
        return spec.encodingOr(encoding);
      }
    }
    return encoding;
  }

  String label() {
    return table.getNameAsString();
  }

  ConnectorContext context() {
    return context;
  }

  long writeBuffer() {
    return writeBuffer;
  }

  TableName tableName() {
    return table;
  }

  synchronized Connection connection() {
    if (connection == null) {
      connection = settings.connect();
    }
    return connection;
  }

  @Override
  public List<OptionProblem> check() {
    return settings.check(
        admin -> {
          if (createTable || admin.tableExists(table)) {
            return List.of();
          }
          return HBaseSource.checkTable(admin, table, List.of());
        });
  }

  @Override
  public void prepare(Schema schema) {
    encoder = plan(schema);
    ensureTable();
    LOG.info("{}: writing row key {} with a {}-byte write buffer", label(), rule, writeBuffer);
  }

  /** Creates the table when missing and asked to; checks its families. */
  private void ensureTable() {
    Set<String> used = usedFamilies();
    try (Admin admin = connection().getAdmin()) {
      if (!admin.tableExists(table)) {
        if (!createTable) {
          List<OptionProblem> problems = HBaseSource.checkTable(admin, table, List.of());
          throw FerryException.option(
              ErrorCode.NOT_FOUND,
              HBaseOptions.TABLE.name(),
              problems.isEmpty()
                  ? "table " + label() + " does not exist"
                  : problems.get(0).message() + " (createTable: true creates it)");
        }
        create(admin, used);
      }
      List<OptionProblem> problems = HBaseSource.checkTable(admin, table, List.copyOf(used));
      if (!problems.isEmpty()) {
        throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
      }
    } catch (IOException e) {
      throw HBaseErrors.translate(e, "preparing table " + label());
    }
  }

  private void create(Admin admin, Set<String> used) throws IOException {
    List<String> names = families != null ? families : List.copyOf(used);
    if (names.isEmpty()) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          HBaseOptions.FAMILIES.name(),
          "createTable needs the column families of " + label() + ": give families");
    }
    TableDescriptorBuilder builder = TableDescriptorBuilder.newBuilder(table);
    for (String f : names) {
      builder.setColumnFamily(ColumnFamilyDescriptorBuilder.of(Bytes.toBytesBinary(f)));
    }
    try {
      if (!table.getNamespaceAsString().equals("default")
          && !List.of(admin.listNamespaces()).contains(table.getNamespaceAsString())) {
        admin.createNamespace(
            org.apache.hadoop.hbase.NamespaceDescriptor.create(table.getNamespaceAsString())
                .build());
      }
      admin.createTable(builder.build());
      LOG.info("{}: created with families {}", label(), names);
    } catch (TableExistsException e) {
      LOG.info("{}: created by another run meanwhile", label());
    }
  }

  private Set<String> usedFamilies() {
    Set<String> used = new LinkedHashSet<>();
    for (ColumnSpec spec : specs) {
      if (!spec.isRowKey()) {
        used.add(spec.family());
      }
    }
    if (family != null) {
      used.add(family);
    }
    return used;
  }

  /** Checks the mapping against the schema and fixes how each row becomes mutations. */
  private RowEncoder plan(Schema schema) {
    return plan(schema, Set.of());
  }

  /**
   * As {@link #plan(Schema)}; the columns {@code extra} (the soft-delete columns of a cdc job) go
   * to {@code family}, or else the first family the mapping uses, when {@code columns} does not
   * list them.
   */
  RowEncoder plan(Schema schema, Set<String> extra) {
    List<OptionProblem> problems = new ArrayList<>();
    for (String name : rule.columns()) {
      if (schema.indexOf(name) < 0) {
        problems.add(
            new OptionProblem(
                HBaseOptions.ROW_KEY.name(), "no column '" + name + "' among " + schema.names()));
      }
    }
    for (ColumnSpec spec : specs) {
      if (schema.indexOf(spec.name()) < 0) {
        problems.add(
            new OptionProblem(
                HBaseOptions.COLUMNS_NAME,
                "no column '" + spec.name() + "' among " + schema.names()));
      }
    }
    List<RowEncoder.Target> targets = new ArrayList<>();
    for (int c = 0; c < schema.size(); c++) {
      String name = schema.column(c).name();
      boolean listed = false;
      for (ColumnSpec spec : specs) {
        if (spec.name().equals(name)) {
          listed = true;
          if (!spec.isRowKey()) {
            targets.add(
                new RowEncoder.Target(
                    c, spec.familyBytes(), spec.qualifierBytes(), spec.encodingOr(encoding)));
          }
        }
      }
      if (!listed && !rule.columns().contains(name)) {
        if (family == null && extra.contains(name)) {
          targets.add(new RowEncoder.Target(c, markerFamily(), Bytes.toBytes(name), encoding));
        } else if (family == null) {
          problems.add(
              new OptionProblem(
                  HBaseOptions.COLUMNS_NAME,
                  "column '" + name + "' has no cell to go to: list it in columns or give family"));
        } else {
          targets.add(
              new RowEncoder.Target(c, Bytes.toBytesBinary(family), Bytes.toBytes(name), encoding));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    Encoding[] keyEncodings = new Encoding[rule.columns().size()];
    for (int p = 0; p < keyEncodings.length; p++) {
      keyEncodings[p] = keyEncoding(rule.columns().get(p));
    }
    byte[] marker = markerFamily();
    return new RowEncoder(
        schema,
        rule,
        keyEncodings,
        targets,
        marker,
        nulls == HBaseOptions.NullMode.DELETE,
        durability.durability,
        context.zone());
  }

  /** The family of the empty cell that keeps a row without other cells. */
  private byte[] markerFamily() {
    Set<String> used = usedFamilies();
    return used.isEmpty()
        ? Bytes.toBytesBinary(families != null ? families.get(0) : "d")
        : Bytes.toBytesBinary(used.iterator().next());
  }

  /** A cdc job puts and deletes rows by row key. */
  @Override
  public boolean appliesChanges() {
    return true;
  }

  /**
   * A writer of changes by row key ({@link HBaseChangeWriter}). The row key is built by {@code
   * rowKey} as for a copy, which must be made of the table's key columns; the table is created when
   * missing and {@code createTable} is on. Soft-delete columns go to {@code family}, or else the
   * first family the mapping uses.
   */
  @Override
  public ChangeWriter changeWriter(ChangeWriter.Target target) {
    if (!new java.util.HashSet<>(rule.columns()).equals(new java.util.HashSet<>(target.keys()))) {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_INVALID,
          List.of(
              new OptionProblem(
                  HBaseOptions.ROW_KEY.name(),
                  "a cdc job applies changes by the table's key "
                      + target.keys()
                      + ": the row key must be made of these columns, not "
                      + rule.columns())));
    }
    HBaseChangeWriter writer = new HBaseChangeWriter(this, target);
    writer.encoder(target.schema()); // checks the mapping
    ensureTable();
    LOG.info("{}: applying changes by row key {}", label(), rule);
    return writer;
  }

  @Override
  public SinkResume resumeModel() {
    // Reopening is {@link #prepare}: it creates the table if asked and destroys nothing.
    return SinkResume.byKeyRange(this::prepare, this::discard);
  }

  /**
   * With discardOnResume and a single-column row key: deletes the rows whose key lies in {@code
   * range}. A range of values whose encoding sorts like them is one key range scan; otherwise the
   * table is scanned and each key decoded and compared.
   */
  void discard(KeyRange range) {
    if (!discardOnResume) {
      LOG.info("{}: rows {} are written again over themselves (Puts by row key)", label(), range);
      return;
    }
    if (encoder == null) {
      throw new FerryException(ErrorCode.INTERNAL, "discard before resume");
    }
    if (!rule.single()
        || range.columns().size() != 1
        || !range.columns().get(0).equals(rule.columns().get(0))) {
      LOG.warn(
          "{}: cannot discard {}: the row key {} is not that one column; rows are written again"
              + " over themselves",
          label(),
          range,
          rule);
      return;
    }
    Schema schema = encoder.schema();
    DataType keyType = schema.column(schema.indexOf(rule.columns().get(0))).type();
    Object lower =
        range.lower() == null ? null : cast(range.lower()[0], range.types().get(0), keyType);
    Object upper =
        range.upper() == null ? null : cast(range.upper()[0], range.types().get(0), keyType);
    Encoding keyEncoding = encoder.keyEncoding();
    boolean ordered = keyEncoding.ordersLike(keyType, lower, upper);
    Scan scan =
        new Scan()
            .setFilter(
                new FilterList(
                    FilterList.Operator.MUST_PASS_ALL,
                    new FirstKeyOnlyFilter(),
                    new KeyOnlyFilter()))
            .setCaching(1000)
            .setCacheBlocks(false);
    if (ordered) {
      if (lower != null) {
        scan.withStartRow(encoder.keyOf(lower), range.lowerInclusive());
      }
      if (upper != null) {
        scan.withStopRow(encoder.keyOf(upper), true);
      }
    }
    long deleted = 0;
    try (Table t = connection().getTable(table);
        ResultScanner scanner = t.getScanner(scan);
        BufferedMutator mutator = connection().getBufferedMutator(table)) {
      for (Result r : scanner) {
        if (!ordered
            && !inRange(r.getRow(), keyEncoding, keyType, lower, range.lowerInclusive(), upper)) {
          continue;
        }
        mutator.mutate(new Delete(r.getRow()));
        deleted++;
      }
      mutator.flush();
    } catch (IOException e) {
      throw HBaseErrors.translate(e, "discarding " + range + " of " + label());
    }
    LOG.info("{}: discarded {} rows {} written after the checkpoint", label(), deleted, range);
  }

  private Object cast(Object value, DataType from, DataType to) {
    return Values.cast(value, from, to, context.zone());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private boolean inRange(
      byte[] key, Encoding e, DataType type, Object lower, boolean lowerInclusive, Object upper) {
    Object v;
    try {
      v = e.decode(key, 0, key.length, type, context.zone());
    } catch (IllegalArgumentException | ArithmeticException ex) {
      return false;
    }
    if (!(v instanceof Comparable c)) {
      return false;
    }
    if (lower != null) {
      int cmp = c.compareTo(lower);
      if (cmp < 0 || (cmp == 0 && !lowerInclusive)) {
        return false;
      }
    }
    return upper == null || c.compareTo(upper) <= 0;
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    if (encoder == null) {
      throw new FerryException(ErrorCode.INTERNAL, "createWriter before prepare");
    }
    return new HBaseSinkWriter(this, encoder);
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (IOException e) {
        LOG.debug("closing the connection failed: {}", e.getMessage());
      }
      connection = null;
    }
  }
}

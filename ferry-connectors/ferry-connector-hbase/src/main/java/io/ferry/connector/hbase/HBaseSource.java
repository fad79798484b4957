package io.ferry.connector.hbase;

import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.HRegionLocation;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.RegionLocator;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.filter.FilterList;
import org.apache.hadoop.hbase.filter.FirstKeyOnlyFilter;
import org.apache.hadoop.hbase.filter.KeyOnlyFilter;
import org.apache.hadoop.hbase.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one table: one split per region (or per row-key range), each a scan in row key order, so
 * that a position (the last row key) resumes exactly. See the README.
 */
final class HBaseSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(HBaseSource.class);

  private final ConnectorContext context;
  private final HBaseSettings settings;
  private final TableName table;
  private final List<ColumnSpec> specs;
  private final Encoding encoding;
  private final RowKeyRule rule;
  private final Schema schema;
  private final byte[] startRow;
  private final byte[] stopRow;
  private final int versions;
  private final Long minTimestamp;
  private final Long maxTimestamp;
  private final HBaseOptions.SplitBy splitBy;
  private final List<byte[]> splitKeys;
  private final int splitsPerRegion;
  private final int caching;
  private final Integer scanBatch;
  private final Long maxResultSize;
  private final boolean cacheBlocks;
  private final int batchSize;
  private Connection connection;

  HBaseSource(Options options, ConnectorContext context) {
    this.context = context;
    this.settings = new HBaseSettings(options, context.localFiles());
    List<OptionProblem> problems = new ArrayList<>();
    this.table = tableName(options.get(HBaseOptions.TABLE), problems);
    this.specs = options.get(HBaseOptions.SOURCE_COLUMNS);
    this.encoding = options.get(HBaseOptions.ENCODING);
    this.rule = keyRule(options, problems);
    List<Column> columns = new ArrayList<>();
    for (ColumnSpec spec : specs) {
      columns.add(new Column(spec.name(), spec.type(), !spec.isRowKey()));
    }
    // The row key identifies a row: its columns are the key a sink may use (document ids, say).
    Schema declared = Schema.of(columns);
    this.schema =
        rule != null && declared.names().containsAll(rule.columns())
            ? declared.withKey(rule.columns())
            : declared;
    this.startRow = rowOption(options, HBaseOptions.START_ROW);
    this.stopRow = rowOption(options, HBaseOptions.STOP_ROW);
    if (stopRow.length > 0 && Bytes.compareTo(startRow, stopRow) >= 0) {
      problems.add(
          new OptionProblem(
              HBaseOptions.STOP_ROW.name(),
              "must sort after startRow '" + options.get(HBaseOptions.START_ROW) + "'"));
    }
    this.versions = options.get(HBaseOptions.VERSIONS);
    this.minTimestamp = options.get(HBaseOptions.MIN_TIMESTAMP);
    this.maxTimestamp = options.get(HBaseOptions.MAX_TIMESTAMP);
    if (minTimestamp != null && maxTimestamp != null && minTimestamp >= maxTimestamp) {
      problems.add(
          new OptionProblem(
              HBaseOptions.MAX_TIMESTAMP.name(),
              "must be greater than minTimestamp " + minTimestamp + ", got " + maxTimestamp));
    }
    this.splitBy = options.get(HBaseOptions.SPLIT_BY);
    this.splitKeys = new ArrayList<>();
    for (String key : options.get(HBaseOptions.SPLIT_KEYS)) {
      splitKeys.add(Bytes.toBytesBinary(key));
    }
    this.splitsPerRegion = options.get(HBaseOptions.SPLITS_PER_REGION);
    this.caching = options.get(HBaseOptions.CACHING);
    this.scanBatch = options.get(HBaseOptions.SCAN_BATCH);
    this.maxResultSize = options.get(HBaseOptions.MAX_RESULT_SIZE);
    this.cacheBlocks = options.get(HBaseOptions.CACHE_BLOCKS);
    this.batchSize = options.get(HBaseOptions.SOURCE_BATCH_SIZE);
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
  }

  static TableName tableName(String name, List<OptionProblem> problems) {
    try {
      return TableName.valueOf(name.trim());
    } catch (IllegalArgumentException e) {
      problems.add(
          new OptionProblem(
              HBaseOptions.TABLE.name(),
              "'" + name + "' is not a valid HBase table name: " + e.getMessage()));
      return TableName.valueOf("invalid");
    }
  }

  private static byte[] rowOption(Options options, io.ferry.spi.Option<String> option) {
    String text = options.get(option);
    return text == null ? HConstants.EMPTY_BYTE_ARRAY : Bytes.toBytesBinary(text);
  }

  /** The row key rule: the option, or the single :key column; checked against the columns. */
  private RowKeyRule keyRule(Options options, List<OptionProblem> problems) {
    List<String> keyColumns = new ArrayList<>();
    for (ColumnSpec spec : specs) {
      if (spec.isRowKey()) {
        keyColumns.add(spec.name());
      }
    }
    RowKeyRule given = options.get(HBaseOptions.ROW_KEY);
    if (given == null) {
      if (keyColumns.size() > 1) {
        problems.add(
            new OptionProblem(
                HBaseOptions.ROW_KEY.name(),
                "columns "
                    + keyColumns
                    + " all map to :key: give rowKey {columns: [...], separator: ...} or widths"));
        return null;
      }
      return keyColumns.isEmpty() ? null : RowKeyRule.of(keyColumns.get(0));
    }
    for (String name : given.columns()) {
      if (!keyColumns.contains(name)) {
        problems.add(
            new OptionProblem(
                HBaseOptions.ROW_KEY.name(),
                "'" + name + "' is not a column mapped to :key (those are " + keyColumns + ")"));
      }
    }
    for (String name : keyColumns) {
      if (!given.columns().contains(name)) {
        problems.add(
            new OptionProblem(
                HBaseOptions.COLUMNS_NAME,
                "column '" + name + "' maps to :key but rowKey does not name it"));
      }
    }
    if (given.separator() != null) {
      for (ColumnSpec spec : specs) {
        if (spec.isRowKey()
            && spec.encodingOr(encoding) == Encoding.BINARY
            && given.columns().indexOf(spec.name()) < given.columns().size() - 1) {
          problems.add(
              new OptionProblem(
                  HBaseOptions.ROW_KEY.name(),
                  "binary key part '"
                      + spec.name()
                      + "' may contain the separator: use widths, or string encoding"));
        }
      }
    }
    return given;
  }

  ConnectorContext context() {
    return context;
  }

  String label() {
    return table.getNameAsString();
  }

  int batchSize() {
    return batchSize;
  }

  RowDecoder decoder() {
    return new RowDecoder(schema, specs, encoding, rule, context.zone());
  }

  synchronized Connection connection() {
    if (connection == null) {
      connection = settings.connect();
    }
    return connection;
  }

  Table table() {
    try {
      return connection().getTable(table);
    } catch (IOException e) {
      throw HBaseErrors.translate(e, "opening table " + label());
    }
  }

  @Override
  public List<OptionProblem> check() {
    return settings.check(admin -> checkTable(admin, table, families()));
  }

  /** The families the columns read. */
  private List<String> families() {
    List<String> families = new ArrayList<>();
    for (ColumnSpec spec : specs) {
      if (!spec.isRowKey() && !families.contains(spec.family())) {
        families.add(spec.family());
      }
    }
    return families;
  }

  /** Problems of {@code table} and the column families the columns name. */
  static List<OptionProblem> checkTable(Admin admin, TableName table, List<String> families)
      throws IOException {
    if (!admin.tableExists(table)) {
      List<String> names = new ArrayList<>();
      for (TableName t : admin.listTableNamesByNamespace(table.getNamespaceAsString())) {
        names.add(t.getNameAsString());
      }
      return List.of(
          new OptionProblem(
              HBaseOptions.TABLE.name(),
              "table '"
                  + table.getNameAsString()
                  + "' does not exist"
                  + (names.isEmpty()
                      ? " (namespace '" + table.getNamespaceAsString() + "' has no tables)"
                      : "; namespace '"
                          + table.getNamespaceAsString()
                          + "' has: "
                          + String.join(", ", names.stream().sorted().limit(20).toList()))));
    }
    TableDescriptor descriptor = admin.getDescriptor(table);
    List<OptionProblem> problems = new ArrayList<>();
    for (String family : families) {
      if (!descriptor.hasColumnFamily(Bytes.toBytesBinary(family))) {
        problems.add(
            new OptionProblem(
                HBaseOptions.COLUMNS_NAME,
                "table '"
                    + table.getNameAsString()
                    + "' has no column family '"
                    + family
                    + "'; it has "
                    + descriptor.getColumnFamilyNames().stream()
                        .map(Bytes::toStringBinary)
                        .sorted()
                        .toList()));
      }
    }
    return problems;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public SplitPlanner planner() {
    return this::plan;
  }

  private List<Split> plan(int parallelism) {
    List<byte[][]> ranges = new ArrayList<>();
    List<String> locations = new ArrayList<>();
    if (splitBy == HBaseOptions.SplitBy.REGION) {
      List<HRegionLocation> regions;
      try (RegionLocator locator = connection().getRegionLocator(table)) {
        regions = locator.getAllRegionLocations();
      } catch (IOException e) {
        throw HBaseErrors.translate(e, "listing the regions of " + label());
      }
      regions = new ArrayList<>(regions);
      regions.sort(
          (a, b) -> Bytes.compareTo(a.getRegion().getStartKey(), b.getRegion().getStartKey()));
      if (regions.isEmpty()) {
        throw new FerryException(
            ErrorCode.NOT_FOUND,
            "table " + label() + " has no regions",
            HBaseOptions.TABLE.name(),
            null);
      }
      for (HRegionLocation region : regions) {
        byte[][] clipped = clip(region.getRegion().getStartKey(), region.getRegion().getEndKey());
        if (clipped != null) {
          String where =
              region.getServerName() == null ? "" : region.getServerName().getAddress().toString();
          for (byte[][] part : cut(clipped[0], clipped[1], splitsPerRegion)) {
            ranges.add(part);
            locations.add(where);
          }
        }
      }
    } else {
      requireTable();
      for (byte[][] part : cut(startRow, stopRow, splitsPerRegion)) {
        ranges.add(part);
        locations.add("");
      }
    }
    List<Split> splits = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      splits.add(new HBaseSplit(label(), i, ranges.get(i)[0], ranges.get(i)[1], locations.get(i)));
    }
    if (splits.isEmpty()) {
      // startRow/stopRow select no region: one empty split keeps the plan well formed.
      splits.add(
          new HBaseSplit(label(), 0, startRow, startRow.length == 0 ? stopRow : startRow, ""));
    }
    LOG.info("{}: {} splits ({} by {})", label(), splits.size(), parallelism, splitBy);
    return splits;
  }

  private void requireTable() {
    try (Admin admin = connection().getAdmin()) {
      if (!admin.tableExists(table)) {
        throw FerryException.option(
            ErrorCode.NOT_FOUND, HBaseOptions.TABLE.name(), "table " + label() + " does not exist");
      }
    } catch (IOException e) {
      throw HBaseErrors.translate(e, "looking up table " + label());
    }
  }

  /** {@code [start, end)} clipped to startRow/stopRow; null when nothing is left. */
  private byte[][] clip(byte[] start, byte[] end) {
    byte[] s = Bytes.compareTo(start, startRow) >= 0 ? start : startRow;
    byte[] e;
    if (end.length == 0) {
      e = stopRow;
    } else if (stopRow.length == 0) {
      e = end;
    } else {
      e = Bytes.compareTo(end, stopRow) <= 0 ? end : stopRow;
    }
    if (e.length > 0 && Bytes.compareTo(s, e) >= 0) {
      return null;
    }
    return new byte[][] {s, e};
  }

  /** {@code [start, end)} cut at the split keys inside it and into {@code parts} even ranges. */
  private List<byte[][]> cut(byte[] start, byte[] end, int parts) {
    TreeSet<byte[]> cuts = new TreeSet<>(Bytes.BYTES_COMPARATOR);
    for (byte[] key : splitKeys) {
      if (inside(key, start, end)) {
        cuts.add(key);
      }
    }
    if (parts > 1) {
      byte[] lo = start.length == 0 ? new byte[] {0} : start;
      byte[] hi = end;
      if (hi.length == 0) {
        hi = new byte[Math.max(lo.length, 8)];
        java.util.Arrays.fill(hi, (byte) 0xFF);
      }
      if (Bytes.compareTo(lo, hi) < 0) {
        byte[][] even = Bytes.split(lo, hi, parts - 1);
        if (even != null) {
          for (byte[] key : even) {
            if (inside(key, start, end)) {
              cuts.add(key);
            }
          }
        }
      }
    }
    List<byte[][]> out = new ArrayList<>();
    byte[] from = start;
    for (byte[] cut : cuts) {
      out.add(new byte[][] {from, cut});
      from = cut;
    }
    out.add(new byte[][] {from, end});
    return out;
  }

  private static boolean inside(byte[] key, byte[] start, byte[] end) {
    return key.length > 0
        && Bytes.compareTo(key, start) > 0
        && (end.length == 0 || Bytes.compareTo(key, end) < 0);
  }

  @Override
  public Codec<Split> splitCodec() {
    return HBaseSplit.CODEC;
  }

  @Override
  public SplitReader openReader(Split split, Position after) {
    byte[] last = after == null ? null : HBaseSplit.lastRow(after);
    return new HBaseSplitReader(this, (HBaseSplit) split, last);
  }

  /** The scan of {@code [from, split end)}; {@code from} is exclusive when {@code after}. */
  Scan scan(HBaseSplit split, byte[] from, boolean after) {
    Scan scan = new Scan().withStartRow(from, !after).withStopRow(split.end(), false);
    addColumns(scan);
    scan.readVersions(versions);
    if (minTimestamp != null || maxTimestamp != null) {
      try {
        scan.setTimeRange(
            minTimestamp == null ? 0L : minTimestamp,
            maxTimestamp == null ? Long.MAX_VALUE : maxTimestamp);
      } catch (IOException e) {
        throw FerryException.option(
            ErrorCode.OPTION_INVALID, HBaseOptions.MIN_TIMESTAMP.name(), e.getMessage());
      }
    }
    scan.setCaching(caching);
    if (scanBatch != null) {
      scan.setBatch(scanBatch);
    }
    if (maxResultSize != null) {
      scan.setMaxResultSize(maxResultSize);
    }
    scan.setCacheBlocks(cacheBlocks);
    return scan;
  }

  /**
   * The mapped cells, and per family the empty qualifier the sink writes for a row of NULLs; only
   * the key when no cell is mapped.
   */
  private void addColumns(Scan scan) {
    boolean any = false;
    for (ColumnSpec spec : specs) {
      if (!spec.isRowKey()) {
        scan.addColumn(spec.familyBytes(), spec.qualifierBytes());
        any = true;
      }
    }
    for (String family : families()) {
      scan.addColumn(Bytes.toBytesBinary(family), HConstants.EMPTY_BYTE_ARRAY);
    }
    if (!any) {
      scan.setFilter(
          new FilterList(
              FilterList.Operator.MUST_PASS_ALL, new FirstKeyOnlyFilter(), new KeyOnlyFilter()));
    }
  }

  /**
   * The rest of a split as a range of the row key column, when the row key is one column whose
   * encoding orders like its values: after the position (or from the split's first row) up to the
   * split's last row now.
   */
  @Override
  public Optional<KeyRange> remainder(Split split, Position after) {
    if (rule == null || !rule.single()) {
      return Optional.empty();
    }
    HBaseSplit s = (HBaseSplit) split;
    byte[] lower = after == null ? firstRow(s) : HBaseSplit.lastRow(after);
    byte[] upper = lastRow(s, after == null ? null : lower);
    if (lower == null || upper == null) {
      return Optional.empty();
    }
    String name = rule.columns().get(0);
    int column = schema.indexOf(name);
    DataType type = schema.column(column).type();
    Encoding keyEncoding = specs.get(column).encodingOr(encoding);
    Object lo;
    Object up;
    try {
      lo = keyEncoding.decode(lower, 0, lower.length, type, context.zone());
      up = keyEncoding.decode(upper, 0, upper.length, type, context.zone());
    } catch (IllegalArgumentException | ArithmeticException e) {
      return Optional.empty();
    }
    if (!keyEncoding.ordersLike(type, lo, up)) {
      return Optional.empty();
    }
    return Optional.of(
        new KeyRange(
            List.of(name), List.of(type), new Object[] {lo}, after == null, new Object[] {up}));
  }

  private byte[] firstRow(HBaseSplit split) {
    Scan scan = scan(split, split.start(), false).setLimit(1).setCaching(1);
    return oneRow(scan);
  }

  /** The split's last row now, above {@code after} (exclusive) when given. */
  private byte[] lastRow(HBaseSplit split, byte[] after) {
    Scan scan = new Scan().setReversed(true).setLimit(1).setCaching(1);
    addColumns(scan);
    if (split.end().length > 0) {
      scan.withStartRow(split.end(), false);
    }
    if (after != null) {
      scan.withStopRow(after, false);
    } else if (split.start().length > 0) {
      scan.withStopRow(split.start(), true);
    }
    return oneRow(scan);
  }

  private byte[] oneRow(Scan scan) {
    try (Table t = table();
        ResultScanner scanner = t.getScanner(scan)) {
      Result r = scanner.next();
      return r == null ? null : r.getRow();
    } catch (IOException e) {
      throw HBaseErrors.translate(e, "scanning " + label());
    }
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

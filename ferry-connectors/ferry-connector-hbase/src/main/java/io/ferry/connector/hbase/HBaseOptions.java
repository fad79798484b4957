package io.ferry.connector.hbase;

import io.ferry.connector.support.CommonOptions;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options of the HBase source, sink and catalog, declared once. */
final class HBaseOptions {
  private HBaseOptions() {}

  /** The name of the columns option of every role. */
  static final String COLUMNS_NAME = "columns";

  // ---- connection ----------------------------------------------------------------------------

  static final Option<List<String>> QUORUM =
      Option.list("zookeeperQuorum")
          .endpoint()
          .required()
          .validator(Validator.notEmpty())
          .description(
              "The ZooKeeper ensemble of the HBase cluster: host or host:port of each server"
                  + " (hbase.zookeeper.quorum).")
          .build();

  static final Option<Integer> ZK_PORT =
      Option.integer("zookeeperPort")
          .endpoint()
          .defaultValue(2181)
          .validator(Validator.range(1, 65535))
          .description(
              "ZooKeeper's client port for hosts given without one"
                  + " (hbase.zookeeper.property.clientPort).")
          .build();

  static final Option<String> ZNODE_PARENT =
      Option.string("znodeParent")
          .endpoint()
          .defaultValue("/hbase")
          .validator(v -> v.startsWith("/") ? null : "must start with /, got '" + v + "'")
          .description("The cluster's root znode (zookeeper.znode.parent).")
          .build();

  static final Option<Map<String, String>> PROPERTIES =
      Option.object("properties", HBaseOptions::parseProperties)
          .endpoint()
          .description(
              "More HBase client settings, e.g. {hbase.rpc.timeout: 60000,"
                  + " hbase.client.retries.number: 10}; applied after the options above.")
          .build();

  static final Option<Duration> CONNECT_TIMEOUT =
      Option.duration("connectTimeout")
          .defaultValue(Duration.ofSeconds(15))
          .validator(d -> d.toMillis() < 500 ? "must be at least 500ms, got " + d : null)
          .description(
              "How long the live check waits for ZooKeeper, the master and the table before it"
                  + " reports the quorum unreachable.")
          .build();

  static final Option<String> TABLE =
      Option.string("table")
          .required()
          .validator(Validator.notBlank())
          .description("The table, as name or namespace:name.")
          .build();

  static final Option<Encoding> ENCODING =
      Option.enumeration("encoding", Encoding.class)
          .defaultValue(Encoding.STRING)
          .description(
              "The value encoding of columns that declare none: string (the value's text in"
                  + " UTF-8) or binary (Bytes.toBytes of the value: 8-byte longs, IEEE doubles,"
                  + " ...).")
          .build();

  static final Option<RowKeyRule> ROW_KEY =
      Option.object("rowKey", RowKeyRule::parse)
          .description(
              "How the row key is made of columns: a column name (the whole key), or"
                  + " {columns: [a, b], separator: \"|\"}, or {columns: [a, b], widths: [4, 8]}"
                  + " (fixed byte widths; the last may be 0 for the rest; pad: \"0\" left-pads"
                  + " string-encoded parts). Without it the single :key column is the key.")
          .build();

  // ---- source --------------------------------------------------------------------------------

  static final Option<List<ColumnSpec>> SOURCE_COLUMNS =
      Option.object("columns", HBaseOptions::parseSourceColumns)
          .required()
          .description(
              "The columns to read, in order: \"name type mapping [encoding]\" with mapping :key"
                  + " (the row key or one of its parts) or family:qualifier, e.g. \"id int64 :key"
                  + " binary\", \"amount decimal(12,2) d:amount\"; or maps {name, type, column,"
                  + " encoding, allVersions}.")
          .build();

  static final Option<String> START_ROW =
      Option.string("startRow")
          .description(
              "The first row key to read (inclusive), as text with \\xNN escapes for bytes"
                  + " (Bytes.toStringBinary form).")
          .build();

  static final Option<String> STOP_ROW =
      Option.string("stopRow")
          .description("The row key where reading stops (exclusive), written like startRow.")
          .build();

  static final Option<Integer> VERSIONS =
      Option.integer("versions")
          .defaultValue(1)
          .validator(Validator.range(1, Integer.MAX_VALUE))
          .description(
              "Versions of each cell the scan returns: columns with allVersions receive them"
                  + " all (newest first), the others the newest.")
          .build();

  static final Option<Long> MIN_TIMESTAMP =
      Option.longInteger("minTimestamp")
          .validator(Validator.atLeast(0L))
          .description("Only cells written at or after this time (epoch milliseconds).")
          .build();

  static final Option<Long> MAX_TIMESTAMP =
      Option.longInteger("maxTimestamp")
          .validator(Validator.atLeast(1L))
          .description("Only cells written before this time (epoch milliseconds, exclusive).")
          .build();

  static final Option<SplitBy> SPLIT_BY =
      Option.enumeration("splitBy", SplitBy.class)
          .defaultValue(SplitBy.REGION)
          .description(
              "region: one split per region (clipped to startRow/stopRow), cut further at"
                  + " splitKeys and into splitsPerRegion parts; keys: ignore regions and cut the"
                  + " key range at splitKeys only.")
          .build();

  static final Option<List<String>> SPLIT_KEYS =
      Option.list("splitKeys")
          .defaultValue(List.of())
          .description(
              "Row keys (Bytes.toStringBinary form) at which splits are cut, e.g. [\"g\", \"n\","
                  + " \"t\"].")
          .build();

  static final Option<Integer> SPLITS_PER_REGION =
      Option.integer("splitsPerRegion")
          .defaultValue(1)
          .validator(Validator.range(1, 1000))
          .description(
              "Cuts each region into this many even row-key ranges (by byte value): more"
                  + " parallelism on few large regions.")
          .build();

  static final Option<Integer> CACHING =
      Option.integer("caching")
          .defaultValue(1000)
          .validator(Validator.range(1, 1_000_000))
          .description("Rows the scanner fetches per RPC (Scan.setCaching).")
          .build();

  static final Option<Integer> SCAN_BATCH =
      Option.integer("scanBatch")
          .validator(Validator.range(1, 1_000_000))
          .description(
              "Cells per result (Scan.setBatch) for very wide rows; the reader joins the parts of"
                  + " a row again. Unset: whole rows.")
          .build();

  static final Option<Long> MAX_RESULT_SIZE =
      Option.size("maxResultSize")
          .validator(Validator.atLeast(1L))
          .description("Bytes the server returns per scan RPC at most (Scan.setMaxResultSize).")
          .build();

  static final Option<Boolean> CACHE_BLOCKS =
      Option.bool("cacheBlocks")
          .defaultValue(false)
          .description(
              "Whether the scan fills the region servers' block cache (a full read should not).")
          .build();

  static final Option<Integer> SOURCE_BATCH_SIZE = CommonOptions.sourceBatchSize(1024);

  // ---- sink ----------------------------------------------------------------------------------

  static final Option<List<ColumnSpec>> SINK_COLUMNS =
      Option.object("columns", HBaseOptions::parseSinkColumns)
          .description(
              "Where each column goes: \"name family:qualifier [encoding]\" or \"name :key"
                  + " [encoding]\" (a row key column's encoding); a name may appear twice to"
                  + " write a key column as a cell too. Columns not listed go to"
                  + " family:<name>.")
          .build();

  static final Option<String> FAMILY =
      Option.string("family")
          .validator(Validator.notBlank())
          .description(
              "The column family of columns that columns does not list (the qualifier is the"
                  + " column's name). Without it every non-key column must be listed.")
          .build();

  static final Option<NullMode> NULLS =
      Option.enumeration("nulls", NullMode.class)
          .defaultValue(NullMode.SKIP)
          .description(
              "skip: a NULL writes no cell (an existing cell stays); delete: a NULL deletes the"
                  + " cell's versions.")
          .build();

  static final Option<Long> WRITE_BUFFER =
      Option.size("writeBufferSize")
          .defaultValue(8L << 20)
          .validator(Validator.range(1024L, 1L << 32))
          .description("Bytes of mutations the BufferedMutator collects before it sends them.")
          .build();

  static final Option<Boolean> CREATE_TABLE =
      Option.bool("createTable")
          .defaultValue(false)
          .description("Create the table when it does not exist, with families.")
          .build();

  static final Option<List<String>> FAMILIES =
      Option.list("families")
          .validator(Validator.notEmpty())
          .description(
              "The column families of a table createTable creates; the families the columns"
                  + " use when absent.")
          .build();

  static final Option<DurabilityChoice> DURABILITY =
      Option.enumeration("durability", DurabilityChoice.class)
          .defaultValue(DurabilityChoice.DEFAULT)
          .description(
              "default (the table's), skip-wal (fast, lost on a region server crash), async-wal,"
                  + " sync-wal or fsync-wal.")
          .build();

  static final Option<Boolean> DISCARD_ON_RESUME =
      Option.bool("discardOnResume")
          .defaultValue(false)
          .description(
              "When a run resumes, delete the rows of the remaining key range before writing"
                  + " them again (whole rows, all families and versions; only for a single-column"
                  + " row key). Off: rewritten rows overwrite themselves (an upsert).")
          .build();

  // ---- sets ----------------------------------------------------------------------------------

  static List<Option<?>> connection() {
    return List.of(QUORUM, ZK_PORT, ZNODE_PARENT, PROPERTIES, CONNECT_TIMEOUT);
  }

  static final OptionSet SOURCE_OPTIONS = OptionSet.of(sourceOptions());
  static final OptionSet SINK_OPTIONS = OptionSet.of(sinkOptions());
  static final OptionSet CATALOG_OPTIONS = OptionSet.of(connection());

  private static List<Option<?>> sourceOptions() {
    List<Option<?>> all = new ArrayList<>(connection());
    all.addAll(
        List.of(
            TABLE,
            SOURCE_COLUMNS,
            ROW_KEY,
            ENCODING,
            START_ROW,
            STOP_ROW,
            VERSIONS,
            MIN_TIMESTAMP,
            MAX_TIMESTAMP,
            SPLIT_BY,
            SPLIT_KEYS,
            SPLITS_PER_REGION,
            CACHING,
            SCAN_BATCH,
            MAX_RESULT_SIZE,
            CACHE_BLOCKS,
            SOURCE_BATCH_SIZE));
    return all;
  }

  private static List<Option<?>> sinkOptions() {
    List<Option<?>> all = new ArrayList<>(connection());
    all.addAll(
        List.of(
            TABLE,
            ROW_KEY,
            SINK_COLUMNS,
            FAMILY,
            ENCODING,
            NULLS,
            WRITE_BUFFER,
            CREATE_TABLE,
            FAMILIES,
            DURABILITY,
            DISCARD_ON_RESUME));
    return all;
  }

  // ---- parsing -------------------------------------------------------------------------------

  private static Map<String, String> parseProperties(Object raw) {
    if (!(raw instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("expected a map of HBase client settings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> || e.getValue() instanceof List<?>) {
        throw new IllegalArgumentException("setting '" + e.getKey() + "' needs a plain value");
      }
      out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
    }
    return Map.copyOf(out);
  }

  private static List<ColumnSpec> parseSourceColumns(Object raw) {
    List<ColumnSpec> specs = ColumnSpec.parseList(raw, true);
    for (ColumnSpec c : specs) {
      if (c.type() == null) {
        throw new IllegalArgumentException(
            "column '"
                + c.name()
                + "' needs a type, e.g. \""
                + c.name()
                + " string "
                + c.mapping()
                + "\"");
      }
    }
    return specs;
  }

  private static List<ColumnSpec> parseSinkColumns(Object raw) {
    List<ColumnSpec> specs = ColumnSpec.parseList(raw, false);
    for (ColumnSpec c : specs) {
      if (c.type() != null) {
        throw new IllegalArgumentException(
            "column '"
                + c.name()
                + "': the sink takes types from the rows; write \""
                + c.name()
                + " "
                + c.mapping()
                + "\"");
      }
      if (c.allVersions()) {
        throw new IllegalArgumentException("column '" + c.name() + "': allVersions is for reading");
      }
    }
    return specs;
  }

  /** How the source cuts the key range. */
  enum SplitBy {
    REGION,
    KEYS
  }

  /** What the sink does with a NULL value. */
  enum NullMode {
    SKIP,
    DELETE
  }

  /** The write-ahead-log durability of each mutation. */
  enum DurabilityChoice {
    DEFAULT(org.apache.hadoop.hbase.client.Durability.USE_DEFAULT),
    SKIP_WAL(org.apache.hadoop.hbase.client.Durability.SKIP_WAL),
    ASYNC_WAL(org.apache.hadoop.hbase.client.Durability.ASYNC_WAL),
    SYNC_WAL(org.apache.hadoop.hbase.client.Durability.SYNC_WAL),
    FSYNC_WAL(org.apache.hadoop.hbase.client.Durability.FSYNC_WAL);

    final org.apache.hadoop.hbase.client.Durability durability;

    DurabilityChoice(org.apache.hadoop.hbase.client.Durability durability) {
      this.durability = durability;
    }
  }
}

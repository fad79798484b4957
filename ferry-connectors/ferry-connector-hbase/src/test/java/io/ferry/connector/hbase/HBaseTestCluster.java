package io.ferry.connector.hbase;

import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import io.ferry.spi.TypeKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseTestingUtility;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.StartMiniClusterOption;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * One real HBase mini cluster (ZooKeeper, a master, a region server) per test JVM, on local disk
 * under {@code target/test-data}, bound to 127.0.0.1 with no web UIs; started by the first test
 * that needs it and stopped when the JVM exits. Tables get unique names so test classes share it.
 */
final class HBaseTestCluster {
  private static HBaseTestingUtility util;
  private static Connection connection;
  private static final AtomicInteger TABLES = new AtomicInteger();

  private HBaseTestCluster() {}

  static synchronized HBaseTestingUtility get() {
    if (util == null) {
      start();
    }
    return util;
  }

  private static void start() {
    Configuration conf = org.apache.hadoop.hbase.HBaseConfiguration.create();
    conf.setInt("hbase.master.info.port", -1);
    conf.setInt("hbase.regionserver.info.port", -1);
    conf.set("hbase.master.ipc.address", "127.0.0.1");
    conf.set("hbase.regionserver.ipc.address", "127.0.0.1");
    conf.set("hbase.master.hostname", "127.0.0.1");
    conf.set("hbase.regionserver.hostname", "127.0.0.1");
    conf.set(HConstants.ZOOKEEPER_QUORUM, "127.0.0.1");
    conf.setBoolean("hbase.unsafe.stream.capability.enforce", false);
    conf.set("hbase.wal.provider", "filesystem");
    conf.setInt("hbase.regionserver.handler.count", 10);
    conf.setBoolean("hbase.procedure.store.wal.use.hsync", false);
    System.setProperty("test.build.data.basedirectory", "target/test-data");
    util = new HBaseTestingUtility(conf);
    try {
      util.startMiniZKCluster();
      util.startMiniHBaseCluster(
          StartMiniClusterOption.builder().numMasters(1).numRegionServers(1).build());
      connection = util.getConnection();
    } catch (Exception e) {
      throw new IllegalStateException("the HBase mini cluster did not start", e);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    util.shutdownMiniCluster();
                  } catch (Exception e) {
                    // the JVM ends anyway
                  }
                }));
  }

  static Connection connection() {
    get();
    return connection;
  }

  /** The connection options every role needs. */
  static Map<String, Object> options() {
    HBaseTestingUtility u = get();
    Map<String, Object> o = new HashMap<>();
    o.put("zookeeperQuorum", "127.0.0.1");
    o.put("zookeeperPort", u.getZkCluster().getClientPort());
    o.put("znodeParent", u.getConfiguration().get(HConstants.ZOOKEEPER_ZNODE_PARENT, "/hbase"));
    o.put("connectTimeout", "20s");
    return o;
  }

  /** A table name no other test uses. */
  static String uniqueTable(String base) {
    return base.replaceAll("[^A-Za-z0-9_]", "_") + "_" + TABLES.incrementAndGet();
  }

  /** Creates {@code name} with the families, pre-split at {@code splits} (may be empty). */
  static void createTable(String name, List<String> families, byte[]... splits) {
    TableDescriptorBuilder b = TableDescriptorBuilder.newBuilder(TableName.valueOf(name));
    for (String f : families) {
      b.setColumnFamily(
          ColumnFamilyDescriptorBuilder.newBuilder(Bytes.toBytes(f)).setMaxVersions(5).build());
    }
    try (Admin admin = connection().getAdmin()) {
      if (splits.length == 0) {
        admin.createTable(b.build());
      } else {
        admin.createTable(b.build(), splits);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Split keys cutting ids 0..rows-1 (binary int64 row keys) into {@code regions} regions. */
  static byte[][] idSplits(int rows, int regions) {
    List<byte[]> keys = new ArrayList<>();
    for (int k = 1; k < regions; k++) {
      keys.add(Bytes.toBytes((long) rows * k / regions));
    }
    return keys.toArray(new byte[0][]);
  }

  /**
   * The columns option of {@code schema} with {@code id} as the binary row key and every other
   * column in family d: binary for numbers and bytes, string for the rest.
   */
  static List<Object> columns(Schema schema, boolean withTypes) {
    List<Object> columns = new ArrayList<>();
    for (int c = 0; c < schema.size(); c++) {
      String name = schema.column(c).name();
      DataType type = schema.column(c).type();
      String mapping = name.equals("id") ? ":key" : "d:" + name;
      columns.add(
          name + (withTypes ? " " + type : "") + " " + mapping + " " + encodingFor(type).choice());
    }
    return columns;
  }

  static Encoding encodingFor(DataType type) {
    TypeKind k = type.kind();
    return k.isNumeric() || k == TypeKind.BOOLEAN || k == TypeKind.BYTES
        ? Encoding.BINARY
        : Encoding.STRING;
  }

  static Source source(Map<String, Object> extra, ConnectorContext context) {
    Map<String, Object> raw = new HashMap<>(options());
    raw.putAll(extra);
    var role = new HBaseConnector().source().orElseThrow();
    return role.create(role.options().parse(raw), context);
  }

  static Sink sink(Map<String, Object> extra, ConnectorContext context) {
    Map<String, Object> raw = new HashMap<>(options());
    raw.putAll(extra);
    var role = new HBaseConnector().sink().orElseThrow();
    return role.create(role.options().parse(raw), context);
  }

  /** Writes {@code rows} with the sink into {@code table} (which must exist). */
  static void write(String table, Schema schema, List<Object[]> rows, ConnectorContext context) {
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put("columns", columns(schema, false));
    o.put("writeBufferSize", "1MB");
    try (Sink sink = sink(o, context)) {
      sink.prepare(schema);
      try (SinkWriter writer = sink.createWriter(0)) {
        RowBatch batch = new RowBatch(schema.size(), 500);
        for (Object[] row : rows) {
          batch.addRow(row.clone());
          if (batch.isFull()) {
            writer.write(batch);
            batch.clear();
          }
        }
        writer.write(batch);
        writer.flush();
      }
      sink.commit();
    }
  }
}

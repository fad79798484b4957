package io.ferry.connector.hdfs;

import io.ferry.spi.Connector;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * One real HDFS (a NameNode and a DataNode) in the test JVM, bound to 127.0.0.1, its data under
 * target/: started by the first test that needs it and stopped when the JVM exits.
 */
final class TestHdfs {
  private static MiniDFSCluster cluster;
  private static final AtomicInteger FOLDERS = new AtomicInteger();

  private TestHdfs() {}

  static synchronized MiniDFSCluster cluster() {
    if (cluster == null) {
      Configuration conf = new Configuration();
      File base = new File("target/hdfs-mini").getAbsoluteFile();
      conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
      conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
      conf.set("dfs.namenode.http-address", "127.0.0.1:0");
      conf.set("dfs.datanode.address", "127.0.0.1:0");
      conf.set("dfs.datanode.http.address", "127.0.0.1:0");
      conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
      conf.setBoolean("dfs.permissions.enabled", false);
      try {
        cluster =
            new MiniDFSCluster.Builder(conf)
                .numDataNodes(1)
                .nameNodePort(0)
                .format(true)
                .checkDataNodeAddrConfig(true)
                .build();
        cluster.waitClusterUp();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      MiniDFSCluster started = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown));
    }
    return cluster;
  }

  static String defaultFs() {
    return "hdfs://127.0.0.1:" + cluster().getNameNodePort();
  }

  static FileSystem fs() {
    try {
      return cluster().getFileSystem();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new, unused folder path. */
  static String folder(String name) {
    return "/test/" + name + "-" + FOLDERS.incrementAndGet();
  }

  static Map<String, Object> connection() {
    Map<String, Object> options = new HashMap<>();
    options.put("defaultFS", defaultFs());
    return options;
  }

  /** The columns option for {@code schema}: "name type" each. */
  static List<String> columns(Schema schema) {
    return schema.columns().stream().map(c -> c.name() + " " + c.type()).toList();
  }

  /** Writes {@code rows} through the connector's sink as {@code splits} splits, and commits. */
  static void write(
      Map<String, Object> options,
      Schema schema,
      List<Object[]> rows,
      int splits,
      ConnectorContext context) {
    Connector.Role<Sink> role = new HdfsConnector().sink().orElseThrow();
    try (Sink sink = role.create(role.options().parse(options), context)) {
      sink.prepare(schema);
      try (SinkWriter writer = sink.createWriter(0)) {
        for (int s = 0; s < splits; s++) {
          List<Object[]> share =
              rows.subList(rows.size() * s / splits, rows.size() * (s + 1) / splits);
          writer.beginSplit(s);
          RowBatch batch = new RowBatch(schema.size(), Math.max(1, share.size()));
          share.forEach(batch::addRow);
          writer.write(batch);
          writer.endSplit(s);
        }
      }
      sink.commit();
    }
  }

  /** Every row the connector's source reads with {@code options}, split by split in plan order. */
  static List<Object[]> read(Map<String, Object> options, ConnectorContext context) {
    Connector.Role<Source> role = new HdfsConnector().source().orElseThrow();
    List<Object[]> rows = new ArrayList<>();
    try (Source source = role.create(role.options().parse(options), context)) {
      for (Split split : source.planner().plan(1)) {
        try (SplitReader reader = source.openReader(split, null)) {
          for (RowBatch b = reader.next(); b != null; b = reader.next()) {
            for (int r = 0; r < b.size(); r++) {
              rows.add(b.row(r));
            }
          }
        }
      }
    }
    return rows;
  }

  /** Options reading back what a sink wrote into {@code folder}, as {@code schema}. */
  static Map<String, Object> readOptions(
      Map<String, Object> sinkOptions, String folder, Schema schema) {
    Map<String, Object> options = new HashMap<>(sinkOptions);
    options.remove("writeMode");
    options.remove("fileName");
    options.remove("compression");
    options.remove("dateFormat");
    options.put("path", folder);
    options.put("columns", columns(schema));
    return options;
  }
}

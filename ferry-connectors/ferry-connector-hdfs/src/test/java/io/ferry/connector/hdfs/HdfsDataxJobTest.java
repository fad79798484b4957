package io.ferry.connector.hdfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DataX jobs shaped as hdfswriter's and hdfsreader's documentation examples (the cluster and paths
 * as parameters), run through the engine against the mini cluster: a tab-separated file loaded into
 * an ORC Hive partition with the Hive column types, then read back by field index.
 */
class HdfsDataxJobTest {
  private static final String WRITER_JOB =
      """
      {"job": {"setting": {"speed": {"channel": 2}},
        "content": [{
          "reader": {"name": "txtfilereader", "parameter": {"path": ["${input}"], "encoding": "UTF-8",
            "column": [{"index": 0, "type": "long"}, {"index": 1, "type": "long"},
                       {"index": 2, "type": "long"}, {"index": 3, "type": "long"},
                       {"index": 4, "type": "DOUBLE"}, {"index": 5, "type": "DOUBLE"},
                       {"index": 6, "type": "STRING"}, {"index": 7, "type": "STRING"},
                       {"index": 8, "type": "STRING"}, {"index": 9, "type": "BOOLEAN"},
                       {"index": 10, "type": "date"}, {"index": 11, "type": "date"}],
            "fieldDelimiter": "\\t"}},
          "writer": {"name": "hdfswriter", "parameter": {"defaultFS": "${fs}", "fileType": "orc",
            "path": "${table}/dt=${bizdate}", "fileName": "xxxx",
            "column": [{"name": "col1", "type": "TINYINT"}, {"name": "col2", "type": "SMALLINT"},
                       {"name": "col3", "type": "INT"}, {"name": "col4", "type": "BIGINT"},
                       {"name": "col5", "type": "FLOAT"}, {"name": "col6", "type": "DOUBLE"},
                       {"name": "col7", "type": "STRING"}, {"name": "col8", "type": "VARCHAR"},
                       {"name": "col9", "type": "CHAR"}, {"name": "col10", "type": "BOOLEAN"},
                       {"name": "col11", "type": "date"}, {"name": "col12", "type": "TIMESTAMP"}],
            "writeMode": "append", "fieldDelimiter": "\\t", "compress": "SNAPPY"}}}]}}
      """;

  private static final String READER_JOB =
      """
      {"job": {"setting": {"speed": {"channel": 3}},
        "content": [{
          "reader": {"name": "hdfsreader", "parameter": {"path": "${table}/*", "defaultFS": "${fs}",
            "column": [{"index": 0, "type": "long"}, {"index": 9, "type": "boolean"},
                       {"type": "string", "value": "hello"}, {"index": 5, "type": "double"},
                       {"index": 11, "type": "date"}],
            "fileType": "orc", "encoding": "UTF-8", "fieldDelimiter": ","}},
          "writer": {"name": "txtfilewriter", "parameter": {"path": "${out}", "fileName": "back.csv",
            "writeMode": "truncate", "fieldDelimiter": ","}}}]}}
      """;

  @Test
  void hdfswriterLoadsAHivePartitionAndHdfsreaderReadsItBack(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("dataorcfull.txt");
    // DataX's "date" without a format takes date-only text as well as date and time
    Files.writeString(
        input,
        "1\t300\t70000\t9000000000\t1.5\t2.25\tplain\tvar\tch\ttrue\t2024-05-01\t2024-05-01 13:45:00\n"
            + "-2\t-300\t-70000\t-9000000000\t-0.5\t1e10\t中文\t\t \tfalse\t1999-12-31\t2000-01-01 00:00:01\n",
        StandardCharsets.UTF_8);
    String table = TestHdfs.folder("warehouse/orcfull");
    Map<String, String> params =
        Map.of(
            "input", input.toString(),
            "fs", TestHdfs.defaultFs(),
            "table", table,
            "bizdate", "20240501",
            "out", dir.resolve("out").toString());
    Engine engine =
        new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), dir.resolve("s"));
    RunResult written =
        engine.start(JobSpecLoader.parse(WRITER_JOB, true, null, "w", params)).await();
    assertThat(written.state()).as("failure: %s", written.failure()).isEqualTo(RunState.SUCCEEDED);

    // The files carry the Hive table's types, not the text reader's long / double / date.
    String partition = table + "/dt=20240501";
    Map<String, Object> read = TestHdfs.connection();
    read.put("fileType", "orc");
    read.put("path", partition);
    List<Object[]> rows = TestHdfs.read(read, new TestConnectorContext("r"));
    String first =
        TestHdfs.fs().listStatus(new org.apache.hadoop.fs.Path(partition))[0].getPath().toString();
    Schema schema;
    try (org.apache.orc.Reader reader =
        OrcFileReader.open(
            new HdfsAccess(new HdfsConnector().source().orElseThrow().options().parse(read)),
            first)) {
      schema = OrcFileReader.schemaOf(first, reader.getSchema());
    }
    assertThat(schema.columns().stream().map(Column::type).toList())
        .containsExactly(
            DataType.INT8,
            DataType.INT16,
            DataType.INT32,
            DataType.INT64,
            DataType.FLOAT32,
            DataType.FLOAT64,
            DataType.STRING,
            DataType.STRING,
            DataType.STRING,
            DataType.BOOLEAN,
            DataType.DATE,
            DataType.timestamp(9));
    assertThat(rows)
        .containsExactlyInAnyOrder(
            new Object[] {
              (byte) 1,
              (short) 300,
              70000,
              9_000_000_000L,
              1.5f,
              2.25,
              "plain",
              "var",
              "ch",
              true,
              LocalDate.of(2024, 5, 1),
              LocalDateTime.of(2024, 5, 1, 13, 45)
            },
            new Object[] {
              (byte) -2,
              (short) -300,
              -70000,
              -9_000_000_000L,
              -0.5f,
              1e10,
              "中文",
              "",
              " ",
              false,
              LocalDate.of(1999, 12, 31),
              LocalDateTime.of(2000, 1, 1, 0, 0, 1)
            });

    RunResult back = engine.start(JobSpecLoader.parse(READER_JOB, true, null, "r", params)).await();
    assertThat(back.state()).as("failure: %s", back.failure()).isEqualTo(RunState.SUCCEEDED);
    assertThat(Files.readAllLines(dir.resolve("out/back.csv")))
        .containsExactlyInAnyOrder(
            "1,true,hello,2.25,2024-05-01T13:45:00", "-2,false,hello,1.0E10,2000-01-01T00:00:01");
  }
}

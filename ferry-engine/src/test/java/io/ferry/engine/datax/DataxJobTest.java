package io.ferry.engine.datax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecException;
import io.ferry.engine.JobSpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractListAssert;
import org.junit.jupiter.api.Test;

/** DataX job JSON translated into Ferry jobs: DataX's own examples and one test per plug-in. */
class DataxJobTest {
  private static final Path EXAMPLES = Path.of("src/test/resources/datax");

  private static JobSpec load(String name, Map<String, String> params) {
    return JobSpecLoader.load(EXAMPLES.resolve(name), params);
  }

  private static JobSpec parse(String json) {
    return JobSpecLoader.parse(json, true, null, "job", Map.of());
  }

  private static JobSpec parse(String json, Map<String, String> params) {
    return JobSpecLoader.parse(json, true, null, "job", params);
  }

  /** The problems a DataX job has, as "path: message" lines. */
  private static AbstractListAssert<?, List<? extends String>, String, ?> problems(String json) {
    try {
      parse(json);
    } catch (JobSpecException e) {
      return assertThat(e.problems().stream().map(p -> p.path() + ": " + p.message()).toList());
    }
    throw new AssertionError("no problem in " + json);
  }

  private static List<String> mapping(JobSpec job) {
    return job.mapping().stream()
        .map(
            m ->
                m.isConstant()
                    ? m.to() + "=" + m.constant()
                    : m.from().equals(m.to()) ? m.from() : m.from() + "->" + m.to())
        .toList();
  }

  /** A job of one reader and one writer, each {name, parameter}. */
  private static String job(String reader, String writer) {
    return job("{\"speed\": {\"channel\": 2}}", reader, writer, "");
  }

  private static String job(String setting, String reader, String writer, String transformer) {
    return """
        {"job": {"setting": %s, "content": [{"reader": %s, "writer": %s%s}]}}
        """
        .formatted(
            setting,
            reader,
            writer,
            transformer.isEmpty() ? "" : ", \"transformer\": " + transformer);
  }

  private static final String MYSQL_READER =
      """
      {"name": "mysqlreader", "parameter": {"username": "etl", "password": "pw",
        "column": ["id", "`amount`", "'erp'", "7"], "splitPk": "id", "where": "id > 3",
        "connection": [{"table": ["orders"], "jdbcUrl": ["jdbc:mysql://db1:3306/shop"]}]}}
      """;

  // ------------------------------------------------------------------ DataX's own examples

  @Test
  void mysqlreaderToStreamwriterExample() {
    JobSpec job = load("mysqlreader-0.json", Map.of());
    assertThat(job.name()).isEqualTo("mysqlreader-0");
    assertThat(job.source().connector()).isEqualTo("mysql");
    assertThat(job.source().options())
        .containsEntry("url", "jdbc:mysql://127.0.0.1:3306/database")
        .containsEntry("user", "root")
        .containsEntry("password", "root")
        .containsEntry("table", "table")
        .containsEntry("columns", List.of("id", "name"))
        .containsEntry("splitKey", List.of("db_id"));
    assertThat(job.sink().connector()).isEqualTo("console");
    // errorLimit.percentage 0.02 is 2 %
    assertThat(job.settings())
        .containsEntry("channels", 3L)
        .containsEntry("errorLimit", 0L)
        .containsEntry("errorPercent", 2L);
  }

  @Test
  void querySqlWithSeveralJdbcUrlsExample() {
    JobSpec job = load("mysqlreader-1.json", Map.of());
    assertThat(job.source().options())
        .containsEntry("hosts", List.of("bad_ip:3306", "127.0.0.1:bad_port", "127.0.0.1:3306"))
        .containsEntry("database", "database")
        // the trailing ';' of DataX's example cannot stand inside a split query
        .containsEntry("query", "select db_id,on_line_flag from db_info where db_id < 10")
        .doesNotContainKeys("table", "columns", "url");
    assertThat(job.sink().connector()).isEqualTo("blackhole");
    assertThat(job.mapping()).isNull();
  }

  @Test
  void rdbmsreaderExample() {
    JobSpec job = load("rdbmsreader-0.json", Map.of());
    assertThat(job.source().connector()).isEqualTo("jdbc");
    assertThat(job.source().options())
        .containsEntry("url", "jdbc:dm://ip:port/database")
        .containsEntry("where", "1 = 1")
        .containsEntry("fetchSize", 1024L);
    assertThat(job.settings()).containsEntry("bytesPerSecond", 1048576L);
  }

  @Test
  void examplesThatDataXRejectsTooNameTheirFault() {
    // five stream columns into two writer columns: DataX fails at run time, Ferry before
    assertThatThrownBy(() -> load("postgresqlwriter-0.json", Map.of()))
        .isInstanceOfSatisfying(
            JobSpecException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(
                        p -> {
                          assertThat(p.path()).isEqualTo("job.content[0].writer.parameter.column");
                          assertThat(p.message()).contains("has 2 columns, the reader 5");
                        }));
    // "speed": 1048576 is not a map
    assertThatThrownBy(() -> load("postgresqlreader-1.json", Map.of()))
        .isInstanceOfSatisfying(
            JobSpecException.class,
            e ->
                assertThat(e.problems())
                    .extracting(JobSpecException.Problem::path)
                    .containsExactly("job.setting.speed"));
    // several jdbcUrls of SQL Server, and the unknown streamwriter parameter "visible"
    assertThatThrownBy(() -> load("sqlserverreader-1.json", Map.of()))
        .isInstanceOfSatisfying(
            JobSpecException.class,
            e ->
                assertThat(e.problems())
                    .extracting(JobSpecException.Problem::path)
                    .contains(
                        "job.content[0].reader.parameter.connection[0].jdbcUrl",
                        "job.content[0].writer.parameter.visible"));
  }

  @Test
  void txtfileExampleWritesItsDatesInTheWritersFormat() {
    JobSpec job = load("txtfilewriter-0.json", Map.of());
    assertThat(job.sink().connector()).isEqualTo("file");
    assertThat(job.sink().options())
        .containsEntry("path", "/home/haiwei.luo/case00/result/luohw")
        .containsEntry("overwrite", true)
        .containsEntry("dateFormat", "yyyy-MM-dd");
  }

  @Test
  void transformerExampleNamesGroovyDigestAndTheBadIndex() {
    assertThatThrownBy(() -> load("transformer-0.json", Map.of()))
        .isInstanceOfSatisfying(
            JobSpecException.class,
            e ->
                assertThat(e.problems())
                    .extracting(p -> p.path() + ": " + p.message())
                    .satisfiesExactly(
                        p ->
                            assertThat(p)
                                .startsWith("job.content[0].transformer[0].parameter.columnIndex"),
                        p ->
                            assertThat(p)
                                .contains("transformer[2].name")
                                .contains("dx_digest")
                                .contains("mask"),
                        p ->
                            assertThat(p)
                                .contains("transformer[3].name")
                                .contains("dx_groovy")
                                .contains("filter")));
  }

  @Test
  void hbaseExamples() {
    assertThatThrownBy(() -> load("hbase11xreader-0.json", Map.of()))
        .isInstanceOfSatisfying(
            JobSpecException.class,
            e ->
                assertThat(e.problems())
                    .extracting(JobSpecException.Problem::path)
                    .containsExactly("job.content[0].reader.parameter.column[2].format"));
    assertThatThrownBy(() -> load("hbase11xwriter-0.json", Map.of()))
        .isInstanceOfSatisfying(
            JobSpecException.class,
            e ->
                assertThat(e.problems())
                    .extracting(JobSpecException.Problem::path)
                    .containsExactlyInAnyOrder(
                        "job.content[0].writer.parameter.versionColumn",
                        "job.content[0].reader.parameter.charset"));
  }

  @Test
  void convertPrintsYamlThatLoadsAsTheSameJob() throws Exception {
    Path json = EXAMPLES.resolve("mysqlreader-0.json");
    String yaml = JobSpecLoader.convertDatax(json);
    assertThat(yaml)
        .contains("connector: mysql")
        .contains("url: jdbc:mysql://127.0.0.1:3306/database")
        .contains("errorPercent: 2");
    Path file = Files.createTempFile("converted", ".yaml");
    try {
      Files.writeString(file, yaml);
      JobSpec fromYaml = JobSpecLoader.load(file, Map.of());
      JobSpec fromJson = load("mysqlreader-0.json", Map.of());
      assertThat(fromYaml.source()).isEqualTo(fromJson.source());
      assertThat(fromYaml.sink()).isEqualTo(fromJson.sink());
      assertThat(fromYaml.settings()).isEqualTo(fromJson.settings());
      assertThat(fromYaml.name()).isEqualTo(fromJson.name());
    } finally {
      Files.delete(file);
    }
    assertThatThrownBy(
            () -> JobSpecLoader.convertDatax("{\"source\": {}}", "x.json", "x", Map.of()))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("not a DataX job");
  }

  // ------------------------------------------------------------------ one test per plug-in

  @Test
  void mysqlreaderPairsColumnsByPositionAndConstantsBecomeMappingValues() {
    JobSpec job =
        parse(
            job(
                MYSQL_READER,
                """
                {"name": "postgresqlwriter", "parameter": {"username": "dw", "password": "pw2",
                  "column": ["order_id", "total", "origin", "version"],
                  "preSql": ["delete from @table"], "postSql": ["analyze @table"],
                  "batchSize": 2048, "writeMode": "update (order_id)",
                  "connection": [{"jdbcUrl": "jdbc:postgresql://dw1:5432/dw", "table": ["public.orders"]}]}}
                """));
    assertThat(job.source().options())
        .containsEntry("columns", List.of("id", "amount"))
        .containsEntry("where", "id > 3")
        .containsEntry("splitKey", List.of("id"))
        .containsEntry("user", "etl");
    assertThat(job.sink().connector()).isEqualTo("postgresql");
    assertThat(job.sink().options())
        .containsEntry("url", "jdbc:postgresql://dw1:5432/dw")
        .containsEntry("table", "public.orders")
        .containsEntry("columns", List.of("order_id", "total", "origin", "version"))
        .containsEntry("preSql", List.of("delete from public.orders"))
        .containsEntry("postSql", List.of("analyze public.orders"))
        .containsEntry("batchSize", 2048L)
        .containsEntry("writeMode", "upsert")
        .containsEntry("keys", List.of("order_id"));
    assertThat(mapping(job))
        .containsExactly("id->order_id", "amount->total", "origin=erp", "version=7");
  }

  @Test
  void mysqlwriterWriteModes() {
    String writer =
        """
        {"name": "mysqlwriter", "parameter": {"username": "u", "password": "p", "column": ["*"],
          "writeMode": "%s",
          "connection": [{"jdbcUrl": "jdbc:mysql://db2:3306/dw", "table": ["orders"]}]}}
        """;
    String reader =
        """
        {"name": "mysqlreader", "parameter": {"username": "u", "password": "p", "column": ["*"],
          "connection": [{"table": ["orders"], "jdbcUrl": ["jdbc:mysql://db1:3306/shop"]}]}}
        """;
    assertThat(parse(job(reader, writer.formatted("insert"))).sink().options())
        .containsEntry("writeMode", "insert")
        .doesNotContainKey("columns");
    assertThat(parse(job(reader, writer.formatted("replace"))).sink().options())
        .containsEntry("writeMode", "replace");
    assertThat(parse(job(reader, writer.formatted("update"))).sink().options())
        .containsEntry("writeMode", "upsert")
        .doesNotContainKey("keys");
    JobSpec all = parse(job(reader, writer.formatted("insert")));
    assertThat(all.source().options()).doesNotContainKey("columns");
    assertThat(all.mapping()).isNull();
    problems(job(reader, writer.formatted("truncate")))
        .singleElement()
        .asString()
        .startsWith("job.content[0].writer.parameter.writeMode: 'truncate' is not translated")
        .contains("insert or update (Ferry: upsert) or replace");
  }

  @Test
  void severalTablesAndShardsBecomeTablesAndShards() {
    String streamwriter = "{\"name\": \"streamwriter\", \"parameter\": {\"print\": false}}";
    JobSpec sharded =
        parse(
            job(
                """
                {"name": "mysqlreader", "parameter": {"username": "u", "column": ["id", "v"],
                  "splitPk": "id",
                  "connection": [{"table": ["t1", "t2"], "jdbcUrl": ["jdbc:mysql://db1:3306/shop"]},
                                 {"table": ["t1"], "jdbcUrl": ["jdbc:mysql://db2:3306/shop2",
                                                               "jdbc:mysql://db3:3306/shop2"]}]}}
                """,
                streamwriter));
    assertThat(sharded.source().options())
        .doesNotContainKeys("url", "table", "tables")
        .containsEntry("splitKey", List.of("id"))
        .containsEntry(
            "shards",
            List.of(
                Map.of("url", "jdbc:mysql://db1:3306/shop", "tables", List.of("t1", "t2")),
                Map.of(
                    "hosts",
                    List.of("db2:3306", "db3:3306"),
                    "database",
                    "shop2",
                    "tables",
                    List.of("t1"))));
    JobSpec tables =
        parse(
            job(
                """
                {"name": "postgresqlreader", "parameter": {"username": "u", "column": ["*"],
                  "connection": [{"table": ["a", "b"], "jdbcUrl": ["jdbc:postgresql://db1/shop"]}]}}
                """,
                streamwriter));
    assertThat(tables.source().options())
        .containsEntry("url", "jdbc:postgresql://db1/shop")
        .containsEntry("tables", List.of("a", "b"))
        .doesNotContainKey("shards");
    JobSpec queried =
        parse(
            job(
                """
                {"name": "mysqlreader", "parameter": {"username": "u",
                  "connection": [{"querySql": ["SELECT id FROM t;"], "jdbcUrl": ["jdbc:mysql://db1/a"]},
                                 {"querySql": ["SELECT id FROM t"], "jdbcUrl": ["jdbc:mysql://db2/b"]}]}}
                """,
                streamwriter));
    assertThat(queried.source().options())
        .containsEntry("query", "SELECT id FROM t")
        .containsEntry(
            "shards",
            List.of(Map.of("url", "jdbc:mysql://db1/a"), Map.of("url", "jdbc:mysql://db2/b")));
    problems(
            job(
                """
                {"name": "mysqlreader", "parameter": {"username": "u", "column": ["*"],
                  "connection": [{"querySql": ["SELECT 1"], "jdbcUrl": ["jdbc:mysql://db1/a"]},
                                 {"table": ["t"], "jdbcUrl": ["jdbc:mysql://db2/b"]}]}}
                """,
                streamwriter))
        .containsExactly(
            "job.content[0].reader.parameter.connection: give every entry a table, or every entry"
                + " a querySql, not both");
    problems(
            job(
                """
                {"name": "rdbmsreader", "parameter": {"username": "u", "column": ["*"],
                  "connection": [{"table": ["t"], "jdbcUrl": ["jdbc:h2:tcp://db1/a"]},
                                 {"table": ["t"], "jdbcUrl": ["jdbc:h2:tcp://db2/b"]}]}}
                """,
                streamwriter))
        .singleElement()
        .asString()
        .contains("rdbmsreader reads one");
    problems(
            job(
                """
                {"name": "mysqlreader", "parameter": {"username": "u", "column": ["*"],
                  "connection": [{"table": ["t1"], "jdbcUrl": ["jdbc:mysql://db1:3306/a", "jdbc:mysql://db2:3306/b"]}]}}
                """,
                "{\"name\": \"streamwriter\", \"parameter\": {\"print\": false}}"))
        .singleElement()
        .asString()
        .contains("different databases (a, b)");
  }

  @Test
  void sqlExpressionsAndSessionAreNamedErrors() {
    problems(
            job(
                """
                {"name": "oraclereader", "parameter": {"username": "u", "column": ["id", "upper(name)"],
                  "session": ["alter session set NLS_DATE_FORMAT='yyyy-mm-dd'"],
                  "connection": [{"table": ["T"], "jdbcUrl": ["jdbc:oracle:thin:@db:1521:ORCL"]}]}}
                """,
                "{\"name\": \"streamwriter\", \"parameter\": {}}"))
        .satisfiesExactly(
            p ->
                assertThat(p)
                    .startsWith(
                        "job.content[0].reader.parameter.column[1]: 'upper(name)' is an SQL expression"),
            p ->
                assertThat(p)
                    .startsWith(
                        "job.content[0].reader.parameter.session: oraclereader's session is not supported"));
  }

  @Test
  void oracleSqlserverReadersAndWriters() {
    JobSpec job =
        parse(
            job(
                """
                {"name": "oraclereader", "parameter": {"username": "u", "password": "p", "column": ["ID", "NAME"],
                  "fetchSize": 500,
                  "connection": [{"table": ["SHOP.ORDERS"], "jdbcUrl": ["jdbc:oracle:thin:@db:1521:ORCL"]}]}}
                """,
                """
                {"name": "sqlserverwriter", "parameter": {"username": "u", "password": "p", "column": ["id", "name"],
                  "connection": [{"jdbcUrl": "jdbc:sqlserver://ms:1433;DatabaseName=dw", "table": ["dbo.orders"]}]}}
                """));
    assertThat(job.source().connector()).isEqualTo("oracle");
    assertThat(job.source().options())
        .containsEntry("url", "jdbc:oracle:thin:@db:1521:ORCL")
        .containsEntry("fetchSize", 500L);
    assertThat(job.sink().connector()).isEqualTo("sqlserver");
    assertThat(job.sink().options())
        .containsEntry("url", "jdbc:sqlserver://ms:1433;DatabaseName=dw")
        .containsEntry("table", "dbo.orders");
    assertThat(mapping(job)).containsExactly("ID->id", "NAME->name");
  }

  @Test
  void rdbmswriterInsertsOnly() {
    problems(
            job(
                MYSQL_READER,
                """
                {"name": "rdbmswriter", "parameter": {"username": "u", "column": ["a", "b", "c", "d"], "writeMode": "update",
                  "connection": [{"jdbcUrl": "jdbc:dm://dm1:5236/DW", "table": ["T"]}]}}
                """))
        .singleElement()
        .asString()
        .contains("writeMode: 'update' is not translated for rdbmswriter; use insert");
  }

  @Test
  void txtfilereaderDeclaresFieldsByIndexAndRewritesDates() {
    JobSpec job =
        parse(
            job(
                """
                {"name": "txtfilereader", "parameter": {"path": ["/data/in/orders-*.csv.gz"], "encoding": "GBK",
                  "fieldDelimiter": "|", "compress": "gzip", "nullFormat": "NULL",
                  "column": [{"index": 0, "type": "long"}, {"index": 3, "type": "date", "format": "yyyy.MM.dd"},
                             {"type": "string", "value": "file"}, {"index": 2, "type": "double"}]}}
                """,
                """
                {"name": "mysqlwriter", "parameter": {"username": "u", "column": ["id", "day", "origin", "amount"],
                  "connection": [{"jdbcUrl": "jdbc:mysql://db:3306/dw", "table": ["orders"]}]}}
                """));
    assertThat(job.source().connector()).isEqualTo("file");
    assertThat(job.source().options())
        .containsEntry("path", "/data/in/orders-*.csv.gz")
        .containsEntry("format", "csv")
        .containsEntry("delimiter", "|")
        .containsEntry("encoding", "GBK")
        .containsEntry("compression", "gzip")
        .containsEntry("nullMarker", "NULL")
        .containsEntry("header", false)
        .containsEntry(
            "columns", List.of("id int64", "_unused1 string", "amount float64", "day string"));
    assertThat(job.transforms())
        .extracting(t -> t.type() + " " + t.options())
        .containsExactly(
            "replace {column=day, pattern=^([0-9]{4})\\Q.\\E([0-9]{2})\\Q.\\E([0-9]{2})$,"
                + " replacement=$1-$2-$3}",
            "cast {columns={day=date}}");
    assertThat(mapping(job)).containsExactly("id", "day", "origin=file", "amount");
  }

  @Test
  void txtfilereaderReadsADateWithoutFormatFromDataxsDateTexts() {
    JobSpec job =
        parse(
            job(
                """
                {"name": "txtfilereader", "parameter": {"path": ["/data/in"],
                  "column": [{"index": 0, "type": "long"}, {"index": 1, "type": "date"}]}}
                """,
                """
                {"name": "mysqlwriter", "parameter": {"username": "u", "column": ["id", "at"],
                  "connection": [{"jdbcUrl": "jdbc:mysql://db:3306/dw", "table": ["events"]}]}}
                """));
    assertThat(job.source().options()).containsEntry("columns", List.of("id int64", "at string"));
    assertThat(job.transforms())
        .extracting(t -> t.type() + " " + t.options())
        .containsExactly(
            "replace {column=at, pattern=^([0-9]{4}-[0-9]{2}-[0-9]{2})$, replacement=$1 00:00:00}",
            "replace {column=at, pattern=^([0-9]{4})([0-9]{2})([0-9]{2})$,"
                + " replacement=$1-$2-$3 00:00:00}",
            "replace {column=at, pattern=^([0-9]{2}:[0-9]{2}:[0-9]{2})$,"
                + " replacement=1970-01-01 $1}",
            "cast {columns={at=timestamp(3)}}");
  }

  @Test
  void datePatterns() {
    assertThat(DataxJob.Translation.datePattern("yyyy-MM-dd HH:mm:ss"))
        .containsExactly(
            "^([0-9]{4})\\Q-\\E([0-9]{2})\\Q-\\E([0-9]{2})\\Q \\E([0-9]{2})\\Q:\\E([0-9]{2})\\Q:\\E([0-9]{2})$",
            "$1-$2-$3 $4:$5:$6", "timestamp(3)");
    assertThat(DataxJob.Translation.datePattern("dd/MM/yyyy"))
        .containsExactly("^([0-9]{2})\\Q/\\E([0-9]{2})\\Q/\\E([0-9]{4})$", "$3-$2-$1", "date");
    assertThat(DataxJob.Translation.datePattern("yyyyMMdd HHmmss.SSS")[1])
        .isEqualTo("$1-$2-$3 $4:$5:$6.$7");
    assertThat(DataxJob.Translation.datePattern("d MMM yyyy")).isNull();
    assertThat(DataxJob.Translation.datePattern("yy-MM-dd")).isNull();
    assertThat(DataxJob.Translation.datePattern("HH:mm")).isNull();
  }

  @Test
  void txtfilewriterAndItsUnsupportedModes() {
    JobSpec job =
        parse(
            job(
                MYSQL_READER,
                """
                {"name": "txtfilewriter", "parameter": {"path": "/out", "fileName": "orders.csv",
                  "writeMode": "nonConflict", "fieldDelimiter": "\\t", "fileFormat": "text",
                  "header": ["ID", "AMOUNT", "ORIGIN", "V"]}}
                """));
    assertThat(job.sink().connector()).isEqualTo("file");
    assertThat(job.sink().options())
        .containsEntry("path", "/out/orders.csv")
        .containsEntry("delimiter", "\t")
        .containsEntry("overwrite", false)
        .containsEntry("header", true)
        .containsEntry("nullMarker", "\\N");
    assertThat(mapping(job)).containsExactly("id->ID", "amount->AMOUNT", "ORIGIN=erp", "V=7");
    JobSpec appending =
        parse(
            job(
                MYSQL_READER,
                """
                {"name": "txtfilewriter", "parameter": {"path": "/out", "fileName": "o.bz2", "writeMode": "append",
                  "compress": "bzip2", "dateFormat": "yyyy-MM-dd HH:mm:ss"}}
                """));
    assertThat(appending.sink().options())
        .containsEntry("path", "/out/o.bz2")
        .containsEntry("append", true)
        .containsEntry("compression", "bzip2")
        .containsEntry("dateFormat", "yyyy-MM-dd HH:mm:ss")
        .doesNotContainKey("overwrite");
    problems(
            job(
                MYSQL_READER,
                """
                {"name": "txtfilewriter", "parameter": {"path": "/out", "fileName": "o", "compress": "zip"}}
                """))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("job.content[0].writer.parameter.compress: 'zip' is not supported")
                    .contains("writes gzip and bzip2"));
  }

  @Test
  void ftpreaderAndFtpwriter() {
    JobSpec job =
        parse(
            job(
                """
                {"name": "ftpreader", "parameter": {"protocol": "sftp", "host": "files", "port": 2222,
                  "username": "u", "password": "p", "path": ["/in/a.csv"], "fieldDelimiter": ",",
                  "skipHeader": true, "column": ["*"]}}
                """,
                """
                {"name": "ftpwriter", "parameter": {"protocol": "ftp", "host": "out", "username": "u",
                  "password": "p", "timeout": "60000", "connectPattern": "PORT", "path": "/out/",
                  "fileName": "b.csv", "writeMode": "truncate", "fileFormat": "csv"}}
                """));
    assertThat(job.source().connector()).isEqualTo("sftp");
    assertThat(job.source().options())
        .containsEntry("host", "files")
        .containsEntry("port", 2222L)
        .containsEntry("user", "u")
        .containsEntry("path", "/in/a.csv")
        .containsEntry("header", true);
    assertThat(job.sink().connector()).isEqualTo("ftp");
    assertThat(job.sink().options())
        .containsEntry("path", "/out/b.csv")
        .containsEntry("connectTimeout", "60000ms")
        .containsEntry("passiveMode", false)
        .containsEntry("overwrite", true);
    JobSpec appending =
        parse(
            job(
                MYSQL_READER,
                """
                {"name": "ftpwriter", "parameter": {"protocol": "sftp", "host": "out", "username": "u",
                  "path": "/out", "fileName": "log.csv", "writeMode": "append"}}
                """));
    assertThat(appending.sink().connector()).isEqualTo("sftp");
    assertThat(appending.sink().options())
        .containsEntry("path", "/out/log.csv")
        .containsEntry("append", true)
        .doesNotContainKey("overwrite");
    problems(
            job(
                """
                {"name": "ftpreader", "parameter": {"protocol": "ftps", "host": "h", "path": ["/a", "/b"],
                  "maxTraversalLevel": 3, "column": ["*"], "skipHeader": true}}
                """,
                "{\"name\": \"streamwriter\", \"parameter\": {}}"))
        .satisfiesExactly(
            p -> assertThat(p).contains("protocol: required: ftp or sftp"),
            p -> assertThat(p).contains("maxTraversalLevel"),
            p -> assertThat(p).contains("path: several paths in one job are not supported"));
  }

  @Test
  void streamreaderRowsArePerChannel() {
    JobSpec job =
        parse(
            job(
                "{\"speed\": {\"channel\": 4}}",
                """
                {"name": "streamreader", "parameter": {"sliceRecordCount": 250, "column": [
                  {"type": "string", "value": "DataX"}, {"type": "long", "random": "1,100"},
                  {"type": "date", "value": "1988-08-08 08:08:08"}, {"type": "long", "incr": "1,2"},
                  {"type": "string", "random": "3,5"}]}}
                """,
                "{\"name\": \"streamwriter\", \"parameter\": {\"print\": true, \"fieldDelimiter\": \"\\t\"}}",
                ""));
    assertThat(job.source().connector()).isEqualTo("datagen");
    assertThat(job.source().options()).containsEntry("rows", 1000L);
    assertThat(job.source().options().get("columns"))
        .isEqualTo(
            List.of(
                Map.of("name", "col1", "type", "string", "kind", "constant", "value", "DataX"),
                Map.of("name", "col2", "type", "int64", "kind", "random", "min", "1", "max", "100"),
                Map.of(
                    "name",
                    "col3",
                    "type",
                    "timestamp(3)",
                    "kind",
                    "constant",
                    "value",
                    "1988-08-08 08:08:08"),
                Map.of(
                    "name", "col4", "type", "int64", "kind", "sequence", "start", "1", "step", "2"),
                Map.of(
                    "name",
                    "col5",
                    "type",
                    "string",
                    "kind",
                    "random",
                    "minLength",
                    3L,
                    "maxLength",
                    5L)));
    assertThat(job.sink().connector()).isEqualTo("console");
    assertThat(job.settings()).containsEntry("channels", 4L);
    problems(
            job(
                "{\"name\": \"streamreader\", \"parameter\": {\"sliceRecordCount\": 1, \"column\": [{\"type\": \"long\", \"value\": 1}]}}",
                "{\"name\": \"streamwriter\", \"parameter\": {\"print\": false, \"fieldDelimiter\": \",\", \"path\": \"/tmp\"}}"))
        .satisfiesExactly(
            p -> assertThat(p).contains("fieldDelimiter").contains("txtfilewriter"),
            p -> assertThat(p).contains("writer.parameter.path").contains("txtfilewriter"));
  }

  @Test
  void streamreaderColumnsTakeTheWriterNames() {
    JobSpec job =
        parse(
            job(
                """
                {"name": "streamreader", "parameter": {"sliceRecordCount": 10, "column": [
                  {"type": "long", "incr": "1"}, {"type": "string", "value": "x"}]}}
                """,
                """
                {"name": "postgresqlwriter", "parameter": {"username": "postgres", "column": ["id", "name"],
                  "connection": [{"jdbcUrl": "jdbc:postgresql://127.0.0.1:5432/dw", "table": ["t"]}]}}
                """));
    assertThat(job.source().options()).containsEntry("rows", 20L);
    assertThat(mapping(job)).containsExactly("id", "name");
  }

  @Test
  void mongodbReaderAndWriter() {
    JobSpec job =
        parse(
            job(
                """
                {"name": "mongodbreader", "parameter": {"address": ["m1:27017", "m2:27017"], "userName": "u",
                  "userPassword": "p", "authDb": "admin", "dbName": "shop", "collectionName": "orders",
                  "query": "{\\"qty\\": {\\"$gt\\": 1}}",
                  "column": [{"name": "_id", "type": "objectid"}, {"name": "qty", "type": "long"},
                             {"name": "at", "type": "date"}]}}
                """,
                """
                {"name": "mongodbwriter", "parameter": {"address": ["m3:27017"], "userName": "", "userPassword": "",
                  "dbName": "dw", "collectionName": "orders_copy",
                  "column": [{"name": "order_id", "type": "string"}, {"name": "qty", "type": "long"},
                             {"name": "created", "type": "date"}],
                  "writeMode": {"isReplace": "true", "replaceKey": "order_id"}, "batchSize": 500}}
                """));
    assertThat(job.source().options())
        .containsEntry("hosts", List.of("m1:27017", "m2:27017"))
        .containsEntry("user", "u")
        .containsEntry("authSource", "admin")
        .containsEntry("database", "shop")
        .containsEntry("collection", "orders")
        .containsEntry("filter", "{\"qty\": {\"$gt\": 1}}")
        .containsEntry("columns", List.of("_id string", "qty int64", "at timestamp(3)"));
    assertThat(job.sink().options())
        .containsEntry("hosts", List.of("m3:27017"))
        .doesNotContainKey("user")
        .containsEntry("collection", "orders_copy")
        .containsEntry("writeMode", "replace")
        .containsEntry("keys", List.of("order_id"))
        .containsEntry("batchSize", 500L);
    assertThat(mapping(job)).containsExactly("_id->order_id", "qty", "at->created");
  }

  @Test
  void elasticsearchwriterMappingFromColumns() {
    JobSpec job =
        parse(
            job(
                MYSQL_READER,
                """
                {"name": "elasticsearchwriter", "parameter": {"endpoint": "http://es1:9200", "accessId": "elastic",
                  "accessKey": "secret", "index": "orders", "type": "default", "batchSize": 2000,
                  "settings": {"index": {"number_of_shards": 1}}, "discovery": false, "compression": true,
                  "actionType": "index",
                  "column": [{"name": "pk", "type": "id"}, {"name": "total", "type": "double"},
                             {"name": "origin", "type": "text", "analyzer": "ik_max_word"},
                             {"name": "at", "type": "date", "format": "yyyy-MM-dd HH:mm:ss"}]}}
                """));
    assertThat(job.sink().connector()).isEqualTo("elasticsearch");
    assertThat(job.sink().options())
        .containsEntry("hosts", List.of("http://es1:9200"))
        .containsEntry("username", "elastic")
        .containsEntry("password", "secret")
        .containsEntry("index", "orders")
        .containsEntry("bulkActions", 2000L)
        .containsEntry("action", "index")
        .containsEntry("idColumns", List.of("pk"))
        .containsEntry("settings", "{\"index\":{\"number_of_shards\":1}}")
        .containsEntry(
            "mapping",
            "{\"properties\":{\"total\":{\"type\":\"double\"},\"origin\":{\"type\":\"text\","
                + "\"analyzer\":\"ik_max_word\"},\"at\":{\"type\":\"date\",\"format\":"
                + "\"yyyy-MM-dd HH:mm:ss||strict_date_optional_time\"}}}");
    assertThat(mapping(job)).containsExactly("id->pk", "amount->total", "origin=erp", "at=7");
    problems(
            job(
                MYSQL_READER,
                """
                {"name": "elasticsearchwriter", "parameter": {"endpoint": "http://es1:9200", "index": "o",
                  "cleanup": true, "discovery": true, "alias": "o2"}}
                """))
        .satisfiesExactly(
            p -> assertThat(p).contains("cleanup").contains("fullSync"),
            p -> assertThat(p).contains("discovery"),
            p -> assertThat(p).contains("alias").contains("aliasSwitch"));
  }

  @Test
  void hbaseReaderAndWriter() {
    JobSpec read =
        parse(
            job(
                """
                {"name": "hbase20xreader", "parameter": {"hbaseConfig": {"hbase.zookeeper.quorum": "zk1,zk2:2181",
                  "zookeeper.znode.parent": "/hbase-unsecure", "hbase.rpc.timeout": "60000"},
                  "table": "ns:users", "encoding": "utf-8", "mode": "normal",
                  "column": [{"name": "rowkey", "type": "string"}, {"name": "info: age", "type": "int"}],
                  "range": {"startRowkey": "a", "endRowkey": "m", "isBinaryRowkey": false},
                  "scanCacheSize": 256}}
                """,
                "{\"name\": \"streamwriter\", \"parameter\": {\"print\": false}}"));
    assertThat(read.source().options())
        .containsEntry("zookeeperQuorum", "zk1,zk2:2181")
        .containsEntry("znodeParent", "/hbase-unsecure")
        .containsEntry("properties", Map.of("hbase.rpc.timeout", "60000"))
        .containsEntry("table", "ns:users")
        .containsEntry("columns", List.of("rowkey string :key", "age int32 info:age"))
        .containsEntry("startRow", "a")
        .containsEntry("stopRow", "m")
        .containsEntry("caching", 256L);
    JobSpec write =
        parse(
            job(
                MYSQL_READER.replace("\"'erp'\", \"7\"", "\"status\""),
                """
                {"name": "hbase11xwriter", "parameter": {"hbaseConfig": {"hbase.zookeeper.quorum": "zk1"},
                  "table": "orders", "mode": "normal", "walFlag": false, "writeBufferSize": 8388608,
                  "rowkeyColumn": [{"index": 0, "type": "long"}, {"index": -1, "type": "string", "value": "_"},
                                   {"index": 2, "type": "string"}],
                  "column": [{"index": 1, "name": "cf:amount", "type": "double"}]}}
                """));
    assertThat(write.sink().options())
        .containsEntry("columns", List.of("amount cf:amount", "id :key", "status :key"))
        .containsEntry("rowKey", Map.of("columns", List.of("id", "status"), "separator", "_"))
        .containsEntry("durability", "skip-wal")
        .containsEntry("writeBufferSize", 8388608L);
    assertThat(write.mapping()).isNull();
  }

  @Test
  void transformersTranslateWithDataXsSemantics() {
    String reader =
        """
        {"name": "mysqlreader", "parameter": {"username": "u", "column": ["id", "code", "name", "qty"],
          "connection": [{"table": ["t"], "jdbcUrl": ["jdbc:mysql://db:3306/d"]}]}}
        """;
    JobSpec job =
        parse(
            job(
                "{}",
                reader,
                "{\"name\": \"streamwriter\", \"parameter\": {\"print\": false}}",
                """
                [{"name": "dx_substr", "parameter": {"columnIndex": 1, "paras": ["1", "3"]}},
                 {"name": "dx_pad", "parameter": {"columnIndex": 1, "paras": ["l", "6", "0"]}},
                 {"name": "dx_replace", "parameter": {"columnIndex": 2, "paras": ["2", "3", "$*\\\\"]}},
                 {"name": "dx_filter", "parameter": {"columnIndex": 3, "paras": [">=", "100"]}},
                 {"name": "dx_filter", "parameter": {"columnIndex": 2, "paras": ["like", "tmp.*"]}},
                 {"name": "dx_filter", "parameter": {"columnIndex": 1, "paras": ["=", "null"]}},
                 {"name": "dx_filter", "parameter": {"columnIndex": 1, "paras": ["!=", "abc"]}}]
                """));
    assertThat(job.transforms())
        .extracting(t -> t.type() + " " + t.options())
        .containsExactly(
            "cast {columns={code=string}}",
            "substr {column=code, start=1, length=3}",
            "cast {columns={code=string}}",
            "pad {column=code, side=left, length=6, padding=0}",
            "cast {columns={name=string}}",
            "replace {column=name, pattern=^(?s)(.{2}).{0,3}, replacement=$1\\$*\\\\}",
            "filter {expression=qty == null || !(qty >= 100)}",
            "filter {expression=name == null || !(name =~ 'tmp.*')}",
            "filter {expression=code != null}",
            "filter {expression=code != null && code == 'abc'}");
    problems(
            job(
                "{}",
                reader,
                "{\"name\": \"streamwriter\", \"parameter\": {\"print\": false}}",
                """
                [{"name": "dx_groovy", "parameter": {"code": "return record;"}},
                 {"name": "dx_filter", "parameter": {"columnIndex": 9, "paras": [">", "1"]}},
                 {"name": "dx_filter", "parameter": {"columnIndex": 0, "paras": ["~", "1"]}}]
                """))
        .satisfiesExactly(
            p ->
                assertThat(p)
                    .startsWith(
                        "job.content[0].transformer[0].name: dx_groovy (code in a job) is not supported"),
            p -> assertThat(p).startsWith("job.content[0].transformer[1].parameter.columnIndex"),
            p ->
                assertThat(p)
                    .startsWith(
                        "job.content[0].transformer[2].parameter.paras: unknown operator '~'"));
  }

  @Test
  void parametersStayForTheLoaderToFill() {
    String json =
        job(
            "{\"speed\": {\"channel\": \"${channels}\"}}",
            """
            {"name": "mysqlreader", "parameter": {"username": "u", "column": ["*"], "where": "day = '${day}'",
              "connection": [{"table": ["t"], "jdbcUrl": ["jdbc:mysql://db:3306/d"]}]}}
            """,
            "{\"name\": \"streamwriter\", \"parameter\": {\"print\": false}}",
            "");
    JobSpec job = parse(json, Map.of("day", "2024-06-30", "channels", "3"));
    assertThat(job.source().options()).containsEntry("where", "day = '2024-06-30'");
    assertThat(job.settings()).containsEntry("channels", 3L);
    assertThatThrownBy(() -> parse(json, Map.of("channels", "3")))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("parameter 'day' has no value");
  }

  @Test
  void hdfsreaderTextAndHdfswriterOrc() {
    JobSpec job =
        parse(
            job(
                """
                {"name": "hdfsreader", "parameter": {"defaultFS": "hdfs://nn:8020",
                  "path": "/warehouse/src/dt=20240501", "fileType": "text", "fieldDelimiter": "\\t",
                  "column": [{"index": 0, "type": "long"}, {"index": 1, "type": "string"}]}}
                """,
                """
                {"name": "hdfswriter", "parameter": {"defaultFS": "hdfs://nn:8020",
                  "path": "/warehouse/t/dt=20240501", "fileName": "orders", "fileType": "orc",
                  "column": [{"name": "id", "type": "bigint"}, {"name": "name", "type": "varchar(20)"}],
                  "writeMode": "truncate", "fieldDelimiter": "\\t", "compress": "SNAPPY"}}
                """));
    assertThat(job.source().connector()).isEqualTo("hdfs");
    assertThat(job.source().options())
        .containsEntry("defaultFS", "hdfs://nn:8020")
        .containsEntry("fileType", "text")
        .containsEntry("delimiter", "\t")
        .containsEntry("columns", List.of("id int64", "name string"))
        .doesNotContainKey("compression");
    assertThat(job.sink().connector()).isEqualTo("hdfs");
    assertThat(job.sink().options())
        .containsEntry("path", "/warehouse/t/dt=20240501")
        .containsEntry("fileName", "orders")
        .containsEntry("fileType", "orc")
        .containsEntry("writeMode", "overwrite")
        .containsEntry("compression", "snappy")
        .containsEntry("columns", List.of("id int64", "name string"))
        .doesNotContainKeys("delimiter", "format", "header");
  }

  @Test
  void hdfsreaderExample() {
    JobSpec job = load("hdfsreader-0.json", Map.of());
    assertThat(job.source().connector()).isEqualTo("hdfs");
    assertThat(job.source().options())
        .containsEntry("defaultFS", "hdfs://xxx:port")
        .containsEntry("path", "/user/hive/warehouse/mytable01/*")
        .containsEntry("fileType", "orc")
        // DataX's index is the ORC field's position
        .containsEntry("fieldsByPosition", true)
        .containsEntry("columns", List.of("c0 int64", "c1 boolean", "c2 float64"))
        .doesNotContainKeys("delimiter", "format", "encoding", "nullMarker", "header");
    assertThat(job.sink().connector()).isEqualTo("console");
  }

  @Test
  void hdfswriterExample() {
    JobSpec job = load("hdfswriter-0.json", Map.of());
    assertThat(job.source().connector()).isEqualTo("file");
    assertThat(job.sink().connector()).isEqualTo("hdfs");
    assertThat(job.sink().options())
        .containsEntry("path", "/user/hive/warehouse/writerorc.db/orcfull")
        .containsEntry("fileName", "xxxx")
        .containsEntry("fileType", "orc")
        .containsEntry("writeMode", "append")
        .containsEntry(
            "columns",
            List.of(
                "col1 int8",
                "col2 int16",
                "col3 int32",
                "col4 int64",
                "col5 float32",
                "col6 float64",
                "col7 string",
                "col8 string",
                "col9 string",
                "col10 boolean",
                "col11 date",
                "col12 timestamp"))
        .doesNotContainKeys("compression", "delimiter", "format", "header");
    assertThat(job.settings()).containsEntry("channels", 2L);
  }

  @Test
  void hdfsKerberosAndUnsupportedTypesAreNamed() {
    problems(
            job(
                """
                {"name": "hdfsreader", "parameter": {"defaultFS": "hdfs://nn:8020", "path": "/w/t",
                  "fileType": "seq", "column": ["*"]}}
                """,
                """
                {"name": "hdfswriter", "parameter": {"defaultFS": "hdfs://nn:8020", "path": "/w/u",
                  "fileName": "f", "fileType": "orc", "writeMode": "append", "haveKerberos": true,
                  "kerberosPrincipal": "x@Y", "column": [{"name": "m", "type": "map<string,int>"}]}}
                """))
        .anySatisfy(p -> assertThat(p).contains("reader.parameter.fileType").contains("'seq'"))
        .anySatisfy(
            p -> assertThat(p).contains("writer.parameter.haveKerberos").contains("not supported"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("writer.parameter.kerberosPrincipal")
                    .contains("not supported"))
        .anySatisfy(
            p -> assertThat(p).contains("writer.parameter.column[0].type").contains("map<"));
  }

  @Test
  void unknownPluginsParametersAndSettingsAreNamed() {
    problems(
            """
            {"core": {"transport": {"channel": {"speed": {"byte": 100}}}},
             "job": {"setting": {"speed": {"channel": 1, "bytes": 5}, "errorLimit": {"records": 1}, "dirty": {}},
              "content": [{"reader": {"name": "odpsreader", "parameter": {"project": "p"}},
                           "writer": {"name": "odpswriter", "parameter": {"path": "/x"}}}]}}
            """)
        .satisfiesExactly(
            p -> assertThat(p).startsWith("core: DataX's core settings"),
            p -> assertThat(p).startsWith("job.setting.speed.bytes: unknown speed setting"),
            p ->
                assertThat(p)
                    .startsWith("job.setting.errorLimit.records: unknown errorLimit setting"),
            p -> assertThat(p).startsWith("job.setting.dirty: unknown or unsupported job setting"),
            p ->
                assertThat(p)
                    .startsWith(
                        "job.content[0].reader.name: unknown or unsupported DataX reader 'odpsreader'"),
            p ->
                assertThat(p)
                    .startsWith(
                        "job.content[0].writer.name: unknown or unsupported DataX writer 'odpswriter'"));
    problems(
            job(
                """
                {"name": "postgresqlreader", "parameter": {"username": "u", "column": ["*"], "splitFactor": 5,
                  "fetchsize": 10,
                  "connection": [{"table": ["t"], "jdbcUrl": ["jdbc:postgresql://db:5432/d"]}]}}
                """,
                "{\"name\": \"streamwriter\", \"parameter\": {\"print\": false}}"))
        .satisfiesExactly(
            p ->
                assertThat(p)
                    .startsWith(
                        "job.content[0].reader.parameter.splitFactor: postgresqlreader's splitFactor is not supported"),
            p ->
                assertThat(p)
                    .startsWith(
                        "job.content[0].reader.parameter.fetchsize: unknown or unsupported parameter of postgresqlreader"));
  }

  @Test
  void aFerryJsonJobIsNotTakenForDataX() {
    JobSpec job =
        parse(
            "{\"source\": {\"connector\": \"datagen\"}, \"sink\": {\"connector\": \"blackhole\"}}");
    assertThat(job.source().connector()).isEqualTo("datagen");
  }
}

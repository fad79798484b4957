package io.ferry.server.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.engine.JobSpecException;
import io.ferry.engine.datax.DataxJob;
import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.DomainException.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * DataX job files imported as script tasks: each file is translated into the Ferry job it stands
 * for ({@link DataxJob}); its reader's and writer's connections are replaced by the data sources
 * the import names, since a script holds no secrets (the passwords in the files are not kept).
 * Files, the console and generated rows need no data source.
 */
@Component
public class DataxImport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Connectors without a connection: their options stay in the script. */
  private static final Set<String> INLINE = Set.of("file", "datagen", "console", "blackhole");

  /** The options by which a translated section says where it connects, per connector. */
  private static final Map<String, Set<String>> CONNECTION =
      Map.of(
          "jdbc", Set.of("url", "host", "hosts", "port", "database", "user", "password"),
          "mongodb", Set.of("uri", "hosts", "user", "password", "authSource"),
          "elasticsearch", Set.of("hosts", "username", "password"),
          "hbase", Set.of("zookeeperQuorum", "zookeeperPort", "znodeParent", "properties"),
          "ftp", Set.of("host", "port", "user", "password", "passiveMode"),
          "hdfs", Set.of("defaultFS", "hadoopConfig"));

  private static final Pattern URL_DATABASE =
      Pattern.compile("jdbc:(?:mysql|mariadb|postgresql):(?:[a-z]+:)?//[^/]*/([^?;]*).*");

  private final DataSourceService dataSources;

  public DataxImport(DataSourceService dataSources) {
    this.dataSources = dataSources;
  }

  /** One DataX file: its name (the task's, without {@code .json}) and its JSON text. */
  public record DataxFile(String name, String content) {}

  /**
   * The task requests, one script task per file, in the folder given; every problem of every file
   * at once ({@code files[i]…}).
   *
   * @param sourceDatasourceId the data source the readers connect to (not needed for files)
   * @param targetDatasourceId the data source the writers connect to (likewise)
   */
  public List<TaskService.Request> requests(
      List<DataxFile> files, Long folderId, Long sourceDatasourceId, Long targetDatasourceId) {
    if (files == null || files.isEmpty()) {
      throw DomainException.invalid("files", "at least one DataX job file expected");
    }
    List<FieldProblem> problems = new ArrayList<>();
    List<TaskService.Request> requests = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      DataxFile file = files.get(i);
      String at = "files[" + i + "]";
      if (file == null || file.content() == null || file.content().isBlank()) {
        problems.add(new FieldProblem(at + ".content", "required: the DataX job's JSON"));
        continue;
      }
      String name =
          file.name() == null || file.name().isBlank()
              ? "datax-" + (i + 1)
              : file.name().strip().replaceFirst("(?i)\\.json$", "");
      JsonNode root;
      try {
        root = JSON.readTree(file.content());
      } catch (JsonProcessingException e) {
        problems.add(
            new FieldProblem(at + ".content", "malformed JSON: " + e.getOriginalMessage()));
        continue;
      }
      if (!DataxJob.isDatax(root)) {
        problems.add(
            new FieldProblem(
                at + ".content", "not a DataX job: expected {\"job\": {\"content\": [...]}}"));
        continue;
      }
      ObjectNode job;
      try {
        job = DataxJob.translate(root, name, name);
      } catch (JobSpecException e) {
        e.problems().forEach(p -> problems.add(new FieldProblem(at + "." + p.path(), p.message())));
        continue;
      }
      int before = problems.size();
      connect(job, "source", sourceDatasourceId, "sourceDatasourceId", at, problems);
      connect(job, "sink", targetDatasourceId, "targetDatasourceId", at, problems);
      if (problems.size() > before) {
        continue;
      }
      requests.add(
          new TaskService.Request(
              name,
              folderId,
              "imported from the DataX job file " + name + ".json",
              "script",
              null,
              DataxJob.toYaml(job)));
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    return requests;
  }

  /** Replaces a section's connection options by {@code datasource:}. */
  private void connect(
      ObjectNode job,
      String section,
      Long datasourceId,
      String field,
      String at,
      List<FieldProblem> problems) {
    ObjectNode node = (ObjectNode) job.get(section);
    String connector = node.path("connector").asText();
    if (INLINE.contains(connector)) {
      return;
    }
    String family =
        Set.of("mysql", "postgresql", "oracle", "sqlserver", "jdbc").contains(connector)
            ? "jdbc"
            : connector.equals("sftp") ? "ftp" : connector;
    if (node.has("shards")) {
      problems.add(
          new FieldProblem(
              at + "." + section,
              "the file reads "
                  + node.get("shards").size()
                  + " databases (several connection entries, Ferry: shards), a task one data"
                  + " source: run the file with ferry run, or import one file per database"));
      return;
    }
    String where = describe(node);
    if (datasourceId == null) {
      problems.add(
          new FieldProblem(
              field,
              at
                  + " "
                  + (section.equals("source") ? "reads" : "writes")
                  + " "
                  + connector
                  + " at "
                  + where
                  + ": choose the data source for it (a script holds no passwords)"));
      return;
    }
    DataSourceService.View ds;
    try {
      ds = dataSources.get(datasourceId);
    } catch (DomainException.NotFound e) {
      problems.add(new FieldProblem(field, e.getMessage()));
      return;
    }
    if (!ds.connector().equals(connector)) {
      problems.add(
          new FieldProblem(
              at + "." + section,
              "the file's "
                  + (section.equals("source") ? "reader" : "writer")
                  + " is "
                  + connector
                  + ", the data source '"
                  + ds.alias()
                  + "' a "
                  + ds.connector()
                  + " connection"));
      return;
    }
    if (family.equals("jdbc")) {
      String fileDb = database(node);
      String dsDb = database(ds.options());
      if (fileDb != null && dsDb != null && !fileDb.equals(dsDb)) {
        problems.add(
            new FieldProblem(
                at + "." + section,
                "the file's database is "
                    + fileDb
                    + ", the data source '"
                    + ds.alias()
                    + "' connects to "
                    + dsDb
                    + ": choose a data source for "
                    + fileDb));
        return;
      }
    }
    ObjectNode replaced = node.objectNode();
    replaced.put("datasource", ds.alias());
    Set<String> connection = CONNECTION.getOrDefault(family, Set.of());
    node.properties()
        .forEach(
            e -> {
              if (!connection.contains(e.getKey()) && !e.getKey().equals("connector")) {
                replaced.set(e.getKey(), e.getValue());
              }
            });
    job.set(section, replaced);
  }

  private static String describe(ObjectNode node) {
    for (String key : List.of("url", "uri", "hosts", "host", "zookeeperQuorum", "defaultFS")) {
      if (node.hasNonNull(key)) {
        String value =
            node.get(key).isTextual() ? node.get(key).asText() : node.get(key).toString();
        return value.replaceAll("(?i)password=[^&;]*", "password=***");
      }
    }
    return "?";
  }

  private static String database(ObjectNode node) {
    if (node.hasNonNull("database")) {
      return node.get("database").asText();
    }
    return node.hasNonNull("url") ? urlDatabase(node.get("url").asText()) : null;
  }

  private static String database(Map<String, Object> options) {
    Object database = options.get("database");
    if (database != null) {
      return database.toString();
    }
    Object url = options.get("url");
    return url == null ? null : urlDatabase(url.toString());
  }

  private static String urlDatabase(String url) {
    Matcher m = URL_DATABASE.matcher(url.strip());
    return m.matches() && !m.group(1).isEmpty() ? m.group(1) : null;
  }
}

package io.ferry.server.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Settings;
import io.ferry.server.datasources.ConnectorTexts;
import io.ferry.spi.Connector;
import io.ferry.spi.Option;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Job templates of every pair of connectors on this class path; ScriptTemplatesIT has the server
 * accept them once their placeholders are filled in, and WebUiIT does so for every connector of the
 * distribution.
 */
class JobTemplatesTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private final JobTemplates templates = new JobTemplates(new ConnectorTexts());
  private final List<Connector> connectors =
      List.copyOf(ConnectorRegistry.fromClassPath(getClass().getClassLoader()).connectors());

  private Connector named(String name) {
    return connectors.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void eachPairGetsItsOwnTemplateNamingEveryOption() throws Exception {
    int pairs = 0;
    for (Connector from : connectors) {
      for (Connector to : connectors) {
        if (from.source().isEmpty() || to.sink().isEmpty()) {
          continue;
        }
        String yaml =
            templates.job(
                new JobTemplates.Side(from, null, Set.of()),
                new JobTemplates.Side(to, null, Set.of()),
                Locale.ENGLISH);
        JsonNode job = YAML.readTree(yaml);
        assertThat(job.path("source").path("connector").asText()).isEqualTo(from.name());
        assertThat(job.path("sink").path("connector").asText()).isEqualTo(to.name());
        checkSection(
            yaml, "source", job.path("source"), from, from.source().get().options().options());
        checkSection(yaml, "sink", job.path("sink"), to, to.sink().get().options().options());
        for (Option<?> s : Settings.OPTIONS.options()) {
          assertThat(yaml).contains("#   " + s.name() + ": ");
        }
        pairs++;
      }
    }
    assertThat(pairs).isGreaterThanOrEqualTo(5 * 6);
  }

  /**
   * Required options (and a database's table) as placeholders, the others commented out, each after
   * its description.
   */
  private static void checkSection(
      String yaml, String name, JsonNode section, Connector connector, List<Option<?>> options) {
    String text = yaml.substring(yaml.indexOf(name + ":\n"));
    Set<Option<?>> placeholders = JobTemplates.placeholders(connector, options);
    assertThat(placeholders)
        .containsAll(options.stream().filter(o -> o.required() && !o.secret()).toList());
    for (Option<?> o : options) {
      if (placeholders.contains(o)) {
        assertThat(section.path(o.name()).asText()).as(o.name()).isEqualTo("<" + o.name() + ">");
      } else {
        assertThat(section.has(o.name())).as(o.name() + " is commented out").isFalse();
        assertThat(text).contains("\n  # " + o.name() + ": ");
      }
      String firstWords =
          o.description().split(" ", 4).length > 3
              ? String.join(" ", List.of(o.description().split(" ", 4)).subList(0, 3))
              : o.description();
      assertThat(text).as(o.name() + "'s description").contains("  # " + firstWords);
    }
  }

  @Test
  void aDatabaseSourceNamesItsTableThoughTableIsNotRequired() throws Exception {
    Connector mysql = named("mysql");
    assertThat(mysql.source().get().options().option("table").required()).isFalse();
    String yaml =
        templates.job(
            new JobTemplates.Side(mysql, null, Set.of()),
            new JobTemplates.Side(named("blackhole"), null, Set.of()),
            Locale.ENGLISH);
    assertThat(YAML.readTree(yaml).path("source").path("table").asText()).isEqualTo("<table>");
    assertThat(yaml).contains("  url: <url>", "  # host: <text>", "  # query: <text>");
  }

  @Test
  void aDataSourceSideLeavesOutWhatTheDataSourceHolds() throws Exception {
    String yaml =
        templates.job(
            new JobTemplates.Side(named("mysql"), "maria-src", Set.of("url", "user", "password")),
            new JobTemplates.Side(named("blackhole"), null, Set.of()),
            Locale.ENGLISH);
    JsonNode source = YAML.readTree(yaml).path("source");
    assertThat(source.path("datasource").asText()).isEqualTo("maria-src");
    assertThat(source.has("connector")).isFalse();
    assertThat(yaml).contains("# From the data source maria-src: url, user, password.");
    assertThat(yaml).doesNotContain("# url:").doesNotContain("# password:");
    assertThat(yaml).contains("  table: <table>", "  # where: <text>", "  # fetchSize: ");
  }

  @Test
  void secretsAreNeverOfferedAsValues() {
    String yaml =
        templates.job(
            new JobTemplates.Side(named("mysql"), null, Set.of()),
            new JobTemplates.Side(named("postgresql"), null, Set.of()),
            Locale.ENGLISH);
    assertThat(yaml).contains("  # password: <secret>").contains("keep it in a data source");
  }

  @Test
  void inChineseTheCommentsAreChinese() {
    String yaml =
        templates.job(
            new JobTemplates.Side(named("datagen"), null, Set.of()),
            new JobTemplates.Side(named("file"), null, Set.of()),
            Locale.SIMPLIFIED_CHINESE);
    assertThat(yaml)
        .contains("# 作业文件（docs/job-file.md）：从 datagen 到 file。")
        .contains("  # 总共生成的行数，由各个分片分摊。")
        .contains("  path: <path>");
    for (String line : yaml.split("\n")) {
      assertThat(line.codePoints().map(c -> c >= 0x2E80 ? 2 : 1).sum())
          .as(line)
          .isLessThanOrEqualTo(100);
    }
  }

  @Test
  void defaultsAreWrittenAsJobFilesWriteThem() {
    assertThat(JobTemplates.defaultText(Settings.FLUSH_INTERVAL)).contains("10s");
    assertThat(JobTemplates.defaultText(Settings.PROGRESS_INTERVAL)).contains("1s");
    assertThat(JobTemplates.defaultText(Settings.RECORDS_PER_SECOND)).isEmpty();
    assertThat(JobTemplates.defaultText(Settings.CHANNEL_CAPACITY)).contains("1MB");
    assertThat(JobTemplates.scalar("a b")).isEqualTo("\"a b\"");
    assertThat(JobTemplates.scalar("12")).isEqualTo("\"12\"");
    assertThat(JobTemplates.scalar("1:30")).isEqualTo("\"1:30\"");
    assertThat(JobTemplates.scalar("UTC")).isEqualTo("UTC");
    assertThat(JobTemplates.scalar("true")).isEqualTo("\"true\"");
    assertThat(JobTemplates.scalar("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    assertThat(JobTemplates.wrap("one two three four", 9))
        .containsExactly("one two", "three", "four");
  }
}

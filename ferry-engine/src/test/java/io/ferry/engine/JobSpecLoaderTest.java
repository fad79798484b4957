package io.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSpecLoaderTest {
  @TempDir Path dir;

  @Test
  void readsAYamlJobWithParametersAndDefaults() throws Exception {
    Path file = dir.resolve("orders.yaml");
    Files.writeString(
        file,
        """
        params: {day: "2024-01-01", limit: 10}
        source:
          connector: memory
          rows: ${limit}
          note: "day=${day} literal=$${day}"
        sink: {connector: memory, table: "t_${day}"}
        mapping: [id, "name -> label", {from: amount, to: total}, {to: origin, value: x}]
        transforms: [{type: filter, expression: "id > 1"}]
        settings: {channels: 2}
        """);
    JobSpec spec = JobSpecLoader.load(file, Map.of("day", "2024-02-02"));

    assertThat(spec.name()).isEqualTo("orders");
    assertThat(spec.source().connector()).isEqualTo("memory");
    assertThat(spec.source().options())
        .containsEntry("rows", "10")
        .containsEntry("note", "day=2024-02-02 literal=${day}")
        .doesNotContainKey("connector");
    assertThat(spec.sink().options()).containsEntry("table", "t_2024-02-02");
    assertThat(spec.mapping())
        .extracting(
            JobSpec.FieldMapping::from, JobSpec.FieldMapping::to, JobSpec.FieldMapping::constant)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("id", "id", null),
            org.assertj.core.groups.Tuple.tuple("name", "label", null),
            org.assertj.core.groups.Tuple.tuple("amount", "total", null),
            org.assertj.core.groups.Tuple.tuple(null, "origin", "x"));
    assertThat(spec.transforms().get(0).type()).isEqualTo("filter");
    assertThat(spec.transforms().get(0).options()).containsEntry("expression", "id > 1");
    assertThat(spec.settings()).containsEntry("channels", 2L);
  }

  @Test
  void readsJson() throws Exception {
    Path file = dir.resolve("job.json");
    Files.writeString(
        file,
        """
        {"name": "j", "source": {"connector": "memory", "rows": 5},
         "sink": {"connector": "memory", "table": "t"}, "mapping": "auto"}
        """);
    JobSpec spec = JobSpecLoader.load(file, Map.of());
    assertThat(spec.name()).isEqualTo("j");
    assertThat(spec.mapping()).isNull();
    assertThat(spec.source().options()).containsEntry("rows", 5L);
  }

  @Test
  void malformedYamlNamesTheFileAndLine() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "source:\n  connector: memory\n  rows: [1, 2\nsink: {}\n");
    assertThatThrownBy(() -> JobSpecLoader.load(file, Map.of()))
        .isInstanceOf(JobSpecException.class)
        .hasMessageStartingWith(file + ":4:")
        .hasMessageContaining("malformed YAML");
  }

  @Test
  void missingParameterUnknownSectionAndMissingConnectorAreNamed() throws Exception {
    Path file = dir.resolve("j.yaml");
    Files.writeString(
        file,
        """
        source: {connector: memory, rows: "${count}"}
        sink: {table: t}
        setings: {channels: 2}
        """);
    assertThatThrownBy(() -> JobSpecLoader.load(file, Map.of()))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining(file + ": setings: unknown section")
        .hasMessageContaining(
            file + ": source.rows: parameter 'count' has no value: pass --param count=...")
        .hasMessageContaining(file + ": sink.connector: required: the connector's name");
  }

  @Test
  void missingFileIsNamed() {
    Path file = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> JobSpecLoader.load(file, Map.of()))
        .isInstanceOf(JobSpecException.class)
        .hasMessage(file + ": job file not found");
  }

  @Test
  void environmentVariablesFillSecretsWithoutCommandLineParameters() {
    String yaml =
        """
        source: {connector: memory, rows: 1, mustExist: "${env:FERRY_TEST_SECRET}"}
        sink: {connector: memory, table: "${env:FERRY_TEST_MISSING}"}
        """;
    assertThatThrownBy(
            () ->
                JobSpecLoader.parse(
                    yaml, false, null, "env", Map.of(), Map.of("FERRY_TEST_SECRET", "s3cret")::get))
        .hasMessage("env: sink.table: environment variable FERRY_TEST_MISSING is not set");
    JobSpec spec =
        JobSpecLoader.parse(
            yaml.replace("${env:FERRY_TEST_MISSING}", "t"),
            false,
            null,
            "env",
            Map.of(),
            Map.of("FERRY_TEST_SECRET", "s3cret")::get);
    assertThat(spec.source().options()).containsEntry("mustExist", "s3cret");
  }

  @Test
  void aCdcJobKeepsTableForEachCapturedTableAndReadsItsSection() {
    JobSpec spec =
        JobSpecLoader.parse(
            """
            kind: cdc
            source: {connector: mysql, tables: [a, b]}
            sink: {connector: postgresql, table: "stage_${table}"}
            cdc:
              startup: latest
              deleteMode: soft
              softDelete: {flagColumn: gone}
              schemaChanges: apply
              keys: {a: [x, y], shop.b: "z"}
            """,
            false,
            null,
            "cdc",
            Map.of());
    assertThat(spec.kind()).isEqualTo(JobSpec.Kind.CDC);
    assertThat(spec.sink().options()).containsEntry("table", "stage_${table}");
    JobSpec.CdcSpec cdc = spec.cdc();
    assertThat(cdc.startup()).isEqualTo(JobSpec.CdcSpec.Startup.LATEST);
    assertThat(cdc.deleteMode()).isEqualTo(io.ferry.spi.ChangeWriter.DeleteMode.SOFT);
    assertThat(cdc.softDeleteFlag()).isEqualTo("gone");
    assertThat(cdc.softDeleteTime()).isEqualTo("_ferry_deleted_at");
    assertThat(cdc.schemaChanges()).isEqualTo(JobSpec.CdcSpec.SchemaChanges.APPLY);
    assertThat(cdc.keysOf(new io.ferry.spi.Catalog.TableRef("shop", "a")))
        .contains(List.of("x", "y"));
    assertThat(cdc.keysOf(new io.ferry.spi.Catalog.TableRef("shop", "b"))).contains(List.of("z"));

    JobSpec defaults =
        JobSpecLoader.parse(
            "kind: cdc\nsource: {connector: mysql}\nsink: {connector: postgresql}\n",
            false,
            null,
            "cdc",
            Map.of());
    assertThat(defaults.cdc()).isEqualTo(JobSpec.CdcSpec.defaults());
    assertThat(defaults.cdc().startup()).isNull();
  }

  @Test
  void cdcMistakesAreNamedAndTableIsAParameterOutsideCdc() {
    assertThatThrownBy(
            () ->
                JobSpecLoader.parse(
                    """
                    kind: cdc
                    source: {connector: mysql}
                    sink: {connector: postgresql}
                    transforms: [{type: mask, column: a}]
                    cdc: {startup: soon, deleteMode: hard, keys: {t: []}, when: now}
                    """,
                    false,
                    null,
                    "cdc",
                    Map.of()))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("cdc.startup: must be initial, latest, position, timestamp, not soon")
        .hasMessageContaining("cdc.deleteMode: must be delete, soft, not hard")
        .hasMessageContaining("cdc.keys.t: needs at least one column")
        .hasMessageContaining("cdc.when: unknown key")
        .hasMessageContaining("transforms: kind: cdc does not take transforms");
    assertThatThrownBy(
            () ->
                JobSpecLoader.parse(
                    "source: {connector: mysql}\nsink: {connector: postgresql, table: \"${table}\"}\n",
                    false,
                    null,
                    "copy",
                    Map.of()))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("parameter 'table' has no value");
  }

  @Test
  void sharedMiningNamesItsMiningLogAndMistakesAreNamed() {
    JobSpec spec =
        JobSpecLoader.parse(
            """
            kind: cdc
            source: {connector: mysql, tables: [a]}
            sink: {connector: postgresql, table: "${table}"}
            cdc:
              sharedMining: true
              miningLog: {connector: postgresql, host: meta1, database: ferry, table: mining_shop}
            """,
            false,
            null,
            "cdc",
            Map.of());
    assertThat(spec.cdc().sharedMining()).isTrue();
    assertThat(spec.cdc().miningLog().connector()).isEqualTo("postgresql");
    assertThat(spec.cdc().miningLog().section()).isEqualTo("cdc.miningLog");
    assertThat(spec.cdc().miningLog().options())
        .containsExactly(
            Map.entry("host", "meta1"),
            Map.entry("database", "ferry"),
            Map.entry("table", "mining_shop"));
    // Sharing changes what the checkpointed position means: a resume across the switch is refused.
    assertThat(spec.cdc().fingerprint()).isNotEqualTo(JobSpec.CdcSpec.defaults().fingerprint());

    assertThatThrownBy(
            () ->
                JobSpecLoader.parse(
                    "kind: cdc\nsource: {connector: mysql}\nsink: {connector: postgresql}\n"
                        + "cdc: {sharedMining: true}\n",
                    false,
                    null,
                    "cdc",
                    Map.of()))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("cdc.miningLog: sharedMining: true needs the mining-log store");
    assertThatThrownBy(
            () ->
                JobSpecLoader.parse(
                    "kind: cdc\nsource: {connector: mysql}\nsink: {connector: postgresql}\n"
                        + "cdc: {sharedMining: often, miningLog: [a]}\n",
                    false,
                    null,
                    "cdc",
                    Map.of()))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("cdc.sharedMining: must be true or false, got 'often'")
        .hasMessageContaining("cdc.miningLog: must be a map with the store's connector");
  }
}

package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry convert}, and {@code ferry run} / {@code validate} on DataX job files. */
class ConvertCommandTest {
  @TempDir Path dir;

  private Path streamJob(String transformer) throws IOException {
    return Files.writeString(
        dir.resolve("stream.json"),
        """
        {"job": {"setting": {"speed": {"channel": 2}, "errorLimit": {"record": 0}},
          "content": [{
            "reader": {"name": "streamreader", "parameter": {"sliceRecordCount": "${n}",
              "column": [{"type": "long", "value": "7"}, {"type": "string", "value": "DataX"}]}},
            "writer": {"name": "streamwriter", "parameter": {"print": true}}%s}]}}
        """
            .formatted(transformer));
  }

  @Test
  void convertPrintsTheFerryJob() throws IOException {
    Path job = streamJob("");
    Cli.Result result = Cli.ferry("convert", job.toString(), "-p", "-Dn=5");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            """
            name: stream
            source:
              connector: datagen
              columns:
                - name: col1
                  type: int64
                  kind: constant
                  value: "7"
                - name: col2
                  type: string
                  kind: constant
                  value: DataX
              rows: 10
            sink:
              connector: console
              format: tsv
            mapping:
              - col1
              - col2
            settings:
              channels: 2
              errorLimit: 0
            """);
  }

  @Test
  void runTakesTheDataXFileAndDataXsParameterForm() throws IOException {
    Path job = streamJob("");
    Cli.Result result =
        Cli.ferry("run", job.toString(), "-p", "-Dn=3", "--state-dir", dir.resolve("s").toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    // sliceRecordCount is per channel: 3 rows × 2 channels
    assertThat(result.data().lines())
        .containsExactly(
            "col1\tcol2", "7\tDataX", "7\tDataX", "7\tDataX", "7\tDataX", "7\tDataX", "7\tDataX");
  }

  @Test
  void unsupportedParametersFailRunValidateAndConvertNamingThem() throws IOException {
    Path job =
        streamJob(
            ", \"transformer\": [{\"name\": \"dx_groovy\", \"parameter\": {\"code\": \"return"
                + " record;\"}}]");
    for (String command : new String[] {"run", "validate", "convert"}) {
      Cli.Result result = Cli.ferry(command, job.toString(), "-p", "n=1");
      assertThat(result.exitCode()).as(command).isEqualTo(ExitCode.INVALID);
      assertThat(result.errLines())
          .singleElement()
          .asString()
          .startsWith(
              job
                  + ": job.content[0].transformer[0].name: dx_groovy (code in a job) is not supported");
    }
    Path ferryJob =
        Files.writeString(dir.resolve("ferry.json"), "{\"source\": {\"connector\": \"datagen\"}}");
    // without a value for the per-channel count of two channels, convert names it
    Cli.Result unresolved = Cli.ferry("convert", streamJob("").toString());
    assertThat(unresolved.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(unresolved.err()).contains("sliceRecordCount: DataX counts it per channel");
    Cli.Result notDatax = Cli.ferry("convert", ferryJob.toString());
    assertThat(notDatax.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(notDatax.err()).contains("not a DataX job");
  }

  @Test
  void dataxParameterWords() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("-Dday", "2024-06-30 -Dshop=eu -Dempty=");
    given.put("plain", "a=b");
    assertThat(JobArguments.dataxParams(given))
        .containsExactly(
            Map.entry("day", "2024-06-30"),
            Map.entry("shop", "eu"),
            Map.entry("empty", ""),
            Map.entry("plain", "a=b"));
  }
}

package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.Option;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectorsCommandTest {
  @Test
  void listsInstalledConnectorsWithRolesAndDescriptions() {
    Cli.Result result = Cli.ferry("connectors");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines()).first().asString().matches("NAME +ROLES +DESCRIPTION");
    assertThat(result.out().lines())
        .anyMatch(line -> line.matches("datagen +source +Generates .*"))
        .anyMatch(line -> line.matches("file +source, sink +.*csv.*"))
        .anyMatch(line -> line.matches("console +sink +.*"))
        .anyMatch(line -> line.matches("blackhole +sink +.*"));
  }

  @Test
  void describesEveryOptionOfEachRole() {
    Cli.Result result = Cli.ferry("connectors", "file");

    assertThat(result.exitCode()).isZero();
    String out = result.out();
    assertThat(out).startsWith("file: ").contains("  roles: source, sink");
    String source = out.substring(out.indexOf("source options:"), out.indexOf("sink options:"));
    String sink = out.substring(out.indexOf("sink options:"));
    assertThat(source)
        .contains("    path (string, required)")
        .contains("    format (enum, default csv): one of csv, tsv, jsonl")
        .contains("    splitSize (size, default 64MB)")
        .contains("    columns (object)");
    assertThat(sink)
        .contains("    overwrite (boolean, default false)")
        .contains("    fileMode (enum, default merged): one of merged, perWriter, perSplit")
        .doesNotContain("splitSize");
  }

  @Test
  void aConnectorThatKeepsAMiningLogShowsItsOptions() {
    Cli.Result result = Cli.ferry("connectors", "postgresql");

    assertThat(result.exitCode()).isZero();
    String out = result.out();
    assertThat(out).contains("  roles: source, sink, catalog, change-source, mining-log");
    assertThat(out.substring(out.indexOf("mining-log options:")))
        .contains("    table (string, required)\n        The mining-log table")
        .contains("    host ");
  }

  @Test
  void optionsFlagDescribesAllConnectors() {
    Cli.Result result = Cli.ferry("connectors", "--options");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("datagen: ", "file: ", "console: ", "blackhole: ")
        .contains("    rows (long, default 1000)");
  }

  @Test
  void unknownConnectorExitsTwo() {
    Cli.Result result = Cli.ferry("connectors", "oracle");

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.err()).contains("unknown connector 'oracle'", "datagen", "file");
  }

  @Test
  void secretDefaultsAreMasked() {
    Option<String> password =
        Option.string("password")
            .defaultValue("hunter2")
            .secret()
            .description("The password.")
            .build();

    assertThat(ConnectorsCommand.header(password))
        .isEqualTo("password (string, default ****, secret)")
        .doesNotContain("hunter2");
  }

  @Test
  void defaultsAreShownAsJobFilesWriteThem() {
    Option<Duration> interval =
        Option.duration("interval").defaultValue(Duration.ofSeconds(90)).description("d").build();
    Option<Long> size = Option.size("size").defaultValue(8L << 20).description("d").build();

    assertThat(ConnectorsCommand.header(interval)).isEqualTo("interval (duration, default 90s)");
    assertThat(ConnectorsCommand.header(size)).isEqualTo("size (size, default 8MB)");
  }
}

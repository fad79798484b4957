package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@link Ferry#main} builds only the subcommand it runs ({@link Ferry#forArguments}): what that
 * prints and returns must be what the command line with every subcommand prints and returns.
 */
class FerryTest {
  static Stream<Arguments> arguments() {
    return Stream.of(
        Arguments.of(List.of("run", "--help")),
        Arguments.of(List.of("resume", "--help")),
        Arguments.of(List.of("runs", "--help")),
        Arguments.of(List.of("runs", "cursor", "--help")),
        Arguments.of(List.of("validate", "--help")),
        Arguments.of(List.of("convert", "--help")),
        Arguments.of(List.of("verify", "--help")),
        Arguments.of(List.of("connectors", "--help")),
        Arguments.of(List.of("cdc", "--help")),
        Arguments.of(List.of("server", "--help")),
        Arguments.of(List.of("version")),
        Arguments.of(List.of("run")),
        Arguments.of(List.of("run", "--no-such-option", "job.yaml")),
        Arguments.of(List.of("validate", "no-such-job.yaml")),
        Arguments.of(List.of("help", "run")),
        Arguments.of(List.of("help")),
        Arguments.of(List.of("--help")),
        Arguments.of(List.of("no-such-command")),
        Arguments.of(List.of()));
  }

  @ParameterizedTest
  @MethodSource("arguments")
  void oneCommandBehavesAsWithAllCommands(List<String> arguments) {
    String[] args = arguments.toArray(String[]::new);
    String[] all = run(Ferry.commandLine(), args);
    String[] one = run(Ferry.forArguments(args), args);

    assertThat(one).containsExactly(all);
    // Not vacuous: every case prints something (usage, a version, an error).
    assertThat(all[1] + all[2]).isNotBlank();
  }

  @ParameterizedTest
  @MethodSource("arguments")
  void buildsOnlyTheCommandItRuns(List<String> arguments) {
    String[] args = arguments.toArray(String[]::new);
    CommandLine cli = Ferry.forArguments(args);
    boolean one =
        !arguments.isEmpty()
            && !Stream.of("help", "--help", "no-such-command").anyMatch(arguments.get(0)::equals);

    assertThat(cli.getSubcommands().keySet())
        .isEqualTo(one ? Set.of(arguments.get(0)) : Ferry.commandLine().getSubcommands().keySet());
  }

  /** Exit code, stdout and stderr of one execution. */
  private static String[] run(CommandLine cli, String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }
}

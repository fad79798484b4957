package io.ferry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code ferry} in-process and captures what it prints. */
final class Cli {
  /**
   * @param out what the command printed on its stdout
   * @param err what it printed on stderr, progress and summary included
   * @param data what sinks printed on {@code System.out} (the console sink)
   */
  record Result(int exitCode, String out, String err, String data) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  private Cli() {}

  static Result ferry(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    PrintStream systemOut = System.out;
    int code;
    // The console sink is created with the registry and prints to System.out as it is then.
    System.setOut(new PrintStream(data, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = Ferry.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      code = cli.execute(args);
    } finally {
      System.setOut(systemOut);
    }
    return new Result(code, out.toString(), err.toString(), data.toString(StandardCharsets.UTF_8));
  }
}

package io.ferry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code ferry} in-process and captures what it prints, or in a child JVM to kill it. */
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

  /**
   * {@code ferry ARGS} in a child JVM with this JVM's class path and the launcher's heap, in {@code
   * dir} (its stdout and stderr in {@code ferry.out} and {@code ferry.err} there), with {@code
   * state} as its state directory: a process a test can kill.
   */
  static Process process(Path dir, Path state, String... args) throws java.io.IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xms256m", "-Xmx256m", "-XX:+UseSerialGC")); // as bin/ferry
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.ferry.cli.Ferry");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put(FerryHome.STATE_DIR_ENV, state.toString());
    return builder
        .redirectOutput(dir.resolve("ferry.out").toFile())
        .redirectError(dir.resolve("ferry.err").toFile())
        .start();
  }
}

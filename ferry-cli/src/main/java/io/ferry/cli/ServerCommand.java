package io.ferry.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code ferry server}: listed here for {@code ferry --help}. The launcher starts the server
 * itself, with the server's libraries on the class path ({@code server/}); the command line's class
 * path does not hold them, so that no other command loads Spring.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the Ferry server (REST API and WebSocket) on 127.0.0.1:8080.",
      "--worker --group NAME starts a worker node of a resource group instead: it executes",
      "that group's runs and serves no UI and no API (only /actuator/health).",
      "Settings are Spring properties, e.g. --server.port=9000; data goes to $FERRY_DATA_DIR.",
      "See ferry-server/README.md."
    })
final class ServerCommand implements Callable<Integer> {
  static final String MAIN_CLASS = "io.ferry.server.FerryServer";

  @Spec CommandSpec spec;

  @Unmatched List<String> settings = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Class<?> main;
    try {
      main = Class.forName(MAIN_CLASS);
    } catch (ClassNotFoundException e) {
      spec.commandLine()
          .getErr()
          .println("ferry: the server is not on this class path; start it with bin/ferry server");
      return ExitCode.INVALID;
    }
    try {
      main.getMethod("main", String[].class).invoke(null, (Object) settings.toArray(String[]::new));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    // The server runs on its own threads until it is stopped; main must not exit under it.
    Thread.currentThread().join();
    return ExitCode.SUCCEEDED;
  }
}

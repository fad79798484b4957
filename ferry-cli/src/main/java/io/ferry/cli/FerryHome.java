package io.ferry.cli;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.flink.JobJars;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the installation and the state live. The launcher {@code bin/ferry} sets the system
 * property {@code ferry.home}; without it (an IDE, the tests) connectors come from the class path
 * only and state goes to {@code ./.ferry}.
 */
final class FerryHome {
  static final String HOME_PROPERTY = "ferry.home";
  static final String STATE_DIR_ENV = "FERRY_STATE_DIR";

  private final Path home;
  private final Map<String, String> env;

  FerryHome(String home, Map<String, String> env) {
    this.home = home == null || home.isBlank() ? null : Path.of(home);
    this.env = env;
  }

  /** The installation this process runs from. */
  static FerryHome current() {
    return new FerryHome(System.getProperty(HOME_PROPERTY), System.getenv());
  }

  /** Connectors on the class path plus, in an installation, one per {@code connectors/} folder. */
  ConnectorRegistry connectors() {
    return ConnectorRegistry.load(
        Ferry.class.getClassLoader(), home == null ? null : home.resolve("connectors"));
  }

  /** The installation's {@code connectors/} folder; null outside an installation. */
  Path connectorsDirectory() {
    return home == null ? null : home.resolve("connectors");
  }

  /**
   * What a run on a Flink session cluster ships: the installation's {@code lib/} and the job's
   * connector folders; outside an installation, the class path without Flink's jars.
   */
  JobJars jobJars() {
    return home != null ? JobJars.installation(home) : JobJars.classPath();
  }

  /**
   * The state directory: {@code explicit} (from {@code --state-dir}) if given, else {@code
   * $FERRY_STATE_DIR}, else {@code $FERRY_HOME/state} in an installation, else {@code ./.ferry}.
   */
  Path stateDirectory(Path explicit) {
    if (explicit != null) {
      return explicit;
    }
    String fromEnv = env.get(STATE_DIR_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    return home != null ? home.resolve("state") : Path.of(".ferry");
  }

  Engine engine(Path explicitStateDirectory) {
    return new Engine(connectors(), stateDirectory(explicitStateDirectory));
  }
}

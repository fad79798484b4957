package io.ferry.server.runs;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a run of a {@code flink} resource group is launched: in a JVM of its own ({@link
 * ChildRunProcess}) whose class path is the server's plus Flink — the installation's {@code lib/*}
 * and {@code lib/flink/*}, what {@code ferry run --engine flink} runs with — since the server
 * itself runs without Flink (its {@code server/} folder). Outside an installation (the tests, an
 * IDE) the server's class path must have Flink and {@code ferry-flink} already.
 */
final class FlinkLaunch {
  /** The server cannot submit to Flink: no installation with Flink, none on its class path. */
  static final ErrorCode NO_FLINK = ErrorCode.user("run.flink-unavailable");

  private FlinkLaunch() {}

  /**
   * @param group the run's resource group
   * @param master the group's Flink REST address
   * @param home the installation ({@code ferry.runs.flink-home}); null outside one
   * @throws FerryException {@link #NO_FLINK} naming what is missing
   */
  static ChildRunProcess.Flink of(String group, String master, Path home) {
    boolean onClassPath = hasFlink();
    if (home == null) {
      if (!onClassPath) {
        throw new FerryException(
            NO_FLINK,
            "resource group '"
                + group
                + "' is a Flink cluster, but this server has no Flink to submit its runs with:"
                + " it runs outside a Ferry installation and its class path has no ferry-flink;"
                + " set ferry.runs.flink-home to a Ferry installation");
      }
      return new ChildRunProcess.Flink(group, master, null, List.of());
    }
    Path lib = home.resolve("lib");
    if (!onClassPath && !Files.isDirectory(lib.resolve("flink"))) {
      throw new FerryException(
          NO_FLINK,
          "resource group '"
              + group
              + "' is a Flink cluster, but the installation "
              + home
              + " (ferry.runs.flink-home) has no "
              + lib.resolve("flink")
              + " to submit its runs with");
    }
    return new ChildRunProcess.Flink(
        group,
        master,
        home,
        List.of(lib.resolve("*").toString(), lib.resolve("flink/*").toString()));
  }

  /** Whether this JVM's class path has ferry-flink and Flink's REST client (not loaded here). */
  private static boolean hasFlink() {
    ClassLoader loader = FlinkLaunch.class.getClassLoader();
    return loader.getResource("io/ferry/flink/FlinkRunner.class") != null
        && loader.getResource("org/apache/flink/client/program/rest/RestClusterClient.class")
            != null;
  }
}

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first step of ferry-web's Maven build, before npm runs: fails at once, naming what is
 * missing, when the machine has no Node.js that the UI's build tools accept or no npm, and says how
 * to build without the web UI. Run as a single-file program by the JDK that runs Maven ({@code
 * java NodeCheck.java NPM}, NPM being the {@code npm.executable} property: a name looked up on the
 * PATH, or a path).
 *
 * <p>The versions accepted are those of Vite and Rolldown, which build the UI ({@code engines} in
 * package-lock.json): {@code ^20.19.0 || >=22.12.0}.
 */
public final class NodeCheck {
  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");
  private static final String REQUIRED = "Node.js 20.19+ or 22.12+";
  private static final boolean WINDOWS =
      System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");

  private NodeCheck() {}

  public static void main(String[] args) throws Exception {
    String npmName = args.length > 0 ? args[0] : "npm";
    Path node = onPath("node");
    if (node == null) {
      fail("no `node` was found on the PATH");
    }
    String version = version(node);
    if (!accepted(version)) {
      fail("`" + node + " --version` says " + version);
    }
    Path npm =
        npmName.contains("/") || npmName.contains(File.separator)
            ? executable(Path.of(npmName))
            : onPath(npmName);
    if (npm == null) {
      fail(
          npmName.equals("npm")
              ? "no `npm` was found on the PATH"
              : "npm.executable " + npmName + " is not an executable file");
    }
    System.out.println("ferry-web: Node.js " + version + " (" + node + "), npm " + npm);
  }

  /** Whether Vite and Rolldown accept this {@code node --version}. */
  static boolean accepted(String version) {
    Matcher m = VERSION.matcher(version);
    if (!m.lookingAt()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major == 20 && minor >= 19 || major == 22 && minor >= 12 || major >= 23;
  }

  private static String version(Path node) throws Exception {
    Process p = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      return "nothing usable (" + (out.isEmpty() ? "no output" : out) + ")";
    }
    return out;
  }

  /** The first executable called {@code name} on the PATH (with Windows' extensions there). */
  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    List<String> suffixes = WINDOWS ? List.of("", ".exe", ".cmd", ".bat") : List.of("");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      for (String suffix : suffixes) {
        Path found = executable(Path.of(dir, name + suffix));
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static Path executable(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file) ? file : null;
  }

  private static void fail(String found) {
    System.err.println(
        String.join(
            System.lineSeparator(),
            "",
            "ferry-web: building the web UI needs " + REQUIRED + " with npm, but " + found + ".",
            "  Install Node.js with npm (https://nodejs.org, or your system's packages), or",
            "  build without the web UI, with the JDK alone:",
            "    ./mvnw package -Dferry.web.skip=true",
            "  (`ferry server` then answers / with a page saying that the web UI was not built;"
                + " its REST API works).",
            ""));
    System.exit(1);
  }
}

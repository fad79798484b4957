package io.ferry.cli;

import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The job file and its parameters, shared by {@code run} and {@code validate}. */
final class JobArguments {
  @Parameters(
      index = "0",
      paramLabel = "JOB",
      description = "The job file: YAML, or JSON when the name ends in .json.")
  Path file;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description =
          "Replaces $${NAME} in the job file; overrides the job's params: default. Repeatable."
              + " DataX's form -p \"-DNAME=VALUE -DOTHER=VALUE\" works too.")
  Map<String, String> params = new LinkedHashMap<>();

  /**
   * @throws io.ferry.engine.JobSpecException naming the file and each problem
   */
  JobSpec load() {
    return JobSpecLoader.load(file, dataxParams(params));
  }

  /**
   * DataX's {@code -p "-Dday=2024-06-30 -Dshop=eu"} as well as Ferry's {@code -p day=2024-06-30}:
   * picocli splits the first at its first {@code =} into the key {@code -Dday}; the rest may hold
   * more {@code -Dname=value} words.
   */
  static Map<String, String> dataxParams(Map<String, String> given) {
    Map<String, String> out = new LinkedHashMap<>();
    given.forEach(
        (key, value) -> {
          if (!key.startsWith("-D")) {
            out.put(key, value);
            return;
          }
          for (String word : (key + "=" + value).trim().split("\\s+(?=-D)")) {
            String w = word.strip().substring(2);
            int eq = w.indexOf('=');
            if (eq > 0) {
              out.put(w.substring(0, eq), w.substring(eq + 1));
            } else {
              out.put(w, "");
            }
          }
        });
    return out;
  }
}

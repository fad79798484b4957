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
          "Replaces $${NAME} in the job file; overrides the job's params: default. Repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  /**
   * @throws io.ferry.engine.JobSpecException naming the file and each problem
   */
  JobSpec load() {
    return JobSpecLoader.load(file, params);
  }
}

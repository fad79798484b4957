package io.ferry.cli;

import io.ferry.engine.JobSpecException;
import java.io.PrintWriter;
import java.util.stream.Collectors;

/**
 * Prints a job's problems one line each, {@code file: path: message}, so that scripts and editors
 * can take them line by line. A message that spans lines (a YAML parser's excerpt with a caret
 * under the fault) is joined onto its line; the file:line:column prefix already points there.
 */
final class ProblemLines {
  private ProblemLines() {}

  static void print(PrintWriter err, JobSpecException e) {
    for (JobSpecException.Problem problem : e.problems()) {
      err.println(e.origin() + ": " + oneLine(problem.toString()));
    }
    err.flush();
  }

  static String oneLine(String text) {
    return text.lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.equals("^"))
        .collect(Collectors.joining(" "));
  }
}

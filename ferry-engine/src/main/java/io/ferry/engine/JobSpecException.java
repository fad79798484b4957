package io.ferry.engine;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A job file is wrong. Each {@link Problem} names the place ({@code source.path}, {@code
 * settings.channels}, {@code transforms[1].column}) and what is wrong; {@link #getMessage()} is one
 * line per problem, each starting with the file name.
 */
public final class JobSpecException extends FerryException {
  private static final long serialVersionUID = 1L;

  private final String origin;
  private final transient List<Problem> problems;

  public JobSpecException(ErrorCode code, String origin, List<Problem> problems) {
    super(
        code,
        problems.stream().map(p -> origin + ": " + p).collect(Collectors.joining("\n")),
        problems.isEmpty() ? null : problems.get(0).path(),
        null);
    this.origin = origin;
    this.problems = List.copyOf(problems);
  }

  public JobSpecException(String origin, String path, String message) {
    this(ErrorCode.JOB_INVALID, origin, List.of(new Problem(path, message)));
  }

  /** The job file (or job name) the problems are in. */
  public String origin() {
    return origin;
  }

  public List<Problem> problems() {
    return problems;
  }

  /**
   * @param path the place in the job, dotted ({@code source.path}); empty for the whole file
   */
  public record Problem(String path, String message) {
    @Override
    public String toString() {
      return path.isEmpty() ? message : path + ": " + message;
    }
  }
}

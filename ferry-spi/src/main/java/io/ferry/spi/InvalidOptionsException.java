package io.ferry.spi;

import java.util.List;
import java.util.stream.Collectors;

/** One or more options are wrong; {@link #problems()} names each option and what is wrong. */
public final class InvalidOptionsException extends FerryException {
  private static final long serialVersionUID = 1L;

  private final transient List<OptionProblem> problems;

  public InvalidOptionsException(ErrorCode code, List<OptionProblem> problems) {
    super(
        code,
        problems.stream().map(OptionProblem::toString).collect(Collectors.joining("; ")),
        problems.isEmpty() ? null : problems.get(0).option(),
        null);
    this.problems = List.copyOf(problems);
  }

  public List<OptionProblem> problems() {
    return problems;
  }
}

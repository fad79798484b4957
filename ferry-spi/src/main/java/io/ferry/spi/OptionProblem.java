package io.ferry.spi;

import java.util.Objects;

/**
 * What is wrong with one option: found when the options are parsed, or by a live check that
 * connects to the store and names the option whose value failed.
 *
 * @param option the option's name, as written in a job file
 * @param message what is wrong, in words a user can act on (the value, what was expected)
 */
public record OptionProblem(String option, String message) {
  public OptionProblem {
    Objects.requireNonNull(option, "option is null");
    Objects.requireNonNull(message, "message is null");
  }

  @Override
  public String toString() {
    return option + ": " + message;
  }
}

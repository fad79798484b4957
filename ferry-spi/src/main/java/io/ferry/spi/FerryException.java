package io.ferry.spi;

import java.util.Objects;

/**
 * The one exception type of the connector contract. It carries a stable {@link ErrorCode} (and
 * through it the category and whether a retry can help) and, when an option is at fault, that
 * option's name so a command line or a form can point at it.
 */
public class FerryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String option;

  public FerryException(ErrorCode code, String message) {
    this(code, message, null, null);
  }

  public FerryException(ErrorCode code, String message, Throwable cause) {
    this(code, message, null, cause);
  }

  public FerryException(ErrorCode code, String message, String option, Throwable cause) {
    super(Objects.requireNonNull(message, "message is null"), cause);
    this.code = Objects.requireNonNull(code, "code is null");
    this.option = option;
  }

  /** An error caused by the value of {@code option}. */
  public static FerryException option(ErrorCode code, String option, String message) {
    return new FerryException(code, message, option, null);
  }

  public ErrorCode code() {
    return code;
  }

  public ErrorCategory category() {
    return code.category();
  }

  public boolean retriable() {
    return code.retriable();
  }

  /** The option at fault, or null. */
  public String option() {
    return option;
  }
}

package io.ferry.spi;

import java.util.Objects;

/**
 * A stable error code. The {@code code} string never changes meaning once released: tools and
 * people search for it. Connectors declare their own codes as constants, prefixed with the
 * connector name ({@code file.not-found}); the common ones are here.
 *
 * @param code stable identifier, lower-case words joined by dots and dashes
 * @param category who can fix it
 * @param retriable whether trying the same thing again may succeed (a lost connection: yes; bad
 *     credentials: no)
 */
public record ErrorCode(String code, ErrorCategory category, boolean retriable) {
  public static final ErrorCode OPTION_UNKNOWN = user("option.unknown");
  public static final ErrorCode OPTION_MISSING = user("option.missing");
  public static final ErrorCode OPTION_INVALID = user("option.invalid");
  public static final ErrorCode JOB_INVALID = user("job.invalid");
  public static final ErrorCode CONNECTOR_UNKNOWN = user("connector.unknown");
  public static final ErrorCode NOT_FOUND = user("not-found");
  public static final ErrorCode CONVERSION = user("value.conversion");
  public static final ErrorCode ERROR_LIMIT = user("error-limit.exceeded");
  public static final ErrorCode AUTHENTICATION =
      new ErrorCode("auth.failed", ErrorCategory.EXTERNAL, false);
  public static final ErrorCode IO = new ErrorCode("io", ErrorCategory.EXTERNAL, true);
  public static final ErrorCode CONNECTION =
      new ErrorCode("connection", ErrorCategory.EXTERNAL, true);
  public static final ErrorCode STATE_INCOMPATIBLE =
      new ErrorCode("state.incompatible", ErrorCategory.INTERNAL, false);
  public static final ErrorCode INTERNAL = new ErrorCode("internal", ErrorCategory.INTERNAL, false);

  public ErrorCode {
    Objects.requireNonNull(code, "code is null");
    Objects.requireNonNull(category, "category is null");
  }

  /** A non-retriable error the user can fix. */
  public static ErrorCode user(String code) {
    return new ErrorCode(code, ErrorCategory.USER, false);
  }

  /** An error of a store or the network; {@code retriable} says whether a retry can help. */
  public static ErrorCode external(String code, boolean retriable) {
    return new ErrorCode(code, ErrorCategory.EXTERNAL, retriable);
  }

  @Override
  public String toString() {
    return code;
  }
}

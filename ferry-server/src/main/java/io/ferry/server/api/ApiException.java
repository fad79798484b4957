package io.ferry.server.api;

import java.util.List;
import org.springframework.http.HttpStatus;

/** A request the server refuses, with its HTTP status and, for bad input, one problem per field. */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final transient List<FieldProblem> problems;

  public ApiException(HttpStatus status, String message, List<FieldProblem> problems) {
    super(message);
    this.status = status;
    this.problems = List.copyOf(problems);
  }

  public ApiException(HttpStatus status, String message) {
    this(status, message, List.of());
  }

  public static ApiException notFound(String what, Object id) {
    return new ApiException(HttpStatus.NOT_FOUND, "there is no " + what + " " + id);
  }

  public static ApiException badRequest(List<FieldProblem> problems) {
    return new ApiException(
        HttpStatus.BAD_REQUEST,
        problems.size() == 1 ? problems.get(0).toString() : problems.size() + " problems",
        problems);
  }

  public static ApiException badRequest(String field, String message) {
    return badRequest(List.of(new FieldProblem(field, message)));
  }

  /**
   * {@code value} in upper case when it names one of {@code allowed} (ignoring case); null for
   * null.
   *
   * @throws ApiException 400 naming {@code field} otherwise
   */
  public static String choice(String field, String value, java.util.Collection<String> allowed) {
    if (value == null) {
      return null;
    }
    String upper = value.toUpperCase(java.util.Locale.ROOT);
    if (!allowed.contains(upper)) {
      throw badRequest(
          field,
          "'"
              + value
              + "' is not one of "
              + String.join(", ", new java.util.TreeSet<>(allowed))
                  .toLowerCase(java.util.Locale.ROOT));
    }
    return upper;
  }

  public static ApiException conflict(String reason) {
    return new ApiException(HttpStatus.CONFLICT, reason);
  }

  public HttpStatus status() {
    return status;
  }

  public List<FieldProblem> problems() {
    return problems;
  }

  /**
   * @param field the field at fault, dotted ({@code options.url}, {@code source.table})
   */
  public record FieldProblem(String field, String message) {
    @Override
    public String toString() {
      return field == null || field.isEmpty() ? message : field + ": " + message;
    }
  }
}

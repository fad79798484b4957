package io.ferry.server.shared;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A request a service refuses, said as what is wrong — not found, in conflict, invalid, unavailable
 * — and never as a protocol's status: the API layer maps each kind to HTTP ({@code ApiErrors}). The
 * message is for people; {@link #problems()} names each field at fault.
 */
public abstract sealed class DomainException extends RuntimeException
    permits DomainException.NotFound,
        DomainException.Conflict,
        DomainException.Invalid,
        DomainException.Unavailable {
  private static final long serialVersionUID = 1L;

  private final transient List<FieldProblem> problems;

  private DomainException(String message, List<FieldProblem> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  /** Each field at fault; empty when the refusal concerns no field. */
  public List<FieldProblem> problems() {
    return problems;
  }

  /** What the request names does not exist (an id, an alias, a user). */
  public static final class NotFound extends DomainException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
      super(message, List.of());
    }
  }

  /** The request clashes with the current state: a name in use, an illegal transition. */
  public static final class Conflict extends DomainException {
    private static final long serialVersionUID = 1L;

    public Conflict(String message, List<FieldProblem> problems) {
      super(message, problems);
    }
  }

  /** The request itself is wrong: one problem per field. */
  public static final class Invalid extends DomainException {
    private static final long serialVersionUID = 1L;

    public Invalid(List<FieldProblem> problems) {
      super(summary(problems), problems);
    }
  }

  /** The request is sound but cannot be taken now (a full queue); it may succeed later. */
  public static final class Unavailable extends DomainException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message) {
      super(message, List.of());
    }
  }

  public static NotFound notFound(String what, Object id) {
    return new NotFound("there is no " + what + " " + id);
  }

  public static Conflict conflict(String reason) {
    return new Conflict(reason, List.of());
  }

  public static Invalid invalid(List<FieldProblem> problems) {
    return new Invalid(problems);
  }

  public static Invalid invalid(String field, String message) {
    return invalid(List.of(new FieldProblem(field, message)));
  }

  /** One problem's text, or how many there are. */
  public static String summary(List<FieldProblem> problems) {
    return problems.size() == 1 ? problems.get(0).toString() : problems.size() + " problems";
  }

  /**
   * {@code value} in upper case when it names one of {@code allowed} (ignoring case); null for
   * null.
   *
   * @throws Invalid naming {@code field} otherwise
   */
  public static String choice(String field, String value, Collection<String> allowed) {
    if (value == null) {
      return null;
    }
    String upper = value.toUpperCase(Locale.ROOT);
    if (!allowed.contains(upper)) {
      throw invalid(
          field,
          "'"
              + value
              + "' is not one of "
              + String.join(", ", new TreeSet<>(allowed)).toLowerCase(Locale.ROOT));
    }
    return upper;
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

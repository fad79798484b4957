package io.ferry.server.schedule.model;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters a scheduled instance sees, all derived from its planned fire time (in the
 * schedule's zone), in the style of DataWorks so that scripts carry over.
 *
 * <ul>
 *   <li>{@link #system}: the values of {@code ${bizdate}}, {@code ${cyctime}} and {@code
 *       ${gmtdate}}, which the engine resolves like any other {@code ${name}} parameter;
 *   <li>{@link #expand}: bracket expressions {@code $[...]}, replaced in the text before the engine
 *       sees it.
 * </ul>
 */
public final class SchedulingParameters {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd");
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

  /** {@code add_months(pattern, N)}. */
  private static final Pattern ADD_MONTHS =
      Pattern.compile(
          "add_months\\(\\s*([^,]+?)\\s*,\\s*([+-]?\\d{1,6})\\s*\\)", Pattern.CASE_INSENSITIVE);

  /**
   * A pattern followed by {@code +N} or {@code -N} days, {@code /24} for hours, {@code /24/60} for
   * minutes. Only digits may follow the sign, so the dashes of {@code yyyy-mm-dd} stay literal.
   */
  private static final Pattern OFFSET = Pattern.compile("(.*?)([+-]\\d{1,6})(/24(/60)?)?");

  /** A date-time field in a pattern, matched case-insensitively, longest name first. */
  private record Token(String name, ToIntFunction<ZonedDateTime> field, int width) {}

  private static final List<Token> TOKENS =
      List.of(
          new Token("yyyy", ZonedDateTime::getYear, 4),
          new Token("yy", t -> t.getYear() % 100, 2),
          new Token("mm", ZonedDateTime::getMonthValue, 2),
          new Token("dd", ZonedDateTime::getDayOfMonth, 2),
          new Token("hh24", ZonedDateTime::getHour, 2),
          new Token("hh", ZonedDateTime::getHour, 2),
          new Token("mi", ZonedDateTime::getMinute, 2),
          new Token("ss", ZonedDateTime::getSecond, 2));

  private static final String LITERALS = "-:/_ ";

  private static final String SUPPORTED =
      "supported are the tokens yyyy, yy, mm (month), dd, hh24 or hh (hour 0-23), mi (minute)"
          + " and ss, in any case, with - : / _ and space between them; then optionally -N or +N"
          + " days, -N/24 hours or -N/24/60 minutes; or add_months(pattern,N); write $$[ for a"
          + " literal $[";

  private SchedulingParameters() {}

  /**
   * The system parameters of an instance planned at {@code planned}: {@code bizdate}, the business
   * date, the day before ({@code yyyyMMdd}); {@code cyctime}, the planned time ({@code
   * yyyyMMddHHmmss}); {@code gmtdate}, the planned date ({@code yyyyMMdd}).
   */
  public static Map<String, String> system(ZonedDateTime planned) {
    return Map.of(
        "bizdate", planned.toLocalDate().minusDays(1).format(DATE),
        "cyctime", planned.format(DATE_TIME),
        "gmtdate", planned.format(DATE));
  }

  /**
   * Replaces each {@code $[...]} in {@code text} by the planned time (not the business date)
   * formatted with the pattern inside: {@code $[yyyymmdd]}, {@code $[yyyy-mm-dd]}, {@code
   * $[hh24:mi:ss]}; tokens are case-insensitive, so {@code $[yyyyMMdd]} and {@code $[HH24:mi:ss]}
   * work too ({@code mm} is always the month, {@code mi} the minute). A trailing offset moves the
   * time first: {@code $[yyyymmdd-1]} one day back, {@code $[hh24miss-1/24]} one hour, {@code
   * $[hh24mi-30/24/60]} 30 minutes; {@code $[add_months(yyyymmdd,-1)]} one month back (March 31
   * becomes the last day of February). {@code $$[} is a literal {@code $[}; {@code ${...}} is left
   * as is.
   *
   * @throws IllegalArgumentException quoting the expression and what is supported, for an unknown
   *     token or an unclosed bracket
   */
  public static String expand(String text, ZonedDateTime planned) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$$[", i)) {
        out.append("$[");
        i += 3;
      } else if (text.startsWith("$[", i)) {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw unsupported(text.substring(i), "no closing ]");
        }
        out.append(evaluate(text.substring(i + 2, close), planned));
        i = close + 1;
      } else {
        out.append(text.charAt(i++));
      }
    }
    return out.toString();
  }

  private static String evaluate(String expression, ZonedDateTime planned) {
    Matcher months = ADD_MONTHS.matcher(expression.strip());
    if (months.matches()) {
      return format(
          months.group(1), planned.plusMonths(Integer.parseInt(months.group(2))), expression);
    }
    Matcher offset = OFFSET.matcher(expression);
    if (!offset.matches()) {
      return format(expression, planned, expression);
    }
    int n = Integer.parseInt(offset.group(2));
    ZonedDateTime moved =
        offset.group(4) != null
            ? planned.plusMinutes(n)
            : offset.group(3) != null ? planned.plusHours(n) : planned.plusDays(n);
    return format(offset.group(1), moved, expression);
  }

  /** Formats {@code t} with a pattern of {@link #TOKENS} and {@link #LITERALS}. */
  private static String format(String pattern, ZonedDateTime t, String expression) {
    if (pattern.isEmpty()) {
      throw unsupported("$[" + expression + "]", "no date pattern");
    }
    String lower = pattern.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    int i = 0;
    next:
    while (i < lower.length()) {
      for (Token token : TOKENS) {
        if (lower.startsWith(token.name(), i)) {
          String digits = String.valueOf(token.field().applyAsInt(t));
          out.append("0".repeat(Math.max(0, token.width() - digits.length()))).append(digits);
          i += token.name().length();
          continue next;
        }
      }
      if (LITERALS.indexOf(lower.charAt(i)) < 0) {
        throw unsupported(
            "$[" + expression + "]", "'" + pattern.substring(i) + "' is not a known token");
      }
      out.append(lower.charAt(i++));
    }
    return out.toString();
  }

  private static IllegalArgumentException unsupported(String expression, String reason) {
    return new IllegalArgumentException(
        "cannot expand " + expression + ": " + reason + "; " + SUPPORTED);
  }
}

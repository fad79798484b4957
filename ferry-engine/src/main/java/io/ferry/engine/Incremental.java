package io.ferry.engine;

import io.ferry.spi.CursorReads;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cursor-based incremental runs (docs/incremental.md): which rows a run reads, kept with the run so
 * that its resume reads the same, and the cursor a successful run commits.
 */
final class Incremental {
  private static final Logger log = LoggerFactory.getLogger(Incremental.class);

  /**
   * The run setting that keeps a run's cursor range for its resume (the run record's settings are
   * what a resume starts from). Ferry writes it; a job may not.
   */
  static final String RANGE_SETTING = "incrementalRange";

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Incremental() {}

  /**
   * The rows a run reads: the cursor column's values in {@code (lower, upper]} ({@code [lower,
   * upper]} for a job's {@code start}). Values are text as {@link #format} writes them.
   *
   * @param lower null for no lower bound (the job's first run, or after a reset)
   * @param upper the column's highest value when the run started; null when no row had one
   */
  record Range(String cursor, String kind, String lower, boolean lowerInclusive, String upper) {
    Map<String, Object> toSetting() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cursor", cursor);
      m.put("kind", kind);
      if (lower != null) {
        m.put("lower", lower);
      }
      m.put("lowerInclusive", lowerInclusive);
      if (upper != null) {
        m.put("upper", upper);
      }
      return m;
    }

    /** The range a run record keeps; empty when it keeps none. */
    static Optional<Range> of(Map<String, Object> settings) {
      if (!(settings.get(RANGE_SETTING) instanceof Map<?, ?> m) || m.get("cursor") == null) {
        return Optional.empty();
      }
      return Optional.of(
          new Range(
              m.get("cursor").toString(),
              String.valueOf(m.get("kind")),
              m.get("lower") == null ? null : m.get("lower").toString(),
              Boolean.parseBoolean(String.valueOf(m.get("lowerInclusive"))),
              m.get("upper") == null ? null : m.get("upper").toString()));
    }

    @Override
    public String toString() {
      return cursor
          + " in "
          + (lower == null ? "(-∞" : (lowerInclusive ? "[" : "(") + lower)
          + ", "
          + (upper == null ? (lower == null ? "+∞)" : lower + "] (no rows)") : upper + "]");
    }
  }

  /**
   * Works out a new run's range: past the committed cursor less the look-back (or from the job's
   * {@code start}, or everything), up to the cursor column's highest value now.
   *
   * @throws JobSpecException naming {@code incremental.*} when the source cannot read this way, the
   *     column does not fit, or a value does not parse
   */
  static Range plan(PreparedJob job, CheckpointStore store) {
    JobSpec spec = job.spec();
    JobSpec.IncrementalSpec inc = spec.incremental();
    CursorReads reads = reads(job);
    TypeKind kind = reads.kind();
    Object lookBack = lookBack(spec, kind);
    Object lower = null;
    boolean inclusive = false;
    Optional<CursorState> state = store.cursor(spec.cursorKey());
    if (state.isPresent()) {
      CursorState s = state.get();
      if (!s.column().equalsIgnoreCase(inc.cursor())) {
        throw new JobSpecException(
            spec.origin(),
            "incremental.cursor",
            "is "
                + inc.cursor()
                + ", but the committed cursor of "
                + spec.cursorKey()
                + " is a value of "
                + s.column()
                + ": reset it (ferry runs cursor "
                + spec.cursorKey()
                + " --reset, or the task's page) and the next run reads every row");
      }
      try {
        lower = parse(kind, s.value(), job.zone());
      } catch (IllegalArgumentException e) {
        throw new JobSpecException(
            spec.origin(),
            "incremental.cursor",
            "the committed value '"
                + s.value()
                + "' of "
                + spec.cursorKey()
                + " is not a "
                + kind
                + " value ("
                + e.getMessage()
                + "): set it again or reset it");
      }
      if (lookBack != null) {
        lower = minus(lower, lookBack);
      }
    } else if (inc.start() != null) {
      try {
        lower = parse(kind, inc.start(), job.zone());
      } catch (IllegalArgumentException e) {
        throw new JobSpecException(
            spec.origin(),
            "incremental.start",
            "'" + inc.start() + "' is not a " + kind + " value: " + e.getMessage());
      }
      inclusive = true;
    }
    Object upper = reads.max().orElse(null);
    return new Range(
        inc.cursor(),
        kind.name(),
        lower == null ? null : format(lower),
        inclusive,
        upper == null ? null : format(upper));
  }

  /** Restricts the job's source to the range (a new run's or the one its record keeps). */
  static void apply(PreparedJob job, Range range) {
    CursorReads reads = reads(job);
    TypeKind kind = reads.kind();
    if (!kind.name().equals(range.kind())) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "the cursor column "
              + range.cursor()
              + " was "
              + range.kind()
              + " when the run started and is "
              + kind
              + " now; start the job again as a new run");
    }
    ZoneId zone = job.zone();
    Object lower = range.lower() == null ? null : parse(kind, range.lower(), zone);
    Object upper = range.upper() == null ? null : parse(kind, range.upper(), zone);
    if (upper == null && lower != null) {
      // No row had a cursor value when the run started: it reads nothing.
      reads.restrict(lower, false, lower);
    } else {
      reads.restrict(lower, range.lowerInclusive(), upper);
    }
    log.info("Run {}: incremental, reading the rows with {}", job.runKey(), range);
  }

  /**
   * After a successful run: its upper bound becomes the committed cursor, unless the stored one is
   * already past it (a later run committed first) or was set by hand after the run started.
   */
  static void commit(PreparedJob job, Range range, CheckpointStore store, Instant runStarted) {
    JobSpec spec = job.spec();
    if (range.upper() == null) {
      log.info("Run {}: no row had a cursor value; the cursor stays", job.runKey());
      return;
    }
    TypeKind kind = TypeKind.valueOf(range.kind());
    ZoneId zone = job.zone();
    Object upper = parse(kind, range.upper(), zone);
    Optional<CursorState> current = store.cursor(spec.cursorKey());
    if (current.isPresent()) {
      CursorState c = current.get();
      if (c.runKey() == null && c.updatedAt() != null && c.updatedAt().isAfter(runStarted)) {
        log.info(
            "Run {}: the cursor was set by hand to {} while the run ran; it stays",
            job.runKey(),
            c.value());
        return;
      }
      if (c.column().equalsIgnoreCase(range.cursor())) {
        try {
          if (compare(parse(kind, c.value(), zone), upper) >= 0 && c.runKey() != null) {
            log.info(
                "Run {}: the committed cursor {} is already past {}; it stays",
                job.runKey(),
                c.value(),
                range.upper());
            return;
          }
        } catch (IllegalArgumentException e) {
          // Not a value of the column: replaced.
        }
      }
    }
    store.saveCursor(
        new CursorState(
            spec.cursorKey(),
            range.cursor(),
            range.kind(),
            range.upper(),
            job.runKey(),
            Instant.now()));
    log.info("Run {}: committed cursor {} = {}", job.runKey(), range.cursor(), range.upper());
  }

  /**
   * Checks what a live validation can: the source reads past a cursor, the column fits, the
   * look-back and start parse, the sink keeps one row per key when rows are read again.
   */
  static void check(PreparedJob job) {
    JobSpec spec = job.spec();
    TypeKind kind = reads(job).kind();
    if (lookBack(spec, kind) != null && !job.sink().writesByKey()) {
      throw new JobSpecException(
          spec.origin(),
          "incremental.lookBack",
          "reads the rows of the look-back window again, and the "
              + spec.sink().connector()
              + " sink would add them a second time: write by key (a JDBC or MongoDB sink's writeMode:"
              + " upsert or replace), or leave lookBack out");
    }
    if (!job.sink().writesByKey()) {
      log.warn(
          "{}: the {} sink does not write by key: a row updated after an earlier run reached the"
              + " target is added again (append), not replaced",
          spec.origin(),
          spec.sink().connector());
    }
    if (spec.incremental().start() != null) {
      try {
        parse(kind, spec.incremental().start(), job.zone());
      } catch (IllegalArgumentException e) {
        throw new JobSpecException(
            spec.origin(),
            "incremental.start",
            "'" + spec.incremental().start() + "' is not a " + kind + " value: " + e.getMessage());
      }
    }
  }

  private static CursorReads reads(PreparedJob job) {
    JobSpec spec = job.spec();
    String column = spec.incremental().cursor();
    Optional<CursorReads> reads;
    try {
      reads = job.source().cursor(column);
    } catch (FerryException e) {
      if (e instanceof JobSpecException) {
        throw e;
      }
      String path = e.option() != null ? "source." + e.option() : "incremental.cursor";
      throw new JobSpecException(e.code(), spec.origin(), java.util.List.of(problem(path, e)));
    }
    return reads.orElseThrow(
        () ->
            new JobSpecException(
                spec.origin(),
                "incremental",
                "the "
                    + spec.source().connector()
                    + " source cannot read past a cursor column; incremental jobs read from a"
                    + " table of a JDBC database (MySQL, MariaDB, PostgreSQL, Oracle, SQL Server,"
                    + " generic JDBC)"));
  }

  private static JobSpecException.Problem problem(String path, FerryException e) {
    return new JobSpecException.Problem(path, e.getMessage());
  }

  /**
   * The job's look-back as a value to subtract: a {@link BigDecimal} for a numeric cursor, a {@link
   * Duration} for a temporal one; null for none.
   */
  private static Object lookBack(JobSpec spec, TypeKind kind) {
    String text = spec.incremental().lookBack();
    if (text == null || text.isEmpty()) {
      return null;
    }
    Object value;
    if (kind.isNumeric()) {
      BigDecimal n;
      try {
        n = new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw new JobSpecException(
            spec.origin(),
            "incremental.lookBack",
            "'"
                + text
                + "' is not a number: the cursor "
                + spec.incremental().cursor()
                + " is "
                + kind
                + ", so the look-back is how far back in its values a run starts");
      }
      if (n.signum() < 0 || (kind.isInteger() && n.stripTrailingZeros().scale() > 0)) {
        throw new JobSpecException(
            spec.origin(),
            "incremental.lookBack",
            "must be a non-negative " + (kind.isInteger() ? "whole number" : "number"));
      }
      value = n.signum() == 0 ? null : n;
    } else {
      Duration d;
      try {
        d = duration(text);
      } catch (IllegalArgumentException e) {
        throw new JobSpecException(
            spec.origin(),
            "incremental.lookBack",
            "'"
                + text
                + "' is not a duration such as 30s, 5m, 2h, 1d: the cursor "
                + spec.incremental().cursor()
                + " is "
                + kind);
      }
      value = d.isZero() ? null : d;
    }
    return value;
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT5M}). */
  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration d = Duration.parse(text.trim());
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
  }

  /**
   * A cursor value of {@code kind} from its text: a whole number for integer kinds, a number for
   * DECIMAL, {@code yyyy-MM-dd} for DATE, an ISO date-time (a space instead of the T is fine; a
   * date alone is its midnight) for TIMESTAMP, the same with an offset for TIMESTAMP_TZ (without
   * one, the job's zone).
   *
   * @throws IllegalArgumentException saying why the text does not parse
   */
  static Object parse(TypeKind kind, String text, ZoneId zone) {
    String t = text.trim();
    try {
      if (kind.isInteger()) {
        return Long.parseLong(t);
      }
      if (kind == TypeKind.DECIMAL) {
        return new BigDecimal(t);
      }
      if (kind == TypeKind.DATE) {
        return LocalDate.parse(t);
      }
      String iso =
          t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
      if (kind == TypeKind.TIMESTAMP) {
        return iso.length() == 10 ? LocalDate.parse(iso).atStartOfDay() : LocalDateTime.parse(iso);
      }
      if (kind == TypeKind.TIMESTAMP_TZ) {
        try {
          return OffsetDateTime.parse(iso);
        } catch (DateTimeParseException e) {
          LocalDateTime local =
              iso.length() == 10 ? LocalDate.parse(iso).atStartOfDay() : LocalDateTime.parse(iso);
          return local.atZone(zone).toOffsetDateTime();
        }
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          switch (kind) {
            case DATE -> "expected a date such as 2024-05-01";
            case TIMESTAMP -> "expected a date-time such as 2024-05-01 08:30:00";
            case TIMESTAMP_TZ -> "expected a date-time such as 2024-05-01T08:30:00+08:00";
            case DECIMAL -> "expected a number";
            default -> "expected a whole number";
          });
    }
    throw new IllegalArgumentException(kind + " cannot be a cursor");
  }

  /** The text of a cursor value, which {@link #parse} reads back. */
  static String format(Object value) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return Long.toString(((Number) value).longValue());
    }
    if (value instanceof java.math.BigInteger b) {
      return b.toString();
    }
    if (value instanceof LocalDate d) {
      return d.toString();
    }
    if (value instanceof LocalDateTime t) {
      return t.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }
    if (value instanceof OffsetDateTime t) {
      return t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
    throw new IllegalArgumentException(
        "a " + value.getClass().getSimpleName() + " cannot be a cursor value");
  }

  private static Object minus(Object value, Object lookBack) {
    if (value instanceof Long l) {
      long n = ((BigDecimal) lookBack).longValueExact();
      return l - n <= l ? l - n : Long.MIN_VALUE;
    }
    if (value instanceof BigDecimal d) {
      return d.subtract((BigDecimal) lookBack);
    }
    if (value instanceof LocalDate d) {
      Duration back = (Duration) lookBack;
      long days = back.toDays() + (back.minusDays(back.toDays()).isZero() ? 0 : 1);
      return d.minusDays(days);
    }
    if (value instanceof LocalDateTime t) {
      return t.minus((Duration) lookBack);
    }
    if (value instanceof OffsetDateTime t) {
      return t.minus((Duration) lookBack);
    }
    return value;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a instanceof OffsetDateTime x && b instanceof OffsetDateTime y) {
      return x.toInstant().compareTo(y.toInstant());
    }
    return ((Comparable) a).compareTo(b);
  }
}

package io.ferry.server.schedule.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ferry.server.i18n.Texts;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.quartz.CronExpression;
import tools.jackson.databind.json.JsonMapper;

/**
 * When and how a task runs, as the task's JSON stores it and the web UI edits it. Fields absent
 * from the JSON are null; every getter-like method below applies the documented default.
 *
 * <p>A {@code periodic} schedule fires on a {@code cycle}:
 *
 * <ul>
 *   <li>{@code minute}: every {@code interval} minutes (1-59); {@code mode} must be {@code
 *       interval} (or null);
 *   <li>{@code hour}: every {@code interval} hours (1-23) in mode {@code interval} (or null), or
 *       every hour at {@code minute} (0-59) in mode {@code at};
 *   <li>{@code day}, {@code week}, {@code month}: mode {@code at} (or null) at {@code time} ({@code
 *       HH:mm} or {@code HH:mm:ss}) on every day, on {@code weekdays} (1 = Monday … 7 = Sunday) or
 *       on {@code daysOfMonth} (1-31, or -1 alone for the last day of the month; a month without
 *       the day, such as the 31st in April, is skipped);
 *   <li>{@code cron}: a raw Quartz {@code cron} expression, with a seconds field.
 * </ul>
 *
 * Fields that do not belong to the chosen type, cycle and mode are ignored, not refused. A periodic
 * schedule fires only between {@code effectiveFrom} 00:00 and {@code effectiveTo} 23:59:59.999
 * (both inclusive, either open when null) in its time zone, and cannot be run by hand outside that
 * range either.
 *
 * <p>A {@code once} schedule runs at {@code runAt} (whole seconds), or when the task goes online if
 * {@code runAt} is null.
 *
 * <p>Times are read in {@code timeZone} (an IANA id), or in the server's zone when it is null; the
 * methods that need a zone take the server's.
 *
 * <p>Methods that compute from the schedule ({@link #cronExpression()}, {@link #timeout()}, and
 * {@link FireTimes}) require a schedule without {@link #validate() problems} and throw {@link
 * IllegalStateException} otherwise.
 *
 * @param type {@code periodic} or {@code once}
 * @param cycle {@code minute}, {@code hour}, {@code day}, {@code week}, {@code month} or {@code
 *     cron}
 * @param mode {@code interval} or {@code at}; null means interval for minute and hour cycles and at
 *     for the others
 * @param interval every N minutes (minute cycle) or hours (hour cycle)
 * @param minute the minute of the hour for an hour cycle in mode at
 * @param time the time of day for day, week and month cycles
 * @param weekdays 1 = Monday … 7 = Sunday, for a week cycle
 * @param daysOfMonth 1-31, or -1 for the last day of the month, for a month cycle
 * @param cron a Quartz cron expression for a cron cycle
 * @param effectiveFrom first day on which a periodic schedule fires; null for no limit
 * @param effectiveTo last day on which a periodic schedule fires; null for no limit
 * @param dependOnPrevious a cycle's instance waits until the previous cycle's instance ended
 *     (successfully or not)
 * @param offlineOnFailure take the task offline when an instance fails
 * @param runOnOnline run once right away when the task goes online
 * @param runAt when a once schedule runs; null for "when the task goes online"
 * @param timeoutMinutes null for the default rule of {@link #timeout()}
 * @param retries 0-10 retries of a failed instance (null = 0); needs {@code idempotent}
 * @param retryDelaySeconds pause before a retry (null = 60)
 * @param idempotent the task may run again over the same data without duplicating rows
 * @param cpuCores CPU cores an instance needs (null = 2)
 * @param memoryMb memory in MB an instance needs (null = 1024)
 * @param upstreamTaskIds tasks whose instance of the same cycle must have succeeded first
 * @param timeZone IANA time zone id; null for the server's zone
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Schedule(
    String type,
    String cycle,
    String mode,
    Integer interval,
    Integer minute,
    String time,
    List<Integer> weekdays,
    List<Integer> daysOfMonth,
    String cron,
    @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDate effectiveFrom,
    @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDate effectiveTo,
    Boolean dependOnPrevious,
    Boolean offlineOnFailure,
    Boolean runOnOnline,
    @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDateTime runAt,
    Integer timeoutMinutes,
    Integer retries,
    Integer retryDelaySeconds,
    Boolean idempotent,
    Integer cpuCores,
    Integer memoryMb,
    List<Long> upstreamTaskIds,
    String timeZone) {

  public static final String PERIODIC = "periodic";
  public static final String ONCE = "once";
  public static final String INTERVAL = "interval";
  public static final String AT = "at";

  public static final int MAX_RETRIES = 10;
  public static final int DEFAULT_RETRY_DELAY_SECONDS = 60;
  public static final int MAX_RETRY_DELAY_SECONDS = 86_400;
  public static final int DEFAULT_CPU_CORES = 2;
  public static final int MAX_CPU_CORES = 256;
  public static final int DEFAULT_MEMORY_MB = 1024;
  public static final int MIN_MEMORY_MB = 64;
  public static final int MAX_MEMORY_MB = 1_048_576;

  /** The default timeout of timed cycles and once schedules. */
  private static final Duration DAY = Duration.ofHours(24);

  /**
   * Where the gap of a cron cycle is measured for its default timeout: fixed, so that the timeout
   * does not change with the moment it is asked (a Saturday, midnight UTC).
   */
  private static final Instant CRON_GAP_REFERENCE = Instant.parse("2000-01-01T00:00:00Z");

  private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}(:\\d{2})?");
  private static final DateTimeFormatter RUN_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

  /** A rule the schedule breaks: the JSON field at fault, and what is wrong and what is allowed. */
  public record Problem(String field, String message) {}

  /** The periodic cycles; the JSON holds their names in lower case. */
  private enum Cycle {
    MINUTE("a minute cycle"),
    HOUR("an hour cycle"),
    DAY("a day cycle"),
    WEEK("a week cycle"),
    MONTH("a month cycle"),
    CRON("a cron cycle");

    final String label;

    Cycle(String label) {
      this.label = label;
    }

    static Optional<Cycle> of(String json) {
      return Arrays.stream(values()).filter(c -> c.json().equals(json)).findFirst();
    }

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    static String choices() {
      return Arrays.stream(values()).map(Cycle::json).collect(Collectors.joining(", "));
    }
  }

  /** Lists are copied unmodifiable; null elements are kept for {@link #validate()} to report. */
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A schedule as the task's JSON stores it. */
  public static Schedule fromJson(String json) {
    return JSON.readValue(json, Schedule.class);
  }

  public Schedule {
    weekdays = copy(weekdays);
    daysOfMonth = copy(daysOfMonth);
    upstreamTaskIds = copy(upstreamTaskIds);
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
  }

  // ---------------------------------------------------------------------------------- validation

  /**
   * Every rule this schedule breaks, each naming its JSON field; empty when the schedule is valid.
   */
  public List<Problem> validate() {
    List<Problem> problems = new ArrayList<>();
    if (type == null) {
      problems.add(new Problem("type", "type is required: periodic or once"));
    } else if (PERIODIC.equals(type)) {
      validatePeriodic(problems);
    } else if (ONCE.equals(type)) {
      if (runAt != null && runAt.getNano() != 0) {
        problems.add(new Problem("runAt", "runAt must be whole seconds, was " + runAt));
      }
    } else {
      problems.add(new Problem("type", "type must be periodic or once, was '" + type + "'"));
    }
    validateCommon(problems);
    return problems;
  }

  private void validatePeriodic(List<Problem> problems) {
    Optional<Cycle> known = Cycle.of(cycle);
    if (cycle == null) {
      problems.add(
          new Problem("cycle", "cycle is required for a periodic schedule: " + Cycle.choices()));
    } else if (known.isEmpty()) {
      problems.add(
          new Problem(
              "cycle", "cycle must be one of " + Cycle.choices() + ", was '" + cycle + "'"));
    } else {
      validateCycle(known.get(), problems);
    }
    if (effectiveFrom != null && effectiveTo != null && effectiveTo.isBefore(effectiveFrom)) {
      problems.add(
          new Problem(
              "effectiveTo",
              "effectiveTo must be on or after effectiveFrom ("
                  + effectiveFrom
                  + "), was "
                  + effectiveTo));
    }
  }

  private void validateCycle(Cycle c, List<Problem> problems) {
    if (c != Cycle.CRON && mode != null && !INTERVAL.equals(mode) && !AT.equals(mode)) {
      problems.add(new Problem("mode", "mode must be interval or at, was '" + mode + "'"));
      return;
    }
    switch (c) {
      case MINUTE -> {
        if (AT.equals(mode)) {
          problems.add(
              new Problem(
                  "mode", "mode must be interval for a minute cycle (every N minutes), was at"));
        } else {
          requireRange(problems, "interval", interval, 1, 59, " minutes", c.label);
        }
      }
      case HOUR -> {
        if (AT.equals(mode)) {
          requireRange(problems, "minute", minute, 0, 59, " (minute of the hour)", c.label);
        } else {
          requireRange(problems, "interval", interval, 1, 23, " hours", c.label);
        }
      }
      case DAY, WEEK, MONTH -> {
        if (INTERVAL.equals(mode)) {
          problems.add(
              new Problem(
                  "mode", "mode must be at for " + c.label + " (a time of day), was interval"));
        }
        validateTime(c, problems);
        if (c == Cycle.WEEK) {
          validateWeekdays(problems);
        } else if (c == Cycle.MONTH) {
          validateDaysOfMonth(problems);
        }
      }
      case CRON -> validateCron(problems);
    }
  }

  private void validateTime(Cycle c, List<Problem> problems) {
    if (time == null) {
      problems.add(new Problem("time", "time is required for " + c.label + ": HH:mm or HH:mm:ss"));
    } else if (timeOfDay().isEmpty()) {
      problems.add(
          new Problem(
              "time", "time must be HH:mm or HH:mm:ss, 00:00 to 23:59:59, was '" + time + "'"));
    }
  }

  private void validateWeekdays(List<Problem> problems) {
    if (weekdays == null || weekdays.isEmpty()) {
      problems.add(
          new Problem(
              "weekdays",
              "weekdays is required for a week cycle: at least one of 1 (Monday) to 7 (Sunday)"));
      return;
    }
    for (Integer day : weekdays) {
      if (day == null || day < 1 || day > 7) {
        problems.add(
            new Problem("weekdays", "weekdays must be 1 (Monday) to 7 (Sunday), was " + day));
      }
    }
  }

  private void validateDaysOfMonth(List<Problem> problems) {
    if (daysOfMonth == null || daysOfMonth.isEmpty()) {
      problems.add(
          new Problem(
              "daysOfMonth",
              "daysOfMonth is required for a month cycle: at least one of 1-31, or -1 for the"
                  + " last day of the month"));
      return;
    }
    for (Integer day : daysOfMonth) {
      if (day == null || day == 0 || day < -1 || day > 31) {
        problems.add(
            new Problem(
                "daysOfMonth",
                "daysOfMonth must be 1-31, or -1 for the last day of the month, was " + day));
      }
    }
    if (daysOfMonth.contains(-1) && daysOfMonth.stream().distinct().count() > 1) {
      problems.add(
          new Problem(
              "daysOfMonth",
              "daysOfMonth: -1 (the last day of the month) cannot be combined with other days,"
                  + " was "
                  + daysOfMonth));
    }
  }

  private void validateCron(List<Problem> problems) {
    if (cron == null || cron.isBlank()) {
      problems.add(
          new Problem(
              "cron",
              "cron is required for a cron cycle: a Quartz expression with seconds, such as"
                  + " 0 0/5 * * * ?"));
      return;
    }
    try {
      CronExpression.validateExpression(cron.trim());
    } catch (ParseException e) {
      problems.add(
          new Problem(
              "cron",
              "cron must be a Quartz expression (seconds minutes hours day-of-month month"
                  + " day-of-week [year], such as 0 0/5 * * * ?), '"
                  + cron
                  + "' is not: "
                  + e.getMessage()));
    }
  }

  private void validateCommon(List<Problem> problems) {
    if (timeZone != null) {
      try {
        ZoneId.of(timeZone);
      } catch (DateTimeException e) {
        problems.add(
            new Problem(
                "timeZone",
                "timeZone must be an IANA time zone id such as Asia/Shanghai or Europe/Berlin,"
                    + " was '"
                    + timeZone
                    + "'"));
      }
    }
    if (timeoutMinutes != null && timeoutMinutes < 1) {
      problems.add(
          new Problem(
              "timeoutMinutes",
              "timeoutMinutes must be at least 1 (or absent for the default), was "
                  + timeoutMinutes));
    }
    range(problems, "retries", retries, 0, MAX_RETRIES, "");
    if (retriesOrDefault() > 0 && !Boolean.TRUE.equals(idempotent)) {
      problems.add(
          new Problem(
              "retries",
              "retries need idempotent = true, since only an idempotent task can run again"
                  + " without duplicating rows: mark the task idempotent or use 0 retries, was "
                  + retries));
    }
    range(problems, "retryDelaySeconds", retryDelaySeconds, 0, MAX_RETRY_DELAY_SECONDS, " seconds");
    range(problems, "cpuCores", cpuCores, 1, MAX_CPU_CORES, "");
    range(problems, "memoryMb", memoryMb, MIN_MEMORY_MB, MAX_MEMORY_MB, " MB");
    if (upstreamTaskIds != null) {
      for (Long id : upstreamTaskIds) {
        if (id == null || id < 1) {
          problems.add(
              new Problem(
                  "upstreamTaskIds", "upstreamTaskIds must hold task ids (1 or more), was " + id));
        }
      }
    }
  }

  /** A field the cycle needs: present and within [min, max]. */
  private static void requireRange(
      List<Problem> problems,
      String field,
      Integer value,
      int min,
      int max,
      String unit,
      String cycleLabel) {
    if (value == null) {
      problems.add(
          new Problem(
              field,
              String.format("%s is required for %s: %d-%d%s", field, cycleLabel, min, max, unit)));
    } else if (value < min || value > max) {
      problems.add(
          new Problem(
              field,
              String.format(
                  "%s must be %d-%d%s for %s, was %d", field, min, max, unit, cycleLabel, value)));
    }
  }

  /** An optional field: absent, or within [min, max]. */
  private static void range(
      List<Problem> problems, String field, Integer value, int min, int max, String unit) {
    if (value != null && (value < min || value > max)) {
      problems.add(
          new Problem(field, field + " must be " + min + "-" + max + unit + ", was " + value));
    }
  }

  /**
   * Guards the computations, which assume a valid schedule.
   *
   * @throws IllegalStateException naming every problem when the schedule is not valid
   */
  void requireValid() {
    List<Problem> problems = validate();
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "invalid schedule: "
              + problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
    }
  }

  // ------------------------------------------------------------------------------- computations

  /**
   * The Quartz cron expression (with a seconds field) of a periodic schedule, to be evaluated in
   * {@link #zone(ZoneId)}:
   *
   * <ul>
   *   <li>minute, every N: {@code 0 0/N * * * ?}; hour, every N: {@code 0 0 0/N * * ?}; hour at
   *       minute M: {@code 0 M * * * ?};
   *   <li>day at H:m:s: {@code s m H * * ?}; week: {@code s m H ? * MON,WED}; month: {@code s m H
   *       1,15 * ?}, or {@code s m H L * ?} for the last day;
   *   <li>cron: the expression, trimmed.
   * </ul>
   *
   * An interval that does not divide the hour (minutes) or the day (hours) evenly restarts at the
   * top of each hour or day, as Quartz's {@code 0/N} does: every 7 minutes fires at :00, :07 … :56,
   * then :00 again (a 4-minute gap); every 5 hours at 00, 05, 10, 15, 20, then 00.
   *
   * <p>Named {@code cronExpression} because the accessor {@code cron()} returns the raw field.
   *
   * @throws IllegalStateException for a once schedule or an invalid schedule
   */
  public String cronExpression() {
    requireValid();
    if (isOnce()) {
      throw new IllegalStateException("a once schedule has no cron expression");
    }
    return switch (cycleKind()) {
      case MINUTE -> "0 0/" + interval + " * * * ?";
      case HOUR -> AT.equals(mode) ? "0 " + minute + " * * * ?" : "0 0 0/" + interval + " * * ?";
      case DAY -> timeFields() + " * * ?";
      case WEEK -> timeFields() + " ? * " + weekdayList(d -> d.name().substring(0, 3), ",");
      case MONTH -> timeFields() + " " + (lastDayOfMonth() ? "L" : dayList(",")) + " * ?";
      case CRON -> cron.trim();
    };
  }

  /**
   * How long an instance may run before it is stopped: {@code timeoutMinutes} when set; otherwise 3
   * × the interval for minute and hour cycles (an hour cycle at a fixed minute counts as every
   * hour), 3 × the gap between the first two fire times after a fixed instant for a cron cycle (24
   * h if it fires less than twice after it), and 24 h for day, week and month cycles and for once
   * schedules.
   *
   * @throws IllegalStateException for an invalid schedule
   */
  public Duration timeout() {
    requireValid();
    if (timeoutMinutes != null) {
      return Duration.ofMinutes(timeoutMinutes);
    }
    if (isOnce()) {
      return DAY;
    }
    return switch (cycleKind()) {
      case MINUTE -> Duration.ofMinutes(3L * interval);
      case HOUR -> Duration.ofHours(3L * (AT.equals(mode) ? 1 : interval));
      case DAY, WEEK, MONTH -> DAY;
      case CRON -> cronGap().map(gap -> gap.multipliedBy(3)).orElse(DAY);
    };
  }

  private Optional<Duration> cronGap() {
    CronExpression quartz = FireTimes.quartz(cron.trim(), ZoneOffset.UTC);
    Date first = quartz.getNextValidTimeAfter(Date.from(CRON_GAP_REFERENCE));
    Date second = first == null ? null : quartz.getNextValidTimeAfter(first);
    return second == null
        ? Optional.empty()
        : Optional.of(Duration.between(first.toInstant(), second.toInstant()));
  }

  /**
   * The zone the schedule's times are read in.
   *
   * @throws DateTimeException when {@code timeZone} is not a valid id
   */
  public ZoneId zone(ZoneId serverZone) {
    return timeZone == null ? serverZone : ZoneId.of(timeZone);
  }

  @JsonIgnore
  public boolean isOnce() {
    return ONCE.equals(type);
  }

  public boolean dependsOnPrevious() {
    return Boolean.TRUE.equals(dependOnPrevious);
  }

  public boolean offlinesOnFailure() {
    return Boolean.TRUE.equals(offlineOnFailure);
  }

  public boolean runsOnOnline() {
    return Boolean.TRUE.equals(runOnOnline);
  }

  public int retriesOrDefault() {
    return retries == null ? 0 : retries;
  }

  public Duration retryDelay() {
    return Duration.ofSeconds(
        retryDelaySeconds == null ? DEFAULT_RETRY_DELAY_SECONDS : retryDelaySeconds);
  }

  public int cpuCoresOrDefault() {
    return cpuCores == null ? DEFAULT_CPU_CORES : cpuCores;
  }

  public int memoryMbOrDefault() {
    return memoryMb == null ? DEFAULT_MEMORY_MB : memoryMb;
  }

  /** The English summary: {@link #describe(Locale)} in English. */
  public String describe() {
    return describe(Locale.ENGLISH);
  }

  /**
   * A short summary for lists, in English or (for any Chinese locale) Simplified Chinese: {@code
   * every 5 minutes}, {@code hourly at minute 15}, {@code daily at 02:30}, {@code weekly on Mon,
   * Wed at 02:30}, {@code monthly on day 1, 15 at 02:30}, {@code monthly on the last day at 02:30},
   * {@code cron 0/5 * * * * ?}, {@code once at 2026-11-25 10:00:00}, {@code once when online};
   * followed by the zone in parentheses when {@code timeZone} is set ({@code 每周一、三 02:30} in
   * Chinese). Never throws: an invalid schedule reads {@code invalid schedule: } and its first
   * problem (the problem itself in English).
   */
  public String describe(Locale locale) {
    ResourceBundle texts = texts(locale);
    List<Problem> problems = validate();
    if (!problems.isEmpty()) {
      return text(texts, "invalid", problems.get(0).message());
    }
    String separator = texts.getString("separator");
    String summary;
    if (isOnce()) {
      summary =
          runAt == null
              ? texts.getString("onceWhenOnline")
              : text(texts, "onceAt", runAt.format(RUN_AT));
    } else {
      summary =
          switch (cycleKind()) {
            case MINUTE ->
                interval == 1
                    ? texts.getString("everyMinute")
                    : text(texts, "everyMinutes", interval);
            case HOUR ->
                AT.equals(mode)
                    ? text(texts, "hourlyAt", minute)
                    : interval == 1
                        ? texts.getString("everyHour")
                        : text(texts, "everyHours", interval);
            case DAY -> text(texts, "daily", clock());
            case WEEK ->
                text(
                    texts,
                    "weekly",
                    weekdayList(d -> texts.getString("weekday." + d.getValue()), separator),
                    clock());
            case MONTH ->
                lastDayOfMonth()
                    ? text(texts, "monthlyLastDay", clock())
                    : text(texts, "monthly", dayList(separator), clock());
            case CRON -> text(texts, "cron", cron.trim());
          };
    }
    return timeZone == null ? summary : text(texts, "inZone", summary, timeZone);
  }

  /** The summaries' texts: English, or Simplified Chinese for a Chinese locale. */
  private static ResourceBundle texts(Locale locale) {
    return Texts.bundle("io.ferry.server.schedule.ScheduleTexts", locale);
  }

  private static String text(ResourceBundle texts, String key, Object... values) {
    return Texts.format(texts, key, values);
  }

  // ------------------------------------------------------------------ helpers of valid schedules

  private Cycle cycleKind() {
    return Cycle.of(cycle).orElseThrow();
  }

  private Optional<LocalTime> timeOfDay() {
    if (time == null || !TIME.matcher(time).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalTime.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** "s m H", the first three fields of a cron expression at {@code time}. */
  private String timeFields() {
    LocalTime t = timeOfDay().orElseThrow();
    return t.getSecond() + " " + t.getMinute() + " " + t.getHour();
  }

  /** {@code HH:mm}, or {@code HH:mm:ss} when the time has seconds. */
  private String clock() {
    LocalTime t = timeOfDay().orElseThrow();
    return t.format(DateTimeFormatter.ofPattern(t.getSecond() == 0 ? "HH:mm" : "HH:mm:ss"));
  }

  private String weekdayList(Function<DayOfWeek, String> name, String sep) {
    return weekdays.stream()
        .sorted()
        .distinct()
        .map(DayOfWeek::of)
        .map(name)
        .collect(Collectors.joining(sep));
  }

  private boolean lastDayOfMonth() {
    return daysOfMonth.contains(-1);
  }

  private String dayList(String sep) {
    return daysOfMonth.stream()
        .sorted()
        .distinct()
        .map(String::valueOf)
        .collect(Collectors.joining(sep));
  }
}

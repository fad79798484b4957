package io.ferry.server.schedule.model;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.quartz.CronExpression;

/**
 * The planned fire times of a {@link Schedule}: what the Quartz trigger built from {@link
 * Schedule#cronExpression()} in {@link Schedule#zone(ZoneId)} fires, limited to the schedule's
 * effective range. Fire times are whole seconds, returned in the schedule's zone.
 *
 * <p>Around daylight-saving changes this is Quartz's behaviour, whatever one would expect: a time
 * of day that does not exist on the day clocks go forward (02:30 in Europe/Berlin on 2026-03-29)
 * does not fire that day, and a time of day that exists twice when they go back fires once.
 *
 * <p>Every method throws {@link IllegalStateException} for a schedule that does not {@link
 * Schedule#validate() validate}.
 */
public final class FireTimes {
  private FireTimes() {}

  /**
   * The next {@code count} fire times strictly after {@code after}, fewer when the effective range
   * ends first. A once schedule fires at {@code runAt} if that is after {@code after}, and never
   * when it runs on going online ({@code runAt} null).
   *
   * @param serverZone the zone of a schedule without {@code timeZone}
   */
  public static List<ZonedDateTime> next(Schedule s, Instant after, int count, ZoneId serverZone) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be 0 or more, was " + count);
    }
    return planned(s, after, serverZone).limit(count).toList();
  }

  /**
   * Every fire time from {@code fromInclusive} to {@code toInclusive}, for a backfill; empty when
   * {@code fromInclusive} is after {@code toInclusive}.
   *
   * @throws IllegalArgumentException when there are more than {@code max}
   */
  public static List<ZonedDateTime> between(
      Schedule s, Instant fromInclusive, Instant toInclusive, ZoneId serverZone, int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be 0 or more, was " + max);
    }
    // Quartz works in whole milliseconds and fires on whole seconds: the first fire time after
    // one nanosecond before `fromInclusive` is the first one at or after it.
    List<ZonedDateTime> times =
        planned(s, fromInclusive.minusNanos(1), serverZone)
            .takeWhile(t -> !t.toInstant().isAfter(toInclusive))
            .limit(max + 1L)
            .toList();
    if (times.size() > max) {
      throw new IllegalArgumentException(
          "more than "
              + max
              + " fire times (the limit) between "
              + fromInclusive
              + " and "
              + toInclusive
              + ": choose a shorter range");
    }
    return times;
  }

  /**
   * Whether {@code t} lies in the schedule's effective range (from {@code effectiveFrom} 00:00 to
   * {@code effectiveTo} 23:59:59.999 in its zone); always true for a once schedule. Outside it, a
   * periodic task neither fires nor can be run by hand.
   */
  public static boolean inEffectiveRange(Schedule s, Instant t, ZoneId serverZone) {
    s.requireValid();
    if (s.isOnce()) {
      return true;
    }
    ZoneId zone = s.zone(serverZone);
    return !t.isBefore(start(s, zone)) && (s.effectiveTo() == null || t.isBefore(end(s, zone)));
  }

  /** The fire times strictly after {@code after}, lazily, in the schedule's zone. */
  private static Stream<ZonedDateTime> planned(Schedule s, Instant after, ZoneId serverZone) {
    s.requireValid();
    ZoneId zone = s.zone(Objects.requireNonNull(serverZone, "serverZone"));
    if (s.isOnce()) {
      return Stream.ofNullable(s.runAt())
          .map(runAt -> runAt.atZone(zone))
          .filter(t -> t.toInstant().isAfter(after));
    }
    CronExpression cron = quartz(s.cronExpression(), zone);
    // The first fire time may be effectiveFrom 00:00 itself.
    Instant from = s.effectiveFrom() == null ? after : latest(after, start(s, zone).minusNanos(1));
    Instant end = s.effectiveTo() == null ? null : end(s, zone);
    return Stream.iterate(
            cron.getNextValidTimeAfter(Date.from(from)),
            d -> d != null && (end == null || d.toInstant().isBefore(end)),
            cron::getNextValidTimeAfter)
        .map(d -> d.toInstant().atZone(zone));
  }

  /** The first instant of the effective range; {@link Instant#MIN} when open. */
  private static Instant start(Schedule s, ZoneId zone) {
    return s.effectiveFrom() == null
        ? Instant.MIN
        : s.effectiveFrom().atStartOfDay(zone).toInstant();
  }

  /** The first instant after the effective range (exclusive); only when it is closed. */
  private static Instant end(Schedule s, ZoneId zone) {
    return s.effectiveTo().plusDays(1).atStartOfDay(zone).toInstant();
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** A Quartz cron expression evaluated in {@code zone}; the expression is known to be valid. */
  static CronExpression quartz(String expression, ZoneId zone) {
    try {
      CronExpression cron = new CronExpression(expression);
      cron.setTimeZone(TimeZone.getTimeZone(zone));
      return cron;
    } catch (ParseException e) {
      throw new IllegalStateException("invalid cron expression " + expression, e);
    }
  }
}

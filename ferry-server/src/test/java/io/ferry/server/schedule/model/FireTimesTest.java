package io.ferry.server.schedule.model;

import static io.ferry.server.schedule.model.Schedules.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class FireTimesTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** An instant given as Berlin wall-clock time. */
  private static Instant berlin(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
  }

  /** The next {@code count} fire times after a Berlin wall-clock time, as ISO offset strings. */
  private static List<String> next(String json, String after, int count) {
    return FireTimes.next(parse(json), berlin(after), count, BERLIN).stream()
        .map(t -> t.toOffsetDateTime().toString())
        .toList();
  }

  @Test
  void minuteIntervalsCrossTheMonthAndRestartEachHour() {
    assertThat(next("{type: 'periodic', cycle: 'minute', interval: 25}", "2026-01-31T23:30", 4))
        .containsExactly(
            "2026-01-31T23:50+01:00",
            "2026-02-01T00:00+01:00",
            "2026-02-01T00:25+01:00",
            "2026-02-01T00:50+01:00");
  }

  @Test
  void hourIntervalsCrossTheMonthAndRestartEachDay() {
    assertThat(next("{type: 'periodic', cycle: 'hour', interval: 5}", "2026-04-30T19:00", 3))
        .containsExactly(
            "2026-04-30T20:00+02:00", "2026-05-01T00:00+02:00", "2026-05-01T05:00+02:00");
  }

  @Test
  void hourlyAtAMinuteCrossesTheMonth() {
    assertThat(
            next(
                "{type: 'periodic', cycle: 'hour', mode: 'at', minute: 15}", "2026-01-31T22:30", 2))
        .containsExactly("2026-01-31T23:15+01:00", "2026-02-01T00:15+01:00");
  }

  @Test
  void dailyCrossesTheMonth() {
    assertThat(next("{type: 'periodic', cycle: 'day', time: '01:00:30'}", "2026-04-29T12:00", 3))
        .containsExactly(
            "2026-04-30T01:00:30+02:00", "2026-05-01T01:00:30+02:00", "2026-05-02T01:00:30+02:00");
  }

  @Test
  void weeklyCrossesTheMonthOnTheChosenDays() {
    // 2026-01-28 is a Wednesday
    assertThat(
            next(
                "{type: 'periodic', cycle: 'week', time: '02:30', weekdays: [3, 1]}",
                "2026-01-28T12:00",
                3))
        .containsExactly(
            "2026-02-02T02:30+01:00", "2026-02-04T02:30+01:00", "2026-02-09T02:30+01:00");
  }

  @Test
  void monthlySkipsMonthsWithoutTheDay() {
    assertThat(
            next(
                "{type: 'periodic', cycle: 'month', time: '02:30', daysOfMonth: [31, 1]}",
                "2026-01-15T00:00",
                4))
        .containsExactly(
            "2026-01-31T02:30+01:00",
            "2026-02-01T02:30+01:00",
            "2026-03-01T02:30+01:00",
            "2026-03-31T02:30+02:00");
  }

  @Test
  void monthlyOnTheLastDayFollowsTheMonthLength() {
    assertThat(
            next(
                "{type: 'periodic', cycle: 'month', time: '02:30', daysOfMonth: [-1]}",
                "2026-01-15T00:00",
                4))
        .containsExactly(
            "2026-01-31T02:30+01:00",
            "2026-02-28T02:30+01:00",
            "2026-03-31T02:30+02:00",
            "2026-04-30T02:30+02:00");
  }

  @Test
  void cronFiresToTheSecondAcrossTheMonth() {
    assertThat(
            next(
                "{type: 'periodic', cycle: 'cron', cron: '0/5 * * * * ?'}",
                "2026-01-31T23:59:52",
                3))
        .containsExactly(
            "2026-01-31T23:59:55+01:00", "2026-02-01T00:00+01:00", "2026-02-01T00:00:05+01:00");
  }

  @Test
  void isStrictlyAfterTheGivenInstant() {
    assertThat(next("{type: 'periodic', cycle: 'minute', interval: 5}", "2026-01-01T10:05", 1))
        .containsExactly("2026-01-01T10:10+01:00");
    assertThat(
            next("{type: 'periodic', cycle: 'minute', interval: 5}", "2026-01-01T10:04:59.999", 1))
        .containsExactly("2026-01-01T10:05+01:00");
  }

  @Test
  void intervalsRunOnWhenClocksGoForward() {
    // 2026-03-29 in Berlin: 02:00 CET becomes 03:00 CEST.
    assertThat(next("{type: 'periodic', cycle: 'minute', interval: 30}", "2026-03-29T01:10", 3))
        .containsExactly(
            "2026-03-29T01:30+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00");
    assertThat(next("{type: 'periodic', cycle: 'hour', interval: 1}", "2026-03-29T00:30", 3))
        .containsExactly(
            "2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00", "2026-03-29T04:00+02:00");
  }

  @Test
  void aTimeOfDayThatDoesNotExistWhenClocksGoForwardIsSkippedThatDay() {
    // Quartz's behaviour, and so the scheduler's: 02:30 does not exist in Berlin on 2026-03-29.
    assertThat(next("{type: 'periodic', cycle: 'day', time: '02:30'}", "2026-03-27T12:00", 3))
        .containsExactly(
            "2026-03-28T02:30+01:00", "2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00");
  }

  @Test
  void aTimeOfDayThatExistsTwiceWhenClocksGoBackFiresOnce() {
    // 2026-10-25 in Berlin: 03:00 CEST becomes 02:00 CET; Quartz takes the second 02:30.
    assertThat(next("{type: 'periodic', cycle: 'day', time: '02:30'}", "2026-10-24T12:00", 2))
        .containsExactly("2026-10-25T02:30+01:00", "2026-10-26T02:30+01:00");
  }

  @Test
  void quartzSkipsTheFirstPassOfTheRepeatedHourWhenClocksGoBack() {
    // A known Quartz limitation, pinned so that a Quartz upgrade that fixes it is noticed:
    // after 01:40 CEST, 02:00 and 02:30 CEST are skipped and the next fire is 02:00 CET.
    assertThat(next("{type: 'periodic', cycle: 'minute', interval: 30}", "2026-10-25T01:40", 2))
        .containsExactly("2026-10-25T02:00+01:00", "2026-10-25T02:30+01:00");
  }

  @Test
  void firesOnlyInTheEffectiveRangeAndStopsAtItsEnd() {
    String ranged =
        "{type: 'periodic', cycle: 'day', time: '02:30',"
            + " effectiveFrom: '2026-02-01', effectiveTo: '2026-02-03'}";
    assertThat(next(ranged, "2026-01-01T00:00", 10))
        .containsExactly(
            "2026-02-01T02:30+01:00", "2026-02-02T02:30+01:00", "2026-02-03T02:30+01:00");
    assertThat(next(ranged, "2026-02-02T12:00", 10)).containsExactly("2026-02-03T02:30+01:00");
    assertThat(next(ranged, "2026-02-03T12:00", 10)).isEmpty();
  }

  @Test
  void theEffectiveRangeIncludesBothWholeDays() {
    String edges =
        "{type: 'periodic', cycle: 'cron', cron: '0 0 0,12 * * ?',"
            + " effectiveFrom: '2026-02-01', effectiveTo: '2026-02-02'}";
    assertThat(next(edges, "2026-01-01T00:00", 10))
        .containsExactly(
            "2026-02-01T00:00+01:00",
            "2026-02-01T12:00+01:00",
            "2026-02-02T00:00+01:00",
            "2026-02-02T12:00+01:00");
    String lastSecond =
        "{type: 'periodic', cycle: 'cron', cron: '59 59 23 * * ?', effectiveTo: '2026-02-02'}";
    assertThat(next(lastSecond, "2026-02-01T12:00", 10))
        .containsExactly("2026-02-01T23:59:59+01:00", "2026-02-02T23:59:59+01:00");
  }

  @Test
  void readsTheEffectiveRangeAndTimesInTheScheduleZone() {
    Schedule shanghai =
        parse(
            "{type: 'periodic', cycle: 'day', time: '00:30', timeZone: 'Asia/Shanghai',"
                + " effectiveFrom: '2026-02-01'}");
    assertThat(FireTimes.next(shanghai, Instant.parse("2026-01-01T00:00:00Z"), 1, ZoneOffset.UTC))
        .containsExactly(ZonedDateTime.parse("2026-02-01T00:30+08:00[Asia/Shanghai]"));
  }

  @Test
  void tellsWhetherAnInstantIsInTheEffectiveRange() {
    Schedule ranged =
        parse(
            "{type: 'periodic', cycle: 'minute', interval: 5,"
                + " effectiveFrom: '2026-02-01', effectiveTo: '2026-02-03'}");
    Instant start = berlin("2026-02-01T00:00");
    Instant end = berlin("2026-02-04T00:00");
    assertThat(FireTimes.inEffectiveRange(ranged, start.minusNanos(1), BERLIN)).isFalse();
    assertThat(FireTimes.inEffectiveRange(ranged, start, BERLIN)).isTrue();
    assertThat(FireTimes.inEffectiveRange(ranged, end.minusMillis(1), BERLIN)).isTrue();
    assertThat(FireTimes.inEffectiveRange(ranged, end, BERLIN)).isFalse();
    // the same instant is still 2026-01-31 in UTC
    assertThat(FireTimes.inEffectiveRange(ranged, start, ZoneOffset.UTC)).isFalse();
    Schedule open = parse("{type: 'periodic', cycle: 'minute', interval: 5}");
    assertThat(FireTimes.inEffectiveRange(open, Instant.EPOCH, BERLIN)).isTrue();
    assertThat(FireTimes.inEffectiveRange(parse("{type: 'once'}"), Instant.EPOCH, BERLIN)).isTrue();
  }

  @Test
  void aOnceScheduleFiresAtItsTimeOnlyOrNeverWhenItRunsOnGoingOnline() {
    Schedule once = parse("{type: 'once', runAt: '2026-11-25T10:00:05'}");
    Instant runAt = berlin("2026-11-25T10:00:05");
    assertThat(FireTimes.next(once, runAt.minusSeconds(1), 5, BERLIN))
        .containsExactly(ZonedDateTime.of(2026, 11, 25, 10, 0, 5, 0, BERLIN));
    assertThat(FireTimes.next(once, runAt, 5, BERLIN)).isEmpty();
    assertThat(FireTimes.next(parse("{type: 'once'}"), Instant.EPOCH, 5, BERLIN)).isEmpty();
  }

  @Test
  void listsTheFireTimesOfARangeForABackfill() {
    Schedule daily = parse("{type: 'periodic', cycle: 'day', time: '02:30'}");
    Instant from = berlin("2026-02-01T02:30");
    Instant to = berlin("2026-02-03T02:30");
    assertThat(FireTimes.between(daily, from, to, BERLIN, 3))
        .extracting(t -> t.toLocalDate().toString())
        .containsExactly("2026-02-01", "2026-02-02", "2026-02-03");
    assertThat(FireTimes.between(daily, from.plusMillis(1), to.minusMillis(1), BERLIN, 3))
        .extracting(t -> t.toLocalDate().toString())
        .containsExactly("2026-02-02");
    assertThat(FireTimes.between(daily, to, from, BERLIN, 3)).isEmpty();
    assertThatThrownBy(() -> FireTimes.between(daily, from, to, BERLIN, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 2 fire times (the limit)");
    Schedule once = parse("{type: 'once', runAt: '2026-02-02T00:00:00'}");
    assertThat(FireTimes.between(once, from, to, BERLIN, 1)).hasSize(1);
  }

  @Test
  void refusesNegativeCountsAndInvalidSchedules() {
    Schedule daily = parse("{type: 'periodic', cycle: 'day', time: '02:30'}");
    assertThat(FireTimes.next(daily, Instant.EPOCH, 0, BERLIN)).isEmpty();
    assertThatThrownBy(() -> FireTimes.next(daily, Instant.EPOCH, -1, BERLIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count");
    Schedule invalid = parse("{type: 'periodic', cycle: 'day'}");
    assertThatThrownBy(() -> FireTimes.next(invalid, Instant.EPOCH, 1, BERLIN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("time is required for a day cycle");
  }
}

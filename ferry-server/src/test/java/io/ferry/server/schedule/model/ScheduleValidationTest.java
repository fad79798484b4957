package io.ferry.server.schedule.model;

import static io.ferry.server.schedule.model.Schedules.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.server.schedule.model.Schedule.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleValidationTest {
  private static final String MINUTE = "type: 'periodic', cycle: 'minute', interval: 5";
  private static final String DAY = "type: 'periodic', cycle: 'day', time: '02:30'";

  /** Asserts that the schedule breaks exactly one rule, on this field, saying this. */
  private static void assertProblem(String json, String field, String message) {
    assertThat(parse(json).validate())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo(field);
              assertThat(p.message()).contains(message);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{" + MINUTE + "}",
        "{" + DAY + ", weekdays: [9], interval: 999}", // fields of other cycles are ignored
        "{type: 'periodic', cycle: 'cron', cron: '0/5 * * * * ?', mode: 'whatever'}",
        "{type: 'once', cycle: 'year', interval: 999, time: 'noon'}",
        "{type: 'once', runAt: '2026-11-25T10:00:05'}",
        "{" + DAY + ", effectiveFrom: '2026-01-01', effectiveTo: '2026-01-01'}",
        "{" + MINUTE + ", retries: 10, idempotent: true, retryDelaySeconds: 0}",
        "{" + MINUTE + ", cpuCores: 256, memoryMb: 64, timeoutMinutes: 1}",
        "{" + MINUTE + ", upstreamTaskIds: [1, 2], timeZone: 'America/New_York'}"
      })
  void acceptsValidSchedules(String json) {
    assertThat(parse(json).validate()).isEmpty();
  }

  @Test
  void requiresAKnownType() {
    assertProblem("{}", "type", "type is required: periodic or once");
    assertProblem("{type: 'daily'}", "type", "type must be periodic or once, was 'daily'");
  }

  @Test
  void requiresAKnownCycle() {
    assertProblem(
        "{type: 'periodic'}",
        "cycle",
        "cycle is required for a periodic schedule: minute, hour, day, week, month, cron");
    assertProblem(
        "{type: 'periodic', cycle: 'year'}",
        "cycle",
        "cycle must be one of minute, hour, day, week, month, cron, was 'year'");
  }

  @Test
  void requiresAModeTheCycleSupports() {
    assertProblem(
        "{" + MINUTE + ", mode: 'sometimes'}",
        "mode",
        "mode must be interval or at, was 'sometimes'");
    assertProblem(
        "{" + MINUTE + ", mode: 'at'}", "mode", "mode must be interval for a minute cycle");
    assertProblem(
        "{" + DAY + ", mode: 'interval'}",
        "mode",
        "mode must be at for a day cycle (a time of day)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "cycle: 'minute'                 | interval | interval is required for a minute cycle: 1-59 minutes",
        "cycle: 'minute', interval: 90   | interval | interval must be 1-59 minutes for a minute cycle, was 90",
        "cycle: 'minute', interval: 0    | interval | interval must be 1-59 minutes for a minute cycle, was 0",
        "cycle: 'hour'                   | interval | interval is required for an hour cycle: 1-23 hours",
        "cycle: 'hour', interval: 24     | interval | interval must be 1-23 hours for an hour cycle, was 24",
        "cycle: 'hour', mode: 'at'       | minute   | minute is required for an hour cycle: 0-59 (minute of the hour)",
        "cycle: 'hour', mode: 'at', minute: 60 | minute | minute must be 0-59 (minute of the hour) for an hour cycle, was 60",
      })
  void requiresTheIntervalOrMinuteInRange(String fields, String field, String message) {
    assertProblem("{type: 'periodic', " + fields + "}", field, message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "cycle: 'day'                    | time is required for a day cycle: HH:mm or HH:mm:ss",
        "cycle: 'day', time: '25:00'     | time must be HH:mm or HH:mm:ss, 00:00 to 23:59:59, was '25:00'",
        "cycle: 'day', time: '2:30'      | was '2:30'",
        "cycle: 'day', time: '02:30:00.5' | was '02:30:00.5'",
        "cycle: 'week', weekdays: [1]    | time is required for a week cycle",
        "cycle: 'month', daysOfMonth: [1] | time is required for a month cycle",
      })
  void requiresATimeOfDay(String fields, String message) {
    assertProblem("{type: 'periodic', " + fields + "}", "time", message);
  }

  @Test
  void requiresWeekdaysForAWeekCycle() {
    String week = "type: 'periodic', cycle: 'week', time: '02:30'";
    String required =
        "weekdays is required for a week cycle: at least one of 1 (Monday) to 7 (Sunday)";
    assertProblem("{" + week + "}", "weekdays", required);
    assertProblem("{" + week + ", weekdays: []}", "weekdays", required);
    assertProblem(
        "{" + week + ", weekdays: [1, null]}", "weekdays", "1 (Monday) to 7 (Sunday), was null");
    assertThat(parse("{" + week + ", weekdays: [0, 8]}").validate())
        .extracting(Problem::message)
        .containsExactly(
            "weekdays must be 1 (Monday) to 7 (Sunday), was 0",
            "weekdays must be 1 (Monday) to 7 (Sunday), was 8");
  }

  @Test
  void requiresDaysOfMonthForAMonthCycle() {
    String month = "type: 'periodic', cycle: 'month', time: '02:30'";
    assertProblem(
        "{" + month + "}",
        "daysOfMonth",
        "daysOfMonth is required for a month cycle: at least one of 1-31, or -1 for the last day");
    for (int day : new int[] {0, 32, -2}) {
      assertProblem(
          "{" + month + ", daysOfMonth: [" + day + "]}",
          "daysOfMonth",
          "daysOfMonth must be 1-31, or -1 for the last day of the month, was " + day);
    }
    assertProblem(
        "{" + month + ", daysOfMonth: [-1, 15]}",
        "daysOfMonth",
        "-1 (the last day of the month) cannot be combined with other days, was [-1, 15]");
  }

  @Test
  void requiresAValidQuartzExpressionForACronCycle() {
    String cron = "type: 'periodic', cycle: 'cron'";
    assertProblem(
        "{" + cron + "}", "cron", "cron is required for a cron cycle: a Quartz expression");
    assertProblem("{" + cron + ", cron: '  '}", "cron", "cron is required");
    // A Unix expression without seconds: Quartz's own message follows what is expected.
    assertProblem(
        "{" + cron + ", cron: '0 0 * * *'}",
        "cron",
        "cron must be a Quartz expression (seconds minutes hours day-of-month month day-of-week"
            + " [year], such as 0 0/5 * * * ?), '0 0 * * *' is not: Unexpected end of expression.");
    assertProblem(
        "{" + cron + ", cron: '0 0 0 1 * MON'}",
        "cron",
        "both a day-of-week AND a day-of-month parameter is not implemented");
  }

  @Test
  void requiresTheEffectiveRangeInOrder() {
    assertProblem(
        "{" + DAY + ", effectiveFrom: '2026-03-01', effectiveTo: '2026-02-28'}",
        "effectiveTo",
        "effectiveTo must be on or after effectiveFrom (2026-03-01), was 2026-02-28");
  }

  @Test
  void requiresRetriesOnlyForIdempotentTasksAndInRange() {
    String needsIdempotent = "retries need idempotent = true";
    assertProblem("{" + MINUTE + ", retries: 3}", "retries", needsIdempotent);
    assertProblem("{" + MINUTE + ", retries: 3, idempotent: false}", "retries", needsIdempotent);
    assertProblem("{type: 'once', retries: 1}", "retries", needsIdempotent);
    assertProblem(
        "{" + MINUTE + ", retries: 11, idempotent: true}",
        "retries",
        "retries must be 0-10, was 11");
    assertProblem(
        "{" + MINUTE + ", retryDelaySeconds: -1}",
        "retryDelaySeconds",
        "retryDelaySeconds must be 0-86400 seconds, was -1");
  }

  @Test
  void requiresResourcesAndTimeoutInRange() {
    assertProblem("{" + MINUTE + ", cpuCores: 0}", "cpuCores", "cpuCores must be 1-256, was 0");
    assertProblem("{" + MINUTE + ", cpuCores: 257}", "cpuCores", "cpuCores must be 1-256, was 257");
    assertProblem(
        "{" + MINUTE + ", memoryMb: 32}", "memoryMb", "memoryMb must be 64-1048576 MB, was 32");
    assertProblem(
        "{" + MINUTE + ", memoryMb: 2000000}",
        "memoryMb",
        "memoryMb must be 64-1048576 MB, was 2000000");
    assertProblem(
        "{" + MINUTE + ", timeoutMinutes: 0}",
        "timeoutMinutes",
        "timeoutMinutes must be at least 1 (or absent for the default), was 0");
  }

  @Test
  void requiresAKnownTimeZoneAndRealUpstreamTasks() {
    assertProblem(
        "{" + MINUTE + ", timeZone: 'Mars/Base'}",
        "timeZone",
        "timeZone must be an IANA time zone id such as Asia/Shanghai or Europe/Berlin, was"
            + " 'Mars/Base'");
    assertProblem(
        "{" + MINUTE + ", upstreamTaskIds: [4, 0]}",
        "upstreamTaskIds",
        "upstreamTaskIds must hold task ids (1 or more), was 0");
  }

  @Test
  void requiresWholeSecondsForAOnceSchedule() {
    assertProblem(
        "{type: 'once', runAt: '2026-11-25T10:00:00.250'}",
        "runAt",
        "runAt must be whole seconds, was 2026-11-25T10:00:00.250");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    List<Problem> problems =
        parse("{type: 'periodic', cycle: 'minute', cpuCores: 0, timeZone: 'x'}").validate();
    assertThat(problems)
        .extracting(Problem::field)
        .containsExactly("interval", "timeZone", "cpuCores");
  }
}

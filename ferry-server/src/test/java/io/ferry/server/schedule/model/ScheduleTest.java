package io.ferry.server.schedule.model;

import static io.ferry.server.schedule.model.Schedules.JSON;
import static io.ferry.server.schedule.model.Schedules.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quartz.CronExpression;

class ScheduleTest {

  /** Every cycle and mode: the schedule, its Quartz expression and its summary. */
  static Stream<Arguments> cycles() {
    return Stream.of(
        Arguments.of(
            "{type: 'periodic', cycle: 'minute', interval: 5}", "0 0/5 * * * ?", "every 5 minutes"),
        Arguments.of(
            "{type: 'periodic', cycle: 'minute', mode: 'interval', interval: 1}",
            "0 0/1 * * * ?",
            "every minute"),
        Arguments.of(
            "{type: 'periodic', cycle: 'hour', interval: 2}", "0 0 0/2 * * ?", "every 2 hours"),
        Arguments.of(
            "{type: 'periodic', cycle: 'hour', mode: 'interval', interval: 1}",
            "0 0 0/1 * * ?",
            "every hour"),
        Arguments.of(
            "{type: 'periodic', cycle: 'hour', mode: 'at', minute: 15}",
            "0 15 * * * ?",
            "hourly at minute 15"),
        Arguments.of(
            "{type: 'periodic', cycle: 'day', time: '02:30'}", "0 30 2 * * ?", "daily at 02:30"),
        Arguments.of(
            "{type: 'periodic', cycle: 'day', mode: 'at', time: '23:05:09'}",
            "9 5 23 * * ?",
            "daily at 23:05:09"),
        Arguments.of(
            "{type: 'periodic', cycle: 'week', time: '02:30', weekdays: [3, 1, 3]}",
            "0 30 2 ? * MON,WED",
            "weekly on Mon, Wed at 02:30"),
        Arguments.of(
            "{type: 'periodic', cycle: 'week', time: '00:00', weekdays: [7]}",
            "0 0 0 ? * SUN",
            "weekly on Sun at 00:00"),
        Arguments.of(
            "{type: 'periodic', cycle: 'month', time: '02:30', daysOfMonth: [15, 1]}",
            "0 30 2 1,15 * ?",
            "monthly on day 1, 15 at 02:30"),
        Arguments.of(
            "{type: 'periodic', cycle: 'month', time: '02:30', daysOfMonth: [-1]}",
            "0 30 2 L * ?",
            "monthly on the last day at 02:30"),
        Arguments.of(
            "{type: 'periodic', cycle: 'cron', cron: ' 0/5 * * * * ? '}",
            "0/5 * * * * ?",
            "cron 0/5 * * * * ?"),
        Arguments.of(
            "{type: 'periodic', cycle: 'day', time: '02:30', timeZone: 'Asia/Shanghai'}",
            "0 30 2 * * ?",
            "daily at 02:30 (Asia/Shanghai)"));
  }

  @ParameterizedTest
  @MethodSource("cycles")
  void turnsEveryCycleIntoAQuartzExpressionAndASummary(
      String json, String cron, String description) {
    Schedule schedule = parse(json);
    assertThat(schedule.validate()).isEmpty();
    assertThat(schedule.cronExpression()).isEqualTo(cron);
    assertThat(CronExpression.isValidExpression(cron)).isTrue();
    assertThat(schedule.describe()).isEqualTo(description);
  }

  @Test
  void aOnceScheduleHasNoCronExpression() {
    Schedule once = parse("{type: 'once', runAt: '2026-11-25T10:00:00'}");
    assertThatThrownBy(once::cronExpression)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("once");
    assertThat(once.describe()).isEqualTo("once at 2026-11-25 10:00:00");
    assertThat(parse("{type: 'once'}").describe()).isEqualTo("once when online");
  }

  @Test
  void anInvalidScheduleRefusesToComputeButStillDescribesItself() {
    Schedule invalid = parse("{type: 'periodic', cycle: 'minute', interval: 90}");
    assertThatThrownBy(invalid::cronExpression)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("interval must be 1-59 minutes for a minute cycle, was 90");
    assertThatThrownBy(invalid::timeout).isInstanceOf(IllegalStateException.class);
    assertThat(invalid.describe())
        .isEqualTo("invalid schedule: interval must be 1-59 minutes for a minute cycle, was 90");
  }

  /** Every kind of summary in Simplified Chinese, for the web UI in Chinese. */
  static Stream<Arguments> chineseSummaries() {
    return Stream.of(
        Arguments.of("{type: 'periodic', cycle: 'minute', interval: 1}", "每分钟"),
        Arguments.of("{type: 'periodic', cycle: 'minute', interval: 5}", "每 5 分钟"),
        Arguments.of("{type: 'periodic', cycle: 'hour', interval: 1}", "每小时"),
        Arguments.of("{type: 'periodic', cycle: 'hour', interval: 2}", "每 2 小时"),
        Arguments.of("{type: 'periodic', cycle: 'hour', mode: 'at', minute: 15}", "每小时第 15 分钟"),
        Arguments.of("{type: 'periodic', cycle: 'day', time: '23:05:09'}", "每天 23:05:09"),
        Arguments.of(
            "{type: 'periodic', cycle: 'week', time: '02:30', weekdays: [3, 1, 7]}",
            "每周一、三、日 02:30"),
        Arguments.of(
            "{type: 'periodic', cycle: 'month', time: '02:30', daysOfMonth: [15, 1]}",
            "每月 1、15 日 02:30"),
        Arguments.of(
            "{type: 'periodic', cycle: 'month', time: '02:30', daysOfMonth: [-1]}", "每月最后一天 02:30"),
        Arguments.of(
            "{type: 'periodic', cycle: 'cron', cron: '0/5 * * * * ?'}", "cron 0/5 * * * * ?"),
        Arguments.of("{type: 'once', runAt: '2026-11-25T10:00:00'}", "一次性：2026-11-25 10:00:00"),
        Arguments.of("{type: 'once'}", "一次性：上线时运行"),
        Arguments.of(
            "{type: 'periodic', cycle: 'day', time: '02:30', timeZone: 'Asia/Shanghai'}",
            "每天 02:30（Asia/Shanghai）"),
        Arguments.of(
            "{type: 'periodic', cycle: 'minute', interval: 90}",
            "无效的调度：interval must be 1-59 minutes for a minute cycle, was 90"));
  }

  @ParameterizedTest
  @MethodSource("chineseSummaries")
  void summarizesEveryScheduleInChineseToo(String json, String summary) {
    Schedule schedule = parse(json);
    assertThat(schedule.describe(Locale.SIMPLIFIED_CHINESE)).isEqualTo(summary);
    assertThat(schedule.describe(Locale.forLanguageTag("zh"))).isEqualTo(summary);
    // Any other language reads English, whatever the machine's own locale.
    assertThat(schedule.describe(Locale.GERMAN)).isEqualTo(schedule.describe());
  }

  @Test
  void englishSummariesDoNotDependOnTheMachinesLocale() {
    Locale machine = Locale.getDefault();
    try {
      Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
      assertThat(parse("{type: 'periodic', cycle: 'minute', interval: 1}").describe())
          .isEqualTo("every minute");
      assertThat(parse("{type: 'periodic', cycle: 'minute', interval: 1}").describe(Locale.ENGLISH))
          .isEqualTo("every minute");
    } finally {
      Locale.setDefault(machine);
    }
  }

  static Stream<Arguments> timeouts() {
    return Stream.of(
        Arguments.of("{type: 'periodic', cycle: 'minute', interval: 5}", Duration.ofMinutes(15)),
        Arguments.of("{type: 'periodic', cycle: 'hour', interval: 2}", Duration.ofHours(6)),
        Arguments.of(
            "{type: 'periodic', cycle: 'hour', mode: 'at', minute: 15}", Duration.ofHours(3)),
        Arguments.of("{type: 'periodic', cycle: 'day', time: '02:30'}", Duration.ofHours(24)),
        Arguments.of(
            "{type: 'periodic', cycle: 'week', time: '02:30', weekdays: [1]}",
            Duration.ofHours(24)),
        Arguments.of(
            "{type: 'periodic', cycle: 'month', time: '02:30', daysOfMonth: [1]}",
            Duration.ofHours(24)),
        Arguments.of("{type: 'once'}", Duration.ofHours(24)),
        Arguments.of("{type: 'once', runAt: '2026-11-25T10:00:00'}", Duration.ofHours(24)),
        // 3 × the gap between the first two fire times: 5 s, and 09:00 to 17:00 on 2000-01-01.
        Arguments.of(
            "{type: 'periodic', cycle: 'cron', cron: '0/5 * * * * ?'}", Duration.ofSeconds(15)),
        Arguments.of(
            "{type: 'periodic', cycle: 'cron', cron: '0 0 9,17 * * ?'}", Duration.ofHours(24)),
        // fires once only: the timed default
        Arguments.of(
            "{type: 'periodic', cycle: 'cron', cron: '0 0 12 1 1 ? 2001'}", Duration.ofHours(24)),
        Arguments.of(
            "{type: 'periodic', cycle: 'minute', interval: 5, timeoutMinutes: 45}",
            Duration.ofMinutes(45)),
        Arguments.of("{type: 'once', timeoutMinutes: 90}", Duration.ofMinutes(90)));
  }

  @ParameterizedTest
  @MethodSource("timeouts")
  void defaultsTheTimeoutByCycle(String json, Duration timeout) {
    assertThat(parse(json).timeout()).isEqualTo(timeout);
  }

  @Test
  void appliesDefaultsToAbsentFields() {
    Schedule s = parse("{type: 'periodic', cycle: 'minute', interval: 5}");
    assertThat(s.retriesOrDefault()).isZero();
    assertThat(s.retryDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.cpuCoresOrDefault()).isEqualTo(2);
    assertThat(s.memoryMbOrDefault()).isEqualTo(1024);
    assertThat(s.dependsOnPrevious()).isFalse();
    assertThat(s.offlinesOnFailure()).isFalse();
    assertThat(s.runsOnOnline()).isFalse();
    assertThat(s.isOnce()).isFalse();
    assertThat(s.zone(ZoneId.of("Europe/Berlin"))).isEqualTo(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void usesTheGivenValuesOverTheDefaults() {
    Schedule s =
        parse(
            "{type: 'once', retries: 3, idempotent: true, retryDelaySeconds: 5, cpuCores: 8,"
                + " memoryMb: 4096, dependOnPrevious: true, offlineOnFailure: true,"
                + " runOnOnline: true, timeZone: 'Asia/Shanghai'}");
    assertThat(s.retriesOrDefault()).isEqualTo(3);
    assertThat(s.retryDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.cpuCoresOrDefault()).isEqualTo(8);
    assertThat(s.memoryMbOrDefault()).isEqualTo(4096);
    assertThat(s.dependsOnPrevious()).isTrue();
    assertThat(s.offlinesOnFailure()).isTrue();
    assertThat(s.runsOnOnline()).isTrue();
    assertThat(s.isOnce()).isTrue();
    assertThat(s.zone(ZoneId.of("Europe/Berlin"))).isEqualTo(ZoneId.of("Asia/Shanghai"));
  }

  @Test
  void roundTripsThroughJsonWithTheFieldNamesAndIsoDates() throws Exception {
    Schedule s =
        new Schedule(
            "periodic",
            "week",
            "at",
            null,
            null,
            "02:30",
            List.of(1, 3),
            null,
            null,
            LocalDate.of(2026, 1, 1),
            LocalDate.of(2026, 12, 31),
            true,
            false,
            true,
            LocalDateTime.of(2026, 11, 25, 10, 0, 5),
            120,
            2,
            30,
            true,
            4,
            2048,
            List.of(7L, 9L),
            "Europe/Berlin");
    String json = JSON.writeValueAsString(s);
    assertThat(json)
        .contains("\"type\":\"periodic\"", "\"weekdays\":[1,3]", "\"upstreamTaskIds\":[7,9]")
        .contains("\"effectiveFrom\":\"2026-01-01\"", "\"effectiveTo\":\"2026-12-31\"")
        .contains("\"runAt\":\"2026-11-25T10:00:05\"", "\"timeZone\":\"Europe/Berlin\"")
        .doesNotContain("\"interval\"", "\"once\"", "cronExpression", "\"timeout\"");
    assertThat(JSON.readValue(json, Schedule.class)).isEqualTo(s);
    // Spring's MVC converters use Jackson 3, which must write and read the same JSON.
    tools.jackson.databind.json.JsonMapper jackson3 =
        tools.jackson.databind.json.JsonMapper.builder().build();
    assertThat(jackson3.writeValueAsString(s)).isEqualTo(json);
    assertThat(jackson3.readValue(json, Schedule.class)).isEqualTo(s);
  }

  @Test
  void readsAbsentFieldsAsNullAndWritesOnlyThePresentOnes() throws Exception {
    Schedule s = JSON.readValue("{\"type\":\"once\"}", Schedule.class);
    assertThat(s.runAt()).isNull();
    assertThat(s.weekdays()).isNull();
    assertThat(JSON.writeValueAsString(s)).isEqualTo("{\"type\":\"once\"}");
  }

  @Test
  void keepsItsListsFromChangingUnderIt() {
    List<Integer> days = new java.util.ArrayList<>(List.of(1));
    Schedule s =
        new Schedule(
            "periodic",
            "week",
            null,
            null,
            null,
            "02:30",
            days,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    days.add(2);
    assertThat(s.weekdays()).containsExactly(1);
    assertThatThrownBy(() -> s.weekdays().add(3)).isInstanceOf(UnsupportedOperationException.class);
  }
}

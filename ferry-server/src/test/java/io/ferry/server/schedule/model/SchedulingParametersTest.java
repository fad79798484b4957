package io.ferry.server.schedule.model;

import static io.ferry.server.schedule.model.SchedulingParameters.expand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SchedulingParametersTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  /** Just after midnight on the first of a month: every offset crosses a day and a month. */
  private static final ZonedDateTime PLANNED = ZonedDateTime.of(2026, 3, 1, 0, 20, 5, 0, SHANGHAI);

  @Test
  void derivesTheSystemParametersFromThePlannedTime() {
    assertThat(SchedulingParameters.system(PLANNED))
        .isEqualTo(
            Map.of("bizdate", "20260228", "cyctime", "20260301002005", "gmtdate", "20260301"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "$[yyyymmdd]                   | 20260301",
        "$[yyyymmdd-1]                 | 20260228",
        "$[yyyyMMdd-1]                 | 20260228",
        "$[yyyymmdd+1]                 | 20260302",
        "$[yyyy-mm-dd]                 | 2026-03-01",
        "$[yyyy-mm-dd-1]               | 2026-02-28",
        "$[yy/mm/dd_hh:mi]             | 26/03/01_00:20",
        "$[HH24:mi:ss]                 | 00:20:05",
        "$[hh24miss-1/24]              | 232005",
        "$[yyyymmddhh24miss-1/24]      | 20260228232005",
        "$[hh24mi-30/24/60]            | 2350",
        "$[yyyymmdd hh24:mi-30/24/60]  | 20260228 23:50",
        "$[add_months(yyyymmdd,-1)]    | 20260201",
        "$[ADD_MONTHS( yyyy-mm , 12 )] | 2027-03",
      })
  void expandsBracketExpressionsFromThePlannedTime(String expression, String expected) {
    assertThat(expand(expression, PLANNED)).isEqualTo(expected);
  }

  @Test
  void addsMonthsTheWayJavaTimeDoesAtTheEndOfAMonth() {
    String lastMonth = "$[add_months(yyyymmdd,-1)]";
    assertThat(expand(lastMonth, ZonedDateTime.of(2026, 3, 31, 2, 0, 0, 0, SHANGHAI)))
        .isEqualTo("20260228");
    assertThat(expand(lastMonth, ZonedDateTime.of(2024, 3, 31, 2, 0, 0, 0, SHANGHAI)))
        .isEqualTo("20240229");
  }

  @Test
  void movesHoursInElapsedTimeAcrossADaylightSavingChange() {
    // 2026-03-29 in Berlin: an hour before 03:30 CEST is 01:30 CET (02:30 does not exist).
    ZonedDateTime planned = ZonedDateTime.of(2026, 3, 29, 3, 30, 0, 0, ZoneId.of("Europe/Berlin"));
    assertThat(expand("$[hh24:mi-1/24]", planned)).isEqualTo("01:30");
  }

  @Test
  void leavesTheRestOfTheTextAndDollarBracesAlone() {
    assertThat(
            expand(
                "SELECT * FROM t WHERE dt = '${bizdate}' AND h = '$[hh24]' AND note = '$$[x]'",
                PLANNED))
        .isEqualTo("SELECT * FROM t WHERE dt = '${bizdate}' AND h = '00' AND note = '$[x]'");
    assertThat(expand("no parameters, $ and [ ] alone", PLANNED))
        .isEqualTo("no parameters, $ and [ ] alone");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$[yyyymmddq]",
        "$[yyyymmdd-1/12]",
        "$[yyyymmdd*2]",
        "$[-1]",
        "$[]",
        "$[add_months(yyyymmdd,x)]"
      })
  void refusesWhatItDoesNotKnowQuotingTheExpression(String expression) {
    assertThatThrownBy(() -> expand("x = " + expression, PLANNED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expression)
        .hasMessageContaining("supported are the tokens yyyy, yy, mm (month), dd");
  }

  @Test
  void refusesAnUnclosedBracket() {
    assertThatThrownBy(() -> expand("dt = $[yyyymmdd", PLANNED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$[yyyymmdd: no closing ]");
  }
}

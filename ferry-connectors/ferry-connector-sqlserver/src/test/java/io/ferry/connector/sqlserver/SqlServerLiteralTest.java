package io.ferry.connector.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** SQL Server has no DATE or TIMESTAMP literal: cursor bounds are CASTs of unambiguous text. */
class SqlServerLiteralTest {
  @Test
  void temporalBoundsAreCasts() {
    SqlServerSql sql = SqlServerSql.INSTANCE;
    assertThat(sql.literal(LocalDate.of(2024, 5, 1))).isEqualTo("CAST('20240501' AS DATE)");
    assertThat(sql.literal(LocalDateTime.of(2024, 5, 1, 8, 30, 0, 1_000)))
        .isEqualTo("CAST('2024-05-01T08:30:00.000001' AS DATETIME2)");
    assertThat(sql.literal(OffsetDateTime.of(2024, 5, 1, 8, 30, 0, 0, ZoneOffset.ofHours(-5))))
        .isEqualTo("CAST('2024-05-01T08:30:00-05:00' AS DATETIMEOFFSET)");
    assertThat(sql.literal(7L)).isEqualTo("7");
  }
}

package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The literals of incremental cursor bounds: typed values only, never text. */
class SqlLiteralTest {
  private final SqlBuilder sql = SqlBuilder.STANDARD;

  @Test
  void standardLiteralsOfTypedValues() {
    assertThat(sql.literal(42L)).isEqualTo("42");
    assertThat(sql.literal(new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(sql.literal(new BigDecimal("-12.50"))).isEqualTo("-12.50");
    assertThat(sql.literal(LocalDate.of(2024, 5, 1))).isEqualTo("DATE '2024-05-01'");
    assertThat(sql.literal(LocalDateTime.of(2024, 5, 1, 8, 30)))
        .isEqualTo("TIMESTAMP '2024-05-01 08:30:00'");
    assertThat(sql.literal(LocalDateTime.of(2024, 5, 1, 8, 30, 5, 120_000_000)))
        .isEqualTo("TIMESTAMP '2024-05-01 08:30:05.12'");
    assertThat(sql.literal(OffsetDateTime.of(2024, 5, 1, 8, 30, 0, 0, ZoneOffset.ofHours(8))))
        .isEqualTo("TIMESTAMP WITH TIME ZONE '2024-05-01 08:30:00 +08:00'");
    assertThat(sql.literal(OffsetDateTime.of(2024, 5, 1, 8, 30, 0, 0, ZoneOffset.UTC)))
        .isEqualTo("TIMESTAMP WITH TIME ZONE '2024-05-01 08:30:00 +00:00'");
  }

  @Test
  void anythingElseIsRefused() {
    assertThatThrownBy(() -> sql.literal("1 OR 1=1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sql.literal(LocalDate.of(10000, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sql.literal(null)).isInstanceOf(IllegalArgumentException.class);
  }
}

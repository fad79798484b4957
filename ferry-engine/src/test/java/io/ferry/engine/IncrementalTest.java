package io.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalTest {
  @TempDir Path state;

  @Test
  void cursorValuesParseByKindAndFormatBack() {
    ZoneId zone = ZoneId.of("Asia/Shanghai");
    assertThat(Incremental.parse(TypeKind.INT32, " 42 ", zone)).isEqualTo(42L);
    assertThat(Incremental.parse(TypeKind.DECIMAL, "12.50", zone))
        .isEqualTo(new BigDecimal("12.50"));
    assertThat(Incremental.parse(TypeKind.DATE, "2024-05-01", zone))
        .isEqualTo(LocalDate.of(2024, 5, 1));
    assertThat(Incremental.parse(TypeKind.TIMESTAMP, "2024-05-01 08:30:00.25", zone))
        .isEqualTo(LocalDateTime.of(2024, 5, 1, 8, 30, 0, 250_000_000));
    assertThat(Incremental.parse(TypeKind.TIMESTAMP, "2024-05-01", zone))
        .isEqualTo(LocalDateTime.of(2024, 5, 1, 0, 0));
    assertThat(Incremental.parse(TypeKind.TIMESTAMP_TZ, "2024-05-01T08:30:00+02:00", zone))
        .isEqualTo(OffsetDateTime.of(2024, 5, 1, 8, 30, 0, 0, ZoneOffset.ofHours(2)));
    assertThat(Incremental.parse(TypeKind.TIMESTAMP_TZ, "2024-05-01 08:30:00", zone))
        .isEqualTo(OffsetDateTime.of(2024, 5, 1, 8, 30, 0, 0, ZoneOffset.ofHours(8)));
    for (Object v :
        new Object[] {
          42L,
          new BigDecimal("12.50"),
          LocalDate.of(2024, 5, 1),
          LocalDateTime.of(2024, 5, 1, 8, 30, 0, 1000),
          OffsetDateTime.of(2024, 5, 1, 8, 30, 0, 0, ZoneOffset.ofHours(-3))
        }) {
      TypeKind kind =
          v instanceof Long
              ? TypeKind.INT64
              : v instanceof BigDecimal
                  ? TypeKind.DECIMAL
                  : v instanceof LocalDate
                      ? TypeKind.DATE
                      : v instanceof LocalDateTime ? TypeKind.TIMESTAMP : TypeKind.TIMESTAMP_TZ;
      assertThat(Incremental.parse(kind, Incremental.format(v), zone)).isEqualTo(v);
    }
    // Text that is no value of the kind is refused, never passed on.
    assertThatThrownBy(() -> Incremental.parse(TypeKind.INT64, "1 OR 1=1", zone))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> Incremental.parse(TypeKind.TIMESTAMP, "2024-05-01'; --", zone))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Incremental.parse(TypeKind.STRING, "a", zone))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Engine.looksLikeCursorValue("2024-05-01 08:30:00")).isTrue();
    assertThat(Engine.looksLikeCursorValue("x")).isFalse();
  }

  @Test
  void lookBackDurations() {
    assertThat(Incremental.duration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Incremental.duration("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Incremental.duration("PT90S")).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> Incremental.duration("five minutes"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRangeRoundTripsThroughARunRecordsSettings() {
    Incremental.Range range =
        new Incremental.Range("updated_at", "TIMESTAMP", "2024-05-01T08:25:00", false, null);
    assertThat(Incremental.Range.of(Map.of(Incremental.RANGE_SETTING, range.toSetting())))
        .contains(range);
    assertThat(Incremental.Range.of(Map.of())).isEmpty();
    // Settings parse with the range in them (a resumed run's record), but a job may not give it.
    assertThat(Settings.parse(Map.of(Incremental.RANGE_SETTING, range.toSetting())).channels())
        .isPositive();
  }

  @Test
  void aJobSectionIsReadAndCheckedAndOnlyJdbcSourcesTakeIt() {
    JobSpec spec =
        JobSpecLoader.parse(
            """
            source: {connector: memory, rows: 10}
            sink: {connector: memory, table: inc}
            incremental: {cursor: id, lookBack: 5, start: 3}
            """,
            false,
            null,
            "inc",
            Map.of());
    assertThat(spec.incremental()).isEqualTo(new JobSpec.IncrementalSpec("id", "5", "3", null));
    assertThat(spec.cursorKey()).isEqualTo("inc");
    assertThat(spec.withCursorKey("task-7").cursorKey()).isEqualTo("task-7");
    assertThat(spec.withCursorKey("task-7").fingerprint((s, o) -> false))
        .isEqualTo(spec.fingerprint((s, o) -> false));

    assertThatThrownBy(
            () ->
                JobSpecLoader.parse(
                    "source: {connector: memory}\nsink: {connector: memory}\n"
                        + "incremental: {lookBack: 5, cursr: id}\n",
                    false,
                    null,
                    "inc",
                    Map.of()))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("incremental.cursr")
        .hasMessageContaining("incremental.cursor");

    Engine engine = new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
    assertThatThrownBy(() -> engine.start(spec))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("incremental")
        .hasMessageContaining("the memory source cannot read past a cursor column");
    assertThatThrownBy(
            () -> engine.start(spec.withSetting(Incremental.RANGE_SETTING, Map.of("cursor", "id"))))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("settings.incrementalRange");
  }

  @Test
  void fileStoreKeepsCursorsByKey() {
    FileCheckpointStore store = new FileCheckpointStore(state);
    CursorState a = new CursorState("orders", "id", "INT64", "10", "run-1", null);
    CursorState b = new CursorState("orders/eu", "id", "INT64", "20", "run-2", null);
    CursorState c = new CursorState("orders_eu", "id", "INT64", "30", "run-3", null);
    store.saveCursor(a);
    store.saveCursor(b);
    store.saveCursor(c);
    assertThat(store.cursor("orders")).contains(a);
    assertThat(store.cursor("orders/eu")).contains(b);
    assertThat(store.cursor("orders_eu")).contains(c);
    assertThat(store.cursors()).hasSize(3);
    assertThat(store.deleteCursor("orders/eu")).isTrue();
    assertThat(store.deleteCursor("orders/eu")).isFalse();
    assertThat(store.cursor("orders/eu")).isEmpty();
    assertThat(store.cursor("orders_eu")).contains(c);
  }
}

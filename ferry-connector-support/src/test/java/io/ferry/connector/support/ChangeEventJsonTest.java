package io.ferry.connector.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeEventJsonTest {
  private static final Schema SCHEMA =
      Schema.of(
              List.of(
                  new Column("id", DataType.INT64, false),
                  Column.of("b", DataType.BOOLEAN),
                  Column.of("i8", DataType.INT8),
                  Column.of("i16", DataType.INT16),
                  Column.of("i32", DataType.INT32),
                  Column.of("f32", DataType.FLOAT32),
                  Column.of("f64", DataType.FLOAT64),
                  Column.of("dec", DataType.decimal(30, 10)),
                  Column.of("s", DataType.STRING),
                  Column.of("bin", DataType.BYTES),
                  Column.of("d", DataType.DATE),
                  Column.of("t", DataType.time(6)),
                  Column.of("ts", DataType.timestamp(3)),
                  Column.of("tz", DataType.TIMESTAMP_TZ),
                  Column.of("j", DataType.JSON),
                  Column.of("arr", DataType.array(DataType.INT32)),
                  Column.of("m", DataType.map(DataType.STRING, DataType.decimal(10, 2)))))
          .withKey(List.of("id"));

  private static final Position POSITION =
      new Position(2, new byte[] {1, 2, 3, -1}, "binlog.000001:1234");

  @Test
  void everyTypeComesBackEqualIncludingSpecialValues() {
    Object[] before = {
      7L,
      true,
      (byte) -128,
      (short) 32767,
      Integer.MIN_VALUE,
      Float.NaN,
      Double.NEGATIVE_INFINITY,
      new BigDecimal("-12345678901234567890.0123456789"),
      "",
      new byte[] {0, -128, 127},
      LocalDate.MIN,
      LocalTime.MAX,
      LocalDateTime.of(-43, 3, 15, 12, 0, 0, 123_000_000),
      OffsetDateTime.of(2026, 12, 7, 6, 0, 0, 999_999_000, ZoneOffset.ofHours(8)),
      "{\"a\": [1, 2.50]}",
      List.of(1, 2, 3),
      Map.of("x", new BigDecimal("1.50"))
    };
    Object[] after = before.clone();
    after[8] = "ünïcødé \"quoted\"\n";
    after[9] = ChangeEvent.UNCHANGED;
    after[10] = null;
    after[5] = 0.1f;
    after[6] = -0.0d;
    ChangeEvent.RowChange change =
        new ChangeEvent.RowChange(
            ChangeEvent.Kind.UPDATE,
            new TableRef("shop", "orders"),
            SCHEMA,
            before,
            after,
            POSITION,
            Instant.parse("2026-12-07T06:00:00.123456Z"));

    ChangeEvent.RowChange back =
        (ChangeEvent.RowChange) ChangeEventJson.decode(ChangeEventJson.encode(change));

    assertThat(back.kind()).isEqualTo(ChangeEvent.Kind.UPDATE);
    assertThat(back.table()).isEqualTo(change.table());
    assertThat(back.schema()).isEqualTo(SCHEMA);
    assertThat(back.schema().key()).containsExactly("id");
    assertThat(back.position()).isEqualTo(POSITION);
    assertThat(back.position().description()).isEqualTo("binlog.000001:1234");
    assertThat(back.committedAt()).isEqualTo(change.committedAt());
    assertExactlyEqual(back.before(), before);
    assertExactlyEqual(back.after(), after);
    assertThat(back.after()[9]).isSameAs(ChangeEvent.UNCHANGED);
    assertThat(Double.doubleToRawLongBits((Double) back.after()[6]))
        .isEqualTo(Double.doubleToRawLongBits(-0.0d));
    assertThat(((BigDecimal) back.before()[7]).scale()).isEqualTo(10);
  }

  /** Equal by each class's equals (Float by bits, BigDecimal with its scale), byte[] by content. */
  private static void assertExactlyEqual(Object[] actual, Object[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] instanceof byte[] b) {
        assertThat((byte[]) actual[i]).as("column %d", i).isEqualTo(b);
      } else {
        assertThat(java.util.Objects.equals(actual[i], expected[i]))
            .as("column %d: %s vs %s", i, actual[i], expected[i])
            .isTrue();
        if (expected[i] != null
            && !(expected[i] instanceof java.util.Collection<?>)
            && !(expected[i] instanceof Map<?, ?>)) {
          assertThat(actual[i]).as("column %d", i).isInstanceOf(expected[i].getClass());
        }
      }
    }
  }

  @Test
  void insertsDeletesAndSchemaChangesComeBack() {
    TableRef table = new TableRef(null, "t");
    Schema s = Schema.of(new Column("id", DataType.INT32, false)).withKey(List.of("id"));
    ChangeEvent insert =
        new ChangeEvent.RowChange(
            ChangeEvent.Kind.INSERT, table, s, null, new Object[] {1}, POSITION, null);
    ChangeEvent.RowChange i =
        (ChangeEvent.RowChange) ChangeEventJson.decode(ChangeEventJson.encode(insert));
    assertThat(i.before()).isNull();
    assertThat(i.after()).containsExactly(1);
    assertThat(i.table().schema()).isNull();
    assertThat(i.committedAt()).isNull();

    ChangeEvent delete =
        new ChangeEvent.RowChange(
            ChangeEvent.Kind.DELETE, table, s, new Object[] {1}, null, POSITION, Instant.EPOCH);
    ChangeEvent.RowChange d =
        (ChangeEvent.RowChange) ChangeEventJson.decode(ChangeEventJson.encode(delete));
    assertThat(d.kind()).isEqualTo(ChangeEvent.Kind.DELETE);
    assertThat(d.after()).isNull();

    Schema wider =
        Schema.of(new Column("id", DataType.INT32, false), Column.of("note", DataType.STRING))
            .withKey(List.of("id"));
    ChangeEvent alter =
        new ChangeEvent.SchemaChange(
            table, s, wider, "ALTER TABLE t ADD note TEXT", POSITION, Instant.EPOCH);
    ChangeEvent.SchemaChange a =
        (ChangeEvent.SchemaChange) ChangeEventJson.decode(ChangeEventJson.encode(alter));
    assertThat(a.before()).isEqualTo(s);
    assertThat(a.after()).isEqualTo(wider);
    assertThat(a.ddl()).isEqualTo("ALTER TABLE t ADD note TEXT");
    ChangeEvent drop = new ChangeEvent.SchemaChange(table, s, null, "DROP TABLE t", POSITION, null);
    assertThat(
            ((ChangeEvent.SchemaChange) ChangeEventJson.decode(ChangeEventJson.encode(drop)))
                .after())
        .isNull();
  }

  @Test
  void aDocumentItDidNotWriteIsAClearError() {
    assertThatThrownBy(() -> ChangeEventJson.decode("{\"v\":99}"))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("no known version")
        .matches(e -> ((FerryException) e).code().equals(ErrorCode.STATE_INCOMPATIBLE));
    assertThatThrownBy(() -> ChangeEventJson.decode("not json"))
        .hasMessageContaining("is not JSON");
  }
}

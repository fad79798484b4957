package io.ferry.connector.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Source;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** SQL Server's own column types read through the source: what H2 cannot show. */
@EnabledIfEnvironmentVariable(
    named = SqlServerTestDatabase.URL_VARIABLE,
    matches = ".+",
    disabledReason =
        "set FERRY_SQLSERVER_URL (and FERRY_SQLSERVER_USER, FERRY_SQLSERVER_PASSWORD) to a real"
            + " SQL Server")
class SqlServerServerIT {
  private final SqlServerTestDatabase database = SqlServerTestDatabase.fromEnvironment();
  private final TestConnectorContext context = new TestConnectorContext("sqlserver-server");

  @AfterEach
  void dropTables() throws Exception {
    database.dropAll();
  }

  @Test
  void readsSqlServersOwnTypes() throws Exception {
    String table = database.table("native_types");
    database.createdByConnector("native_types");
    database.execute(
        "CREATE TABLE ["
            + table
            + "] ([id] INT PRIMARY KEY, [m] MONEY, [sm] SMALLMONEY,"
            + " [u] UNIQUEIDENTIFIER, [ti] TINYINT, [dto] DATETIMEOFFSET(7), [dt] DATETIME,"
            + " [sdt] SMALLDATETIME, [t] TIME(7), [x] XML, [rv] ROWVERSION, [b] BIT)",
        "INSERT INTO ["
            + table
            + "] ([id], [m], [sm], [u], [ti], [dto], [dt], [sdt], [t], [x], [b])"
            + " VALUES (1, 922337203685477.5807, -214748.3648,"
            + " '6F9619FF-8B86-D011-B42D-00C04FC964FF', 255,"
            + " '1999-12-31 23:59:59.1234567 -09:30', '2024-02-29 13:45:07.003',"
            + " '2024-02-29 13:45:00', '23:59:59.9999999', '<a>b</a>', 1)");
    List<Object[]> rows;
    try (Source source =
        Pipelines.source(new SqlServerConnector(), database.options("native_types"), context)) {
      assertThat(source.schema().columns().stream().map(c -> c.name() + " " + c.type()).toList())
          .containsExactly(
              "id int32",
              "m decimal(19,4)",
              "sm decimal(10,4)",
              "u string",
              "ti int16",
              "dto timestamp_tz(7)",
              "dt timestamp(3)",
              "sdt timestamp(0)",
              "t time(7)",
              "x string",
              "rv bytes",
              "b boolean");
      rows = Pipelines.readAll(source);
    }
    assertThat(rows).hasSize(1);
    Object[] r = rows.get(0);
    assertThat(r[1]).isEqualTo(new BigDecimal("922337203685477.5807"));
    assertThat(r[2]).isEqualTo(new BigDecimal("-214748.3648"));
    assertThat(r[3]).isEqualTo("6F9619FF-8B86-D011-B42D-00C04FC964FF");
    assertThat(r[4]).isEqualTo((short) 255);
    assertThat(r[5])
        .isEqualTo(
            OffsetDateTime.of(
                1999, 12, 31, 23, 59, 59, 123_456_700, ZoneOffset.ofHoursMinutes(-9, -30)));
    assertThat(r[6]).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 45, 7, 3_000_000));
    assertThat(r[7]).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 45));
    assertThat(r[8]).isEqualTo(LocalTime.of(23, 59, 59, 999_999_900));
    assertThat(r[9]).isEqualTo("<a>b</a>");
    assertThat((byte[]) r[10]).hasSize(8);
    assertThat(r[11]).isEqualTo(true);
  }
}

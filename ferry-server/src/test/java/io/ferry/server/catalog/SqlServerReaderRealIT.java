package io.ferry.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The SQL Server reader on a real server: its {@code sys.*} descriptions and row counts. */
@EnabledIfEnvironmentVariable(
    named = "FERRY_SQLSERVER_URL",
    matches = ".+",
    disabledReason =
        "set FERRY_SQLSERVER_URL (and FERRY_SQLSERVER_USER, FERRY_SQLSERVER_PASSWORD) to a real"
            + " SQL Server")
class SqlServerReaderRealIT {
  @Test
  void readsATableWithItsDescriptionsAndRows() throws Exception {
    Map<String, Object> options = new HashMap<>();
    options.put("url", System.getenv("FERRY_SQLSERVER_URL"));
    options.put("user", System.getenv("FERRY_SQLSERVER_USER"));
    options.put("password", System.getenv("FERRY_SQLSERVER_PASSWORD"));
    String schema = "ferry_cat_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection admin =
            CollectionService.connect(
                MetaModels.Reader.SQLSERVER,
                options,
                Duration.ofSeconds(60),
                getClass().getClassLoader());
        Statement s = admin.createStatement()) {
      admin.setReadOnly(false);
      s.execute("CREATE SCHEMA " + schema);
      try {
        s.execute(
            "CREATE TABLE "
                + schema
                + ".orders (id INT PRIMARY KEY, name NVARCHAR(40) NOT NULL,"
                + " amount DECIMAL(12,2) DEFAULT 0, note VARCHAR(MAX))");
        s.execute("INSERT INTO " + schema + ".orders (id, name) VALUES (1, 'a'), (2, 'b')");
        s.execute(
            "EXEC sp_addextendedproperty 'MS_Description', 'customer orders', 'SCHEMA', '"
                + schema
                + "', 'TABLE', 'orders'");
        s.execute(
            "EXEC sp_addextendedproperty 'MS_Description', 'gross amount', 'SCHEMA', '"
                + schema
                + "', 'TABLE', 'orders', 'COLUMN', 'amount'");
        SqlServerReader reader = new SqlServerReader(admin, 60);
        assertThat(reader.databases()).contains(schema).doesNotContain("sys");
        Collected.Table read = reader.read(schema, ObjectFilter.of(null, null)).tables().get(0);
        assertThat(read.comment()).isEqualTo("customer orders");
        assertThat(read.stats()).containsEntry("rowEstimate", 2L);
        assertThat(read.attributes().get("primaryKey")).isEqualTo(List.of("id"));
        assertThat(read.columns())
            .extracting(Collected.Column::nativeType)
            .containsExactly("int", "nvarchar(40)", "decimal(12,2)", "varchar(max)");
        assertThat(read.columns().get(2).comment()).isEqualTo("gross amount");
      } finally {
        s.execute("DROP TABLE IF EXISTS " + schema + ".orders");
        s.execute("DROP SCHEMA " + schema);
      }
    }
  }
}

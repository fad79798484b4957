package io.ferry.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The Oracle reader on a real server's dictionary: what the H2 stand-in cannot show. */
@EnabledIfEnvironmentVariable(
    named = "FERRY_ORACLE_URL",
    matches = ".+",
    disabledReason =
        "set FERRY_ORACLE_URL (and FERRY_ORACLE_USER, FERRY_ORACLE_PASSWORD) to a real Oracle server")
class OracleReaderRealIT {
  @Test
  void readsATableOfTheUsersSchema() throws Exception {
    Map<String, Object> options = new HashMap<>();
    options.put("url", System.getenv("FERRY_ORACLE_URL"));
    options.put("user", System.getenv("FERRY_ORACLE_USER"));
    options.put("password", System.getenv("FERRY_ORACLE_PASSWORD"));
    String table =
        "FERRY_CAT_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
    try (Connection admin =
            CollectionService.connect(
                MetaModels.Reader.ORACLE,
                options,
                Duration.ofSeconds(60),
                getClass().getClassLoader());
        Statement s = admin.createStatement()) {
      admin.setReadOnly(false);
      s.execute(
          "CREATE TABLE "
              + table
              + " (ID NUMBER(10) PRIMARY KEY, NAME VARCHAR2(40 CHAR) NOT NULL,"
              + " AMOUNT NUMBER(12,2) DEFAULT 0)");
      try {
        s.execute("COMMENT ON TABLE " + table + " IS 'customer orders'");
        s.execute("COMMENT ON COLUMN " + table + ".AMOUNT IS 'gross amount'");
        String owner = admin.getMetaData().getUserName().toUpperCase(Locale.ROOT);
        OracleReader reader = new OracleReader(admin, 60);
        assertThat(reader.databases()).contains(owner).doesNotContain("SYS", "SYSTEM");
        Collected.Table read =
            reader.read(owner, ObjectFilter.of(owner + "." + table, null)).tables().stream()
                .filter(t -> t.name().equals(table))
                .findFirst()
                .orElseThrow();
        assertThat(read.comment()).isEqualTo("customer orders");
        assertThat(read.attributes()).containsEntry("primaryKey", List.of("ID"));
        assertThat(read.columns())
            .extracting(Collected.Column::nativeType)
            .containsExactly("NUMBER(10)", "VARCHAR2(40 CHAR)", "NUMBER(12,2)");
        assertThat(read.columns().get(2).comment()).isEqualTo("gross amount");
        assertThat(read.columns().get(2).defaultValue()).isEqualTo("0");
      } finally {
        s.execute("DROP TABLE " + table + " PURGE");
      }
    }
  }
}

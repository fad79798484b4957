package io.ferry.server.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.shared.DomainException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataxImportTest {
  /** Data source 1: a mysql connection; no database behind it. */
  private static final DataSourceService DATA_SOURCES =
      new DataSourceService(null, null, null, null, null) {
        @Override
        public View get(long id) {
          return new View(id, "maria", "mysql", null, Map.of(), Instant.EPOCH, Instant.EPOCH, null);
        }
      };

  @Test
  void aFileReadingSeveralDatabasesIsAProblemNamingItsReader() {
    String sharded =
        """
        {"job": {"content": [{
          "reader": {"name": "mysqlreader", "parameter": {"username": "u", "column": ["*"],
            "connection": [{"table": ["t"], "jdbcUrl": ["jdbc:mysql://db1:3306/a"]},
                           {"table": ["t"], "jdbcUrl": ["jdbc:mysql://db2:3306/b"]}]}},
          "writer": {"name": "streamwriter", "parameter": {"print": false}}}]}}
        """;
    assertThatThrownBy(
            () ->
                new DataxImport(DATA_SOURCES)
                    .requests(
                        List.of(new DataxImport.DataxFile("orders", sharded)), null, 1L, null))
        .isInstanceOfSatisfying(
            DomainException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.field()).isEqualTo("files[0].source");
                          assertThat(p.message())
                              .contains("reads 2 databases")
                              .contains("ferry run");
                        }));
  }
}

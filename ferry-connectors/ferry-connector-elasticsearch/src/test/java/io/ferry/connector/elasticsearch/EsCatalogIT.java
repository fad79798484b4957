package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Indexes, aliases, fields with Ferry types and document counts. */
class EsCatalogIT {
  final EsServer server = EsServer.es8();

  @Test
  void listsIndexesAndAliasesWithFieldsAndCounts() {
    listsIndexesAndAliases(server);
  }

  /** The catalog of {@code server} (OpenSearch too). */
  static void listsIndexesAndAliases(EsServer server) {
    TestConnectorContext context = new TestConnectorContext("catalog");
    String index = EsTestSupport.indexName(context.runKey(), "people");
    String alias = index + "-alias";
    Schema schema =
        Schema.of(
            Column.of("id", DataType.INT64),
            Column.of("name", DataType.STRING),
            Column.of("born", DataType.DATE),
            Column.of("tags", DataType.array(DataType.STRING)));
    EsTestSupport.createIndex(server, index, EsTypes.mappingFor(schema), 1);
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 7; i++) {
      rows.add(new Object[] {i, "p" + i, null, List.of("t")});
    }
    EsTestSupport.load(server, index, schema, rows);
    EsTestSupport.ok(
        server,
        "POST",
        "/_aliases",
        "{\"actions\":[{\"add\":{\"index\":\"" + index + "\",\"alias\":\"" + alias + "\"}}]}");

    Connector.Role<Catalog> role = new ElasticsearchConnector().catalog().orElseThrow();
    try (Catalog catalog =
        role.create(role.options().parse(EsTestSupport.connection(server)), context)) {
      assertThat(catalog.tables(null))
          .contains(new Catalog.TableRef(null, index), new Catalog.TableRef(null, alias));
      Catalog.TableInfo info = catalog.table(new Catalog.TableRef(null, index));
      assertThat(info.schema()).isEqualTo(schema);
      assertThat(info.columns())
          .extracting(Catalog.ColumnInfo::nativeType)
          .contains("long", "text");
      assertThat(info.rowEstimate()).isEqualTo(OptionalLong.of(7));
      assertThat(info.comment()).contains(alias);
      Catalog.TableInfo viaAlias = catalog.table(new Catalog.TableRef(null, alias));
      assertThat(viaAlias.comment()).isEqualTo("alias of " + index);
      assertThat(viaAlias.rowEstimate()).isEqualTo(OptionalLong.of(7));
      FerryException e =
          catchThrowableOfType(
              FerryException.class,
              () -> catalog.table(new Catalog.TableRef(null, index + "-none")));
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
  }
}

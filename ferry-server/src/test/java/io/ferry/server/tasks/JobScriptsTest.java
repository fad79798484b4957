package io.ferry.server.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.shared.DomainException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobScriptsTest {
  /**
   * Data sources 1 (hbase), 2 (hbase), 3 (postgresql), 4 (mysql, shared mining on, its log in 5, a
   * mongodb); no database behind them.
   */
  private static final DataSourceService DATA_SOURCES =
      new DataSourceService(null, null, null, null, null) {
        @Override
        public View get(long id) {
          String connector =
              switch ((int) id) {
                case 3 -> "postgresql";
                case 4 -> "mysql";
                case 5 -> "mongodb";
                default -> "hbase";
              };
          return new View(
              id, "ds" + id, connector, null, Map.of(), Instant.EPOCH, Instant.EPOCH, null);
        }

        @Override
        public View byAlias(String alias) {
          return get(Long.parseLong(alias.substring(2)));
        }

        @Override
        public java.util.Optional<SharedMining> sharedMiningOf(String alias) {
          return alias.equals("ds4")
              ? java.util.Optional.of(new SharedMining(true, "ds5", "mining_shop", 24L))
              : java.util.Optional.empty();
        }

        @Override
        public ChangeRoles changeRoles(long id) {
          return new ChangeRoles(true, true, "table", Map.of(), List.of());
        }

        @Override
        public String objectOption(String connectorName) {
          return "table";
        }
      };

  private static String script(String source, String target, long targetId) {
    return new JobScripts(DATA_SOURCES, null)
        .toScript(
            "t",
            new JobScripts.Wizard(
                new JobScripts.Endpoint(1L, source, null, null),
                new JobScripts.Endpoint(targetId, target, "insert", null),
                null,
                null,
                null));
  }

  private static String cdcScript(long sourceId, Boolean sharedMining) {
    return new JobScripts(DATA_SOURCES, null)
        .toScript(
            "t",
            new JobScripts.Wizard(
                new JobScripts.Endpoint(sourceId, "shop.orders", null, null),
                new JobScripts.Endpoint(3L, "orders", null, null),
                null,
                null,
                "full-incremental",
                null,
                sharedMining));
  }

  @Test
  void aCdcTaskOfASourceWithSharedMiningReadsItsMiningLogByDefault() {
    // Left to the data source's switch (on): the mining log named by its data source.
    String on = cdcScript(4, null);
    assertThat(on)
        .contains("sharedMining: true", "datasource: ds5", "collection: mining_shop")
        .doesNotContain("table: mining_shop");
    assertThat(cdcScript(4, true)).isEqualTo(on);
    // Switched off in the wizard, or a source without the switch: no shared mining.
    assertThat(cdcScript(4, false)).doesNotContain("sharedMining", "miningLog");
    assertThat(cdcScript(3, null)).doesNotContain("sharedMining", "miningLog");
    // Asked for on a source whose switch is off: refused, naming the field.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> cdcScript(3, true))
        .isInstanceOf(io.ferry.server.shared.DomainException.Invalid.class)
        .hasMessageContaining("wizard.sharedMining")
        .hasMessageContaining("shared mining off");
  }

  @Test
  void anHBaseTablePickedFromTheCatalogIsNamedAsHBaseNamesIt() {
    // The wizard picks namespace + table and joins them with a dot; HBase writes ns:table.
    String script = script("ns1.events", "default.events_copy", 2);
    assertThat(script).contains("table: ns1:events", "table: default:events_copy");
    // A qualifier may hold dots: only the first one separates the namespace.
    assertThat(script("ns1.events.v2", "ns2:t", 2))
        .contains("table: ns1:events.v2", "table: ns2:t");
    // A bare name stays (the default namespace); other connectors keep their dots.
    assertThat(script("events", "sales.items", 3)).contains("table: events", "table: sales.items");
  }

  private static JobScripts.Wizard incremental(String syncMode, JobScripts.Incremental inc) {
    return new JobScripts.Wizard(
        new JobScripts.Endpoint(3L, "shop.orders", null, null),
        new JobScripts.Endpoint(3L, "dw.orders", "upsert", null),
        null,
        null,
        syncMode,
        inc,
        null);
  }

  @Test
  void aBatchTaskGetsTheIncrementalSectionTheWizardFilled() {
    JobScripts scripts = new JobScripts(DATA_SOURCES, null);
    assertThat(
            scripts.toScript(
                "t", incremental("full", new JobScripts.Incremental(" updated_at ", "10m", ""))))
        .contains("incremental:\n  cursor: updated_at\n  lookBack: 10m\n")
        .doesNotContain("start");
    assertThat(
            scripts.toScript(
                "t", incremental(null, new JobScripts.Incremental("id", null, "1000"))))
        .contains("incremental:\n  cursor: id\n  start: 1000\n");
    // Nothing filled in: no section; a look-back without a cursor: a problem on the cursor.
    assertThat(
            scripts.toScript("t", incremental("full", new JobScripts.Incremental("", null, null))))
        .doesNotContain("incremental");
    assertThatThrownBy(
            () ->
                scripts.toScript(
                    "t", incremental("full", new JobScripts.Incremental(null, "1h", null))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.field()).isEqualTo("wizard.incremental.cursor")));
  }

  @Test
  void aScriptNamesTheObjectsOfEachSideThatNamesADataSource() {
    List<JobScripts.SideObjects> sides =
        JobScripts.objectsOf(
            "kind: cdc\n"
                + "source: {datasource: maria, tables: [shop.orders, shop.items]}\n"
                + "sink: {datasource: es, index: orders}\n");
    assertThat(sides)
        .containsExactly(
            new JobScripts.SideObjects("source", "maria", List.of("shop.orders", "shop.items")),
            new JobScripts.SideObjects("sink", "es", List.of("orders")));
    assertThat(
            JobScripts.objectsOf(
                "source: {datasource: m, tables: 'a.b, a.c'}\nsink: {connector: blackhole}\n"))
        .containsExactly(new JobScripts.SideObjects("source", "m", List.of("a.b", "a.c")));
    assertThat(JobScripts.objectsOf("source: [unclosed")).isEmpty();
  }
}

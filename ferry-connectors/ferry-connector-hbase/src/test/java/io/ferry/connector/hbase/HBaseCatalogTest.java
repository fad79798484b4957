package io.ferry.connector.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.spi.Catalog;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.util.List;
import org.apache.hadoop.hbase.NamespaceDescriptor;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;

/** Namespaces, tables, families and region counts through the catalog role. */
class HBaseCatalogTest {
  @Test
  void listsNamespacesTablesFamiliesAndRegions() throws Exception {
    String ns = "cat" + System.nanoTime() % 100000;
    try (Admin admin = HBaseTestCluster.connection().getAdmin()) {
      admin.createNamespace(NamespaceDescriptor.create(ns).build());
    }
    String table = ns + ":orders";
    HBaseTestCluster.createTable(
        table, List.of("d", "meta"), Bytes.toBytes("g"), Bytes.toBytes("p"));
    var role = new HBaseConnector().catalog().orElseThrow();
    try (Catalog catalog =
        role.create(
            role.options().parse(HBaseTestCluster.options()),
            new io.ferry.connector.testkit.TestConnectorContext("catalog"))) {
      assertThat(catalog.schemas()).contains("default", "hbase", ns);
      assertThat(catalog.tables(ns)).containsExactly(new Catalog.TableRef(ns, "orders"));
      Catalog.TableInfo info = catalog.table(new Catalog.TableRef(ns, "orders"));
      assertThat(info.columns())
          .extracting(Catalog.ColumnInfo::name)
          .containsExactly("rowkey", "d", "meta");
      assertThat(info.primaryKey()).containsExactly("rowkey");
      assertThat(info.comment()).startsWith("3 regions").contains("d, meta");
      assertThat(info.columns().get(1).comment()).contains("VERSIONS 5");
      FerryException e =
          catchThrowableOfType(
              FerryException.class, () -> catalog.table(new Catalog.TableRef(ns, "nope")));
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
  }

  /**
   * A distribution loads the connector with its own class loader while the thread's context class
   * loader is the application's: the client must still find hbase-default.xml and its classes.
   */
  @Test
  void worksWhenTheContextClassLoaderCannotSeeHBase() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(new java.net.URLClassLoader(new java.net.URL[0], null));
    var role = new HBaseConnector().catalog().orElseThrow();
    try (Catalog catalog =
        role.create(
            role.options().parse(HBaseTestCluster.options()),
            new io.ferry.connector.testkit.TestConnectorContext("loader"))) {
      assertThat(catalog.schemas()).contains("default");
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}

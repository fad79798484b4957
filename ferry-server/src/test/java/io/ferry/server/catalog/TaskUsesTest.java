package io.ferry.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskUsesTest {
  @Test
  void aTaskNamesATableQualifiedOrInTheDataSourcesOwnDatabaseExactly() {
    assertThat(TaskUses.names("shop.orders", "shop", "shop", "orders")).isTrue();
    assertThat(TaskUses.names("orders", "shop", "shop", "orders")).isTrue();
    assertThat(TaskUses.names("orders", "crm", "shop", "orders")).as("another database").isFalse();
    assertThat(TaskUses.names("orders", null, "shop", "orders")).as("home unknown").isTrue();
    assertThat(TaskUses.names("Orders", "shop", "shop", "orders")).as("case").isFalse();
    assertThat(TaskUses.names("shop.Orders", "shop", "shop", "orders")).isFalse();
    assertThat(TaskUses.names("ns:events", "default", "ns", "events")).as("HBase").isTrue();
    assertThat(TaskUses.names("shop.orders_2", "shop", "shop", "orders")).isFalse();
  }

  @Test
  void parametersAndGlobsMatchTheNamesTheyCanMake() {
    assertThat(TaskUses.names("shop.orders_${bizdate}", "shop", "shop", "orders_20261207"))
        .isTrue();
    assertThat(TaskUses.names("orders_$[yyyymmdd-1]", "shop", "shop", "orders_20261206")).isTrue();
    assertThat(TaskUses.names("orders_${bizdate}", "shop", "shop", "orders_")).isFalse();
    assertThat(TaskUses.names("shop.ord*", "shop", "shop", "orders")).isTrue();
    assertThat(TaskUses.names("shop.ord?rs", "shop", "shop", "orders")).isTrue();
    assertThat(TaskUses.names("crm.*", "shop", "shop", "orders")).isFalse();
    assertThat(TaskUses.names("shop.(x)", "shop", "shop", "(x)")).as("no regex").isTrue();
  }

  @Test
  void theHomeDatabaseComesFromTheDataSource() {
    assertThat(TaskUses.homeDatabase("postgresql", Map.of("database", "app"))).isEqualTo("public");
    assertThat(TaskUses.homeDatabase("postgresql", Map.of("schema", "sales"))).isEqualTo("sales");
    assertThat(TaskUses.homeDatabase("mysql", Map.of("database", "shop"))).isEqualTo("shop");
    assertThat(
            TaskUses.homeDatabase(
                "mysql", Map.of("url", "jdbc:mysql://127.0.0.1:3306/shop?useSSL=false")))
        .isEqualTo("shop");
    assertThat(TaskUses.homeDatabase("mysql", Map.of("url", "jdbc:mariadb://127.0.0.1/"))).isNull();
    assertThat(TaskUses.homeDatabase("jdbc", Map.of("url", "jdbc:postgresql://h/app"))).isNull();
    assertThat(TaskUses.homeDatabase("hbase", Map.of())).isEqualTo("default");
    assertThat(TaskUses.homeDatabase("mongodb", Map.of("database", "app"))).isEqualTo("app");
  }
}

package io.ferry.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.server.shared.DomainException;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

/** The collection rule's cron expressions, the include/exclude patterns and the model binding. */
class CollectionRulesTest {

  @Test
  void aCycleAndATimeOfDayMakeAValidQuartzCron() {
    assertThat(CollectionService.cron("DAY", null, LocalTime.of(2, 30))).isEqualTo("0 30 2 * * ?");
    assertThat(CollectionService.cron("WEEK", 7, LocalTime.of(23, 5))).isEqualTo("0 5 23 ? * SUN");
    assertThat(CollectionService.cron("MONTH", 28, LocalTime.of(0, 0))).isEqualTo("0 0 0 28 * ?");
    for (String cron :
        java.util.List.of(
            CollectionService.cron("DAY", null, LocalTime.of(2, 30)),
            CollectionService.cron("WEEK", 1, LocalTime.NOON),
            CollectionService.cron("MONTH", 1, LocalTime.MIDNIGHT))) {
      assertThat(CronExpression.isValidExpression(cron)).as(cron).isTrue();
    }
  }

  @Test
  void patternsNameDatabasesOrTablesCaseSensitivelyAndAnExclusionWins() {
    ObjectFilter all = ObjectFilter.of(null, " ");
    assertThat(all.readsDatabase("x")).isTrue();
    assertThat(all.covers("x", "y")).isTrue();

    ObjectFilter f = ObjectFilter.of("sales, crm.customer_*", "*.tmp_?,secret");
    assertThat(f.readsDatabase("sales")).isTrue();
    assertThat(f.readsDatabase("crm")).isTrue();
    assertThat(f.readsDatabase("Sales")).as("case-sensitive").isFalse();
    assertThat(f.readsDatabase("secret")).isFalse();
    assertThat(f.covers("sales", "orders")).isTrue();
    assertThat(f.covers("sales", "tmp_1")).isFalse();
    assertThat(f.covers("sales", "tmp_12")).isTrue();
    assertThat(f.covers("crm", "customer_a")).isTrue();
    assertThat(f.covers("crm", "orders")).isFalse();
    assertThat(ObjectFilter.of("a.b", null).covers("axb", "c")).as("dots are literal").isFalse();
  }

  @Test
  void aDataSourceTypeIsBoundToOneModel() {
    assertThat(MetaModels.choose(null, "mysql")).isSameAs(MetaModels.MYSQL);
    assertThat(MetaModels.choose("postgresql", "postgresql")).isSameAs(MetaModels.POSTGRESQL);
    assertThat(MetaModels.choose(null, "mongodb")).isSameAs(MetaModels.GENERIC);
    assertThatThrownBy(() -> MetaModels.choose("postgresql", "mysql"))
        .isInstanceOf(DomainException.Invalid.class)
        .hasMessageContaining("bound to the meta-model 'mysql'");
  }
}

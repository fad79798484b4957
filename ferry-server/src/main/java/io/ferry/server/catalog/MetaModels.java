package io.ferry.server.catalog;

import io.ferry.server.shared.DomainException;
import java.util.List;
import java.util.Optional;

/**
 * The built-in meta-models. A meta-model is bound to one data-source type (connector) and says
 * which technical attributes a collection reads for each table and column, and how it reads them:
 * bulk queries of the store's own dictionary ({@code information_schema}, {@code pg_catalog},
 * {@code ALL_*}, {@code INFORMATION_SCHEMA} and {@code sys.*}) for MySQL/MariaDB, PostgreSQL,
 * Oracle and SQL Server, the connector's {@link io.ferry.spi.Catalog} for the other types that have
 * one. The common attributes are the same for every model.
 */
public final class MetaModels {
  private MetaModels() {}

  /** How a model's collection reads the store. */
  public enum Reader {
    MYSQL,
    POSTGRESQL,
    ORACLE,
    SQLSERVER,
    CATALOG_SPI
  }

  /**
   * One attribute of a model.
   *
   * @param appliesTo {@code table} or {@code column}
   */
  public record Attribute(String key, String appliesTo, String label, String labelZh) {}

  /**
   * @param connectors the data-source types (connector names) the model is bound to; empty for the
   *     generic model, which serves every connector with a catalog and no model of its own
   */
  public record MetaModel(
      String id,
      String name,
      String nameZh,
      List<String> connectors,
      Reader reader,
      List<Attribute> technical,
      List<Attribute> common) {}

  /** The same for every model; people set them on the table page. */
  static final List<Attribute> COMMON =
      List.of(
          new Attribute("owner", "table", "Owner", "负责人"),
          new Attribute("description", "table", "Description", "描述"),
          new Attribute("tags", "table", "Tags", "标签"),
          new Attribute("classification", "table", "Classification", "分类分级"));

  private static Attribute t(String key, String label, String labelZh) {
    return new Attribute(key, "table", label, labelZh);
  }

  private static Attribute c(String key, String label, String labelZh) {
    return new Attribute(key, "column", label, labelZh);
  }

  public static final MetaModel MYSQL =
      new MetaModel(
          "mysql",
          "MySQL / MariaDB",
          "MySQL / MariaDB",
          List.of("mysql"),
          Reader.MYSQL,
          List.of(
              t("kind", "Type (table / view)", "类型（表 / 视图）"),
              t("comment", "Comment", "注释"),
              t("engine", "Engine", "存储引擎"),
              t("collation", "Collation", "排序规则"),
              t("createOptions", "Create options (partitioning)", "建表选项（分区）"),
              t("createTime", "Created", "创建时间"),
              t("primaryKey", "Primary key", "主键"),
              t("indexes", "Indexes", "索引"),
              t("rowEstimate", "Row estimate", "估计行数"),
              t("dataBytes", "Data size (bytes)", "数据大小（字节）"),
              t("indexBytes", "Index size (bytes)", "索引大小（字节）"),
              t("updateTime", "Updated", "更新时间"),
              c("nativeType", "Type", "类型"),
              c("length", "Length", "长度"),
              c("precision", "Precision", "精度"),
              c("scale", "Scale", "小数位"),
              c("nullable", "Nullable", "可为空"),
              c("default", "Default", "默认值"),
              c("key", "Key (PRI / UNI / MUL)", "键（PRI / UNI / MUL）"),
              c("extra", "Extra (auto_increment, ...)", "额外（自增等）"),
              c("charset", "Character set", "字符集"),
              c("collation", "Collation", "排序规则"),
              c("comment", "Comment", "注释")),
          COMMON);

  public static final MetaModel POSTGRESQL =
      new MetaModel(
          "postgresql",
          "PostgreSQL",
          "PostgreSQL",
          List.of("postgresql"),
          Reader.POSTGRESQL,
          List.of(
              t(
                  "kind",
                  "Type (table / view / materialized view / partitioned / foreign)",
                  "类型（表 / 视图 / 物化视图 / 分区表 / 外部表）"),
              t("comment", "Comment", "注释"),
              t("owner", "Owner (role)", "所有者（角色）"),
              t("persistence", "Persistence (permanent / unlogged)", "持久性（永久 / 不记日志）"),
              t("partitionKey", "Partition key", "分区键"),
              t("primaryKey", "Primary key", "主键"),
              t("indexes", "Indexes", "索引"),
              t("rowEstimate", "Row estimate", "估计行数"),
              t("bytesEstimate", "Size estimate (bytes, from pages)", "估计大小（字节，按页数）"),
              c("nativeType", "Type", "类型"),
              c("nullable", "Nullable", "可为空"),
              c("default", "Default", "默认值"),
              c("identity", "Identity (always / by default)", "标识列（always / by default）"),
              c("comment", "Comment", "注释")),
          COMMON);

  public static final MetaModel ORACLE =
      new MetaModel(
          "oracle",
          "Oracle",
          "Oracle",
          List.of("oracle"),
          Reader.ORACLE,
          List.of(
              t("kind", "Type (table / view)", "类型（表 / 视图）"),
              t("comment", "Comment", "注释"),
              t("tablespace", "Tablespace", "表空间"),
              t("partitioned", "Partitioned", "分区表"),
              t("temporary", "Temporary", "临时表"),
              t("organization", "Organization (heap / index)", "组织方式（堆 / 索引）"),
              t("primaryKey", "Primary key", "主键"),
              t("indexes", "Indexes", "索引"),
              t("rowEstimate", "Row estimate (statistics)", "估计行数（统计信息）"),
              t("blocks", "Blocks (statistics)", "块数（统计信息）"),
              t("averageRowBytes", "Average row length (bytes)", "平均行长（字节）"),
              t("lastAnalyzed", "Statistics gathered", "统计信息收集时间"),
              c("nativeType", "Type", "类型"),
              c("length", "Length (bytes)", "长度（字节）"),
              c("precision", "Precision", "精度"),
              c("scale", "Scale", "小数位"),
              c("nullable", "Nullable", "可为空"),
              c("default", "Default", "默认值"),
              c("comment", "Comment", "注释")),
          COMMON);

  public static final MetaModel SQLSERVER =
      new MetaModel(
          "sqlserver",
          "SQL Server",
          "SQL Server",
          List.of("sqlserver"),
          Reader.SQLSERVER,
          List.of(
              t("kind", "Type (table / view)", "类型（表 / 视图）"),
              t("comment", "Description (MS_Description)", "描述（MS_Description）"),
              t("primaryKey", "Primary key", "主键"),
              t("indexes", "Unique constraints", "唯一约束"),
              t("rowEstimate", "Rows (partitions)", "行数（分区）"),
              c("nativeType", "Type", "类型"),
              c("length", "Length", "长度"),
              c("precision", "Precision", "精度"),
              c("scale", "Scale", "小数位"),
              c("collation", "Collation", "排序规则"),
              c("nullable", "Nullable", "可为空"),
              c("default", "Default", "默认值"),
              c("comment", "Description (MS_Description)", "描述（MS_Description）")),
          COMMON);

  public static final MetaModel GENERIC =
      new MetaModel(
          "generic",
          "Any connector with a catalog",
          "任意带目录的连接器",
          List.of(),
          Reader.CATALOG_SPI,
          List.of(
              t("comment", "Comment", "注释"),
              t("primaryKey", "Primary key", "主键"),
              t("indexes", "Indexes", "索引"),
              t("rowEstimate", "Row estimate", "估计行数"),
              c("nativeType", "Type", "类型"),
              c("ferryType", "Ferry type", "Ferry 类型"),
              c("nullable", "Nullable", "可为空"),
              c("default", "Default", "默认值"),
              c("comment", "Comment", "注释")),
          COMMON);

  public static final List<MetaModel> ALL = List.of(MYSQL, POSTGRESQL, ORACLE, SQLSERVER, GENERIC);

  public static Optional<MetaModel> find(String id) {
    return ALL.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /** The model bound to a connector: its own, else the generic one. */
  public static MetaModel forConnector(String connector) {
    return ALL.stream().filter(m -> m.connectors().contains(connector)).findFirst().orElse(GENERIC);
  }

  /**
   * The model a task asks for, checked against its data source's connector.
   *
   * @param id null for the connector's own model
   */
  static MetaModel choose(String id, String connector) {
    MetaModel bound = forConnector(connector);
    if (id == null || id.isBlank()) {
      return bound;
    }
    MetaModel asked =
        find(id)
            .orElseThrow(
                () -> DomainException.invalid("model", "there is no meta-model '" + id + "'"));
    if (asked != bound) {
      throw DomainException.invalid(
          "model",
          "the data source's type "
              + connector
              + " is bound to the meta-model '"
              + bound.id()
              + "', not '"
              + id
              + "'");
    }
    return asked;
  }
}

package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The metadata catalog over the API against the machine's MariaDB and PostgreSQL: a task's first
 * run at creation, added / changed / removed counts and history after DDL between runs, an
 * unchanged re-run that writes no version (also while a table is exclusively locked), an unreadable
 * view in the error log with the rest collected, names that differ only in case, search by comment,
 * cron edit, schedule fire, a narrower filter that removes nothing, the removal guard, a failed
 * collection that removes nothing, an orphaned RUNNING instance failed, the Catalog SPI for a
 * connector without a model, delete. One server (H2 store) for the class.
 */
class CatalogIT {
  static TestServer server;
  static final String MARIA = TestDatabases.newName("ferry_cat");
  static final String PG = TestDatabases.newName("ferry_cat");

  @BeforeAll
  static void start() throws Exception {
    TestDatabases.createMariadb(MARIA);
    TestDatabases.createPostgres(PG);
    server = new TestServer();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      TestDatabases.dropMariadb(MARIA);
      TestDatabases.dropPostgres(PG);
    }
  }

  private static void mariadb(String... statements) throws Exception {
    try (Connection c = TestDatabases.mariadb(MARIA);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static void postgres(String... statements) throws Exception {
    try (Connection c = TestDatabases.postgres(PG);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static long dataSource(String alias, String connector, String url, String user) {
    Reply r =
        server.post(
            "/api/datasources",
            Map.of(
                "alias",
                alias,
                "connector",
                connector,
                "options",
                Map.of("url", url, "user", user, "password", "")));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static JsonNode await(long instance) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Reply r = server.get("/api/catalog/instances/" + instance);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      last = r.json();
      if (!last.get("instance").get("state").asText().equals("RUNNING")) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("instance " + instance + " still running: " + last);
  }

  private static JsonNode sync(long task) throws InterruptedException {
    Reply r = server.post("/api/catalog/tasks/" + task + "/sync", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return await(r.json().get("instance").get("id").asLong());
  }

  /** A 400's problems as {@code field: message}. */
  private static List<String> problems(Reply r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    List<String> out = new ArrayList<>();
    r.json()
        .get("problems")
        .forEach(p -> out.add(p.get("field").asText() + ": " + p.get("message").asText()));
    return out;
  }

  /** Counts of an instance: databases, tables, columns, then added/changed/removed. */
  private static List<Integer> counts(JsonNode detail) {
    JsonNode i = detail.get("instance");
    List<Integer> out = new ArrayList<>();
    for (String f :
        List.of(
            "databases",
            "tables",
            "columns",
            "tablesAdded",
            "tablesChanged",
            "tablesRemoved",
            "columnsAdded",
            "columnsChanged",
            "columnsRemoved")) {
      out.add(i.get(f).asInt());
    }
    return out;
  }

  private static Map<String, JsonNode> tables(long ds, String database) {
    Reply r =
        server.get(
            "/api/catalog/sources/" + ds + "/tables?database=" + database + "&includeRemoved=true");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    r.json().forEach(t -> byName.put(t.get("name").asText(), t));
    return byName;
  }

  private static long task(Map<String, Object> body) {
    Reply r = server.post("/api/tasks", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static long versions() {
    return server
        .bean(JdbcClient.class)
        .sql("SELECT COUNT(*) FROM ferry_catalog_history")
        .query(Long.class)
        .single();
  }

  @Test
  void aMariaDbCatalogIsCollectedVersionedAndSearchable() throws Exception {
    mariadb(
        "CREATE TABLE orders (id INT PRIMARY KEY, amount DECIMAL(12,2) COMMENT 'order amount',"
            + " note VARCHAR(20)) COMMENT 'customer orders'",
        "CREATE TABLE `Orders` (id INT)",
        "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50) COMMENT 'the zebra-striped"
            + " full name', KEY by_name (name))",
        "CREATE VIEW v_ok AS SELECT id, name FROM customers",
        "CREATE TABLE gone (id INT)",
        "CREATE VIEW v_broken AS SELECT id FROM gone",
        "DROP TABLE gone");
    long ds = dataSource("cat-maria", "mysql", TestDatabases.MARIADB + MARIA, "root");

    // A weekly task: the cron comes from the rule; the first run starts at creation.
    Reply created =
        server.post(
            "/api/catalog/tasks",
            Map.of(
                "name",
                "maria catalog",
                "dataSourceId",
                ds,
                "cycle",
                "week",
                "day",
                2,
                "time",
                "02:30",
                "includes",
                MARIA));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long task = created.json().get("task").get("id").asLong();
    assertThat(created.json().get("task").get("cron").asText()).isEqualTo("0 30 2 ? * TUE");
    assertThat(created.json().get("task").get("model").asText()).isEqualTo("mysql");
    assertThat(created.json().get("instance").get("trigger").asText()).isEqualTo("CREATION");

    JsonNode first = await(created.json().get("instance").get("id").asLong());
    // orders 3 + Orders 1 + customers 2 + v_ok 2; the broken view is logged, the rest collected.
    assertThat(counts(first)).containsExactly(1, 4, 8, 4, 0, 0, 8, 0, 0);
    assertThat(first.get("instance").get("state").asText()).isEqualTo("PARTIAL");
    assertThat(first.get("errors")).hasSize(1);
    assertThat(first.get("errors").get(0).get("object").asText()).isEqualTo(MARIA + ".v_broken");
    assertThat(first.get("errors").get(0).get("code").asText()).isEqualTo("catalog.unreadable");

    Map<String, JsonNode> tables = tables(ds, MARIA);
    assertThat(tables.keySet()).containsExactlyInAnyOrder("orders", "Orders", "customers", "v_ok");
    JsonNode customers =
        server.get("/api/catalog/tables/" + tables.get("customers").get("id")).json();
    assertThat(customers.get("technical").get("primaryKey").get(0).asText()).isEqualTo("id");
    assertThat(customers.get("technical").get("indexes").has("by_name")).isTrue();
    assertThat(customers.get("technical").get("engine").asText()).isEqualTo("InnoDB");
    assertThat(customers.get("columns").get(1).get("attributes").get("key").asText())
        .isEqualTo("MUL");

    // Common attributes are people's: set here, kept by every later collection, searched by tag.
    Reply common =
        server.put(
            "/api/catalog/tables/" + tables.get("customers").get("id") + "/common",
            Map.of("owner", "ana", "tags", List.of("pii", "crm-core"), "classification", "L3"));
    assertThat(common.status()).as(common.toString()).isEqualTo(200);
    assertThat(
            server
                .put(
                    "/api/catalog/tables/" + tables.get("customers").get("id") + "/common",
                    Map.of("tags", List.of("a,b")))
                .status())
        .isEqualTo(400);

    // Custom attributes: defined per meta-model, checked when set (each refusal names the
    // attribute), kept by every later collection.
    String customersPath = "/api/catalog/tables/" + tables.get("customers").get("id");
    Reply sensitivity =
        server.post(
            "/api/catalog/models/mysql/attributes",
            Map.of(
                "name",
                "sensitivity",
                "type",
                "string",
                "required",
                true,
                "allowedValues",
                List.of("public", "internal", "secret")));
    assertThat(sensitivity.status()).as(sensitivity.toString()).isEqualTo(201);
    Reply retention =
        server.post(
            "/api/catalog/models/mysql/attributes",
            Map.of("name", "retentionDays", "type", "number"));
    assertThat(retention.status()).as(retention.toString()).isEqualTo(201);
    assertThat(
            problems(
                server.post(
                    "/api/catalog/models/mysql/attributes",
                    Map.of("name", "Sensitivity", "type", "string"))))
        .containsExactly("name: the meta-model has a custom attribute 'Sensitivity' already");
    assertThat(
            problems(
                server.post(
                    "/api/catalog/models/mysql/attributes",
                    Map.of("name", "colour", "type", "colour"))))
        .containsExactly("type: 'colour' is not one of boolean, date, number, string");
    assertThat(server.get("/api/catalog/models/nope/attributes").status()).isEqualTo(404);
    assertThat(
            problems(
                server.put(
                    customersPath + "/custom", Map.of("values", Map.of("retentionDays", 30)))))
        .containsExactly("values.sensitivity: the custom attribute 'sensitivity' is required");
    assertThat(
            problems(
                server.put(
                    customersPath + "/custom",
                    Map.of(
                        "values",
                        Map.of("sensitivity", "top", "retentionDays", "x", "colour", "red")))))
        .containsExactlyInAnyOrder(
            "values.colour: 'colour' is not a custom attribute of this meta-model"
                + " (it has [sensitivity, retentionDays])",
            "values.sensitivity: the custom attribute 'sensitivity' takes one of"
                + " [public, internal, secret], not 'top'",
            "values.retentionDays: the custom attribute 'retentionDays' takes a number, not 'x'");
    Reply customSet =
        server.put(
            customersPath + "/custom",
            Map.of("values", Map.of("sensitivity", "secret", "retentionDays", "30")));
    assertThat(customSet.status()).as(customSet.toString()).isEqualTo(200);
    assertThat(customSet.json().get("model").asText()).isEqualTo("mysql");
    assertThat(customSet.json().get("customAttributes")).hasSize(2);
    assertThat(customSet.json().get("custom").toString())
        .isEqualTo("{\"sensitivity\":\"secret\",\"retentionDays\":30}");
    // A definition may change, but not its name.
    long retentionId = retention.json().get("id").asLong();
    Reply required =
        server.put(
            "/api/catalog/models/mysql/attributes/" + retentionId,
            Map.of("type", "number", "required", true, "allowedValues", List.of("30", "365")));
    assertThat(required.status()).as(required.toString()).isEqualTo(200);
    assertThat(required.json().get("required").asBoolean()).isTrue();
    assertThat(
            problems(
                server.put(
                    "/api/catalog/models/mysql/attributes/" + retentionId,
                    Map.of("name", "keepDays", "type", "number"))))
        .containsExactly(
            "name: the name of a custom attribute cannot change (was 'retentionDays')");

    // An unchanged re-run writes no version.
    long before = versions();
    JsonNode same = sync(task);
    assertThat(counts(same)).containsExactly(1, 4, 8, 0, 0, 0, 0, 0, 0);
    assertThat(versions()).isEqualTo(before);

    // DDL between runs: one table changed (a column added, one widened), one removed (only the
    // upper-case twin), one added.
    mariadb(
        "ALTER TABLE orders ADD COLUMN status VARCHAR(10), MODIFY note VARCHAR(40)",
        "DROP TABLE `Orders`",
        "CREATE TABLE shipments (id INT, orders_id INT)");
    JsonNode second = sync(task);
    assertThat(counts(second)).containsExactly(1, 4, 10, 1, 1, 1, 3, 1, 0);
    tables = tables(ds, MARIA);
    assertThat(tables.get("Orders").get("removedBy").asLong())
        .isEqualTo(second.get("instance").get("id").asLong());
    assertThat(tables.get("orders").get("removedBy").isNull()).isTrue();
    JsonNode orders = server.get("/api/catalog/tables/" + tables.get("orders").get("id")).json();
    JsonNode history = orders.get("history");
    assertThat(history).hasSize(2);
    assertThat(history.get(0).get("change").asText()).isEqualTo("ADDED");
    assertThat(history.get(1).get("change").asText()).isEqualTo("CHANGED");
    assertThat(history.get(1).get("instanceId").asLong())
        .isEqualTo(second.get("instance").get("id").asLong());
    assertThat(history.get(1).get("detail").get("columnsAdded").get(0).asText())
        .isEqualTo("status");
    assertThat(history.get(1).get("detail").get("columnsChanged").get(0).asText())
        .isEqualTo("note");

    JsonNode kept = server.get("/api/catalog/tables/" + tables.get("customers").get("id")).json();
    assertThat(kept.get("common").get("owner").asText()).isEqualTo("ana");
    assertThat(kept.get("common").get("tags").toString()).isEqualTo("[\"pii\",\"crm-core\"]");
    assertThat(kept.get("custom").toString())
        .isEqualTo("{\"sensitivity\":\"secret\",\"retentionDays\":30}");
    // A deleted definition's values are no longer shown.
    assertThat(server.delete("/api/catalog/models/mysql/attributes/" + retentionId).status())
        .isEqualTo(204);
    assertThat(server.get(customersPath).json().get("custom").toString())
        .isEqualTo("{\"sensitivity\":\"secret\"}");
    JsonNode byTag = server.get("/api/catalog/search?q=CRM-core").json().get("tables").get("items");
    assertThat(byTag).hasSize(1);
    assertThat(byTag.get(0).get("name").asText()).isEqualTo("customers");

    // Search by a column's comment, across sources.
    // (MariaDB gives the view's column the comment of the column it selects.)
    List<String> hits = new ArrayList<>();
    server
        .get("/api/catalog/search?q=ZEBRA-striped")
        .json()
        .get("columns")
        .get("items")
        .forEach(h -> hits.add(h.get("table").asText() + "." + h.get("column").asText()));
    assertThat(hits).containsExactlyInAnyOrder("customers.name", "v_ok.name");
    assertThat(
            server.get("/api/catalog/search?q=customer%20orders").json().get("tables").get("items"))
        .hasSize(1);

    // Only the cron is editable; a schedule that fires every second makes SCHEDULE instances.
    assertThat(server.put("/api/catalog/tasks/" + task, Map.of("cron", "not a cron")).status())
        .isEqualTo(400);
    Reply edited = server.put("/api/catalog/tasks/" + task, Map.of("cron", "* * * * * ?"));
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    assertThat(edited.json().get("cycle").asText()).isEqualTo("WEEK");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    boolean fired = false;
    while (!fired && System.nanoTime() < deadline) {
      for (JsonNode i :
          server.get("/api/catalog/tasks/" + task + "/instances").json().get("items")) {
        fired |=
            i.get("trigger").asText().equals("SCHEDULE")
                && !i.get("state").asText().equals("RUNNING");
      }
      Thread.sleep(200);
    }
    assertThat(fired).as("a scheduled instance").isTrue();
    assertThat(server.put("/api/catalog/tasks/" + task, Map.of("cron", "0 0 3 * * ?")).status())
        .isEqualTo(200);

    // A narrower filter (another task on the same source) removes nothing it does not cover.
    Reply narrow =
        server.post(
            "/api/catalog/tasks",
            Map.of(
                "name",
                "orders only",
                "dataSourceId",
                ds,
                "cycle",
                "month",
                "day",
                28,
                "time",
                "23:59",
                "includes",
                MARIA + ".orders"));
    assertThat(narrow.status()).as(narrow.toString()).isEqualTo(201);
    JsonNode narrowRun = await(narrow.json().get("instance").get("id").asLong());
    assertThat(counts(narrowRun)).containsExactly(1, 1, 4, 0, 0, 0, 0, 0, 0);
    assertThat(tables(ds, MARIA).get("customers").get("removedBy").isNull()).isTrue();
    assertThat(server.get("/api/catalog/tasks?q=cat-maria").json().get("total").asInt())
        .as("tasks searched by data-source name")
        .isEqualTo(2);
    // Asked, it removes what it does not cover.
    List<String> uncovered = new ArrayList<>();
    tables(ds, MARIA)
        .forEach(
            (name, t) -> {
              if (!name.equals("orders") && t.get("removedBy").isNull()) {
                uncovered.add(name);
              }
            });
    Reply prune =
        server.post(
            "/api/catalog/tasks/"
                + narrow.json().get("task").get("id").asLong()
                + "/sync?removeUncovered=true",
            null);
    assertThat(prune.status()).as(prune.toString()).isEqualTo(202);
    JsonNode pruned = await(prune.json().get("instance").get("id").asLong());
    assertThat(pruned.get("instance").get("tablesRemoved").asInt()).isEqualTo(uncovered.size());
    assertThat(uncovered).contains("customers");
    assertThat(tables(ds, MARIA).get("customers").get("removedBy").asLong())
        .isEqualTo(pruned.get("instance").get("id").asLong());
    assertThat(tables(ds, MARIA).get("orders").get("removedBy").isNull()).isTrue();

    // Delete: the instances and their error logs go with the task; the catalog stays.
    assertThat(server.delete("/api/catalog/tasks/" + task).status()).isEqualTo(204);
    assertThat(server.get("/api/catalog/instances/" + first.get("instance").get("id")).status())
        .isEqualTo(404);
    assertThat(tables(ds, MARIA)).containsKey("customers");
  }

  @Test
  void aPostgresCatalogIsCollectedFromPgCatalog() throws Exception {
    postgres(
        "CREATE SCHEMA sales",
        "CREATE TABLE sales.items (id SERIAL PRIMARY KEY, label TEXT NOT NULL DEFAULT 'x')",
        "COMMENT ON COLUMN sales.items.label IS 'the okapi label'",
        "CREATE TABLE sales.\"Items\" (id INT)",
        "CREATE TABLE public.old_things (id INT)");
    long ds = dataSource("cat-pg", "postgresql", TestDatabases.POSTGRES + PG, "postgres");
    Reply created =
        server.post(
            "/api/catalog/tasks",
            Map.of(
                "name",
                "pg catalog",
                "dataSourceId",
                ds,
                "cycle",
                "day",
                "time",
                "01:00",
                "zone",
                "Asia/Kolkata"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long task = created.json().get("task").get("id").asLong();
    assertThat(created.json().get("task").get("cron").asText()).isEqualTo("0 0 1 * * ?");
    // The schedule fires in the task's own time zone (01:00 in Kolkata is 19:30 UTC), whatever
    // the server's.
    Trigger trigger =
        server
            .bean(Scheduler.class)
            .getTrigger(TriggerKey.triggerKey(String.valueOf(task), "ferry-catalog"));
    assertThat(((CronTrigger) trigger).getTimeZone().getID()).isEqualTo("Asia/Kolkata");
    Instant nextFire = Instant.parse(created.json().get("task").get("nextFireTime").asText());
    assertThat(nextFire.atZone(ZoneId.of("Asia/Kolkata")).toLocalTime())
        .isEqualTo(LocalTime.of(1, 0));
    assertThat(nextFire.atZone(ZoneOffset.UTC).toLocalTime()).isEqualTo(LocalTime.of(19, 30));
    assertThat(trigger.getNextFireTime().toInstant()).isEqualTo(nextFire);
    JsonNode first = await(created.json().get("instance").get("id").asLong());
    // public + sales; items 2, Items 1, old_things 1.
    assertThat(counts(first)).containsExactly(2, 3, 4, 3, 0, 0, 4, 0, 0);
    assertThat(first.get("instance").get("state").asText()).isEqualTo("SUCCEEDED");
    Map<String, JsonNode> sales = tables(ds, "sales");
    assertThat(sales.keySet()).containsExactlyInAnyOrder("items", "Items");
    JsonNode items = server.get("/api/catalog/tables/" + sales.get("items").get("id")).json();
    assertThat(items.get("technical").get("primaryKey").get(0).asText()).isEqualTo("id");
    assertThat(items.get("columns").get(1).get("nativeType").asText()).isEqualTo("text");
    assertThat(items.get("columns").get(1).get("nullable").asBoolean()).isFalse();

    // An unchanged re-run writes no version, and a table locked by a long ALTER does not hold it
    // up (the queries open no table).
    long before = versions();
    try (Connection locker = TestDatabases.postgres(PG);
        Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.execute("LOCK TABLE sales.items IN ACCESS EXCLUSIVE MODE");
      assertThat(counts(sync(task))).containsExactly(2, 3, 4, 0, 0, 0, 0, 0, 0);
      locker.rollback();
    }
    assertThat(versions()).isEqualTo(before);

    postgres(
        "ALTER TABLE sales.items ADD COLUMN price NUMERIC(12,2)",
        "COMMENT ON COLUMN sales.items.label IS 'the okapi label, changed'",
        "DROP TABLE public.old_things");
    JsonNode second = sync(task);
    assertThat(counts(second)).containsExactly(2, 2, 4, 0, 1, 1, 1, 1, 0);
    JsonNode history =
        server.get("/api/catalog/tables/" + sales.get("items").get("id")).json().get("history");
    assertThat(history.get(1).get("detail").get("columnsAdded").get(0).asText()).isEqualTo("price");
    assertThat(history.get(1).get("detail").get("columnsChanged").get(0).asText())
        .isEqualTo("label");

    JsonNode found = server.get("/api/catalog/search?q=okapi").json();
    assertThat(found.get("columns").get("items")).hasSize(1);
    assertThat(found.get("columns").get("items").get(0).get("database").asText())
        .isEqualTo("sales");

    // The table page lists the sync tasks that read or write the table: a wizard task reading it
    // (bare name in the schema picked), a script task writing it as sales.items, one whose name
    // has a parameter; not a task on another table nor one on another data source's sales.items.
    long other = dataSource("cat-pg-other", "postgresql", TestDatabases.POSTGRES + PG, "postgres");
    long wizardTask =
        task(
            Map.of(
                "name",
                "cat-items-wizard",
                "mode",
                "wizard",
                "wizard",
                Map.of(
                    "source",
                    Map.of("datasourceId", ds, "table", "sales.items"),
                    "target",
                    Map.of("datasourceId", other, "table", "public.items_copy"))));
    long scriptTask =
        task(
            Map.of(
                "name",
                "cat-items-script",
                "mode",
                "script",
                "script",
                "source: {datasource: cat-pg-other, table: public.elsewhere}\n"
                    + "sink: {datasource: cat-pg, table: sales.items, writeMode: insert}\n"));
    long paramTask =
        task(
            Map.of(
                "name",
                "cat-items-param",
                "mode",
                "script",
                "script",
                "source: {datasource: cat-pg, table: 'sales.item${bizdate}'}\n"
                    + "sink: {connector: blackhole}\n"));
    task(
        Map.of(
            "name",
            "cat-upper-items",
            "mode",
            "script",
            "script",
            "source: {datasource: cat-pg, table: sales.Items}\nsink: {connector: blackhole}\n"));
    task(
        Map.of(
            "name",
            "cat-other-items",
            "mode",
            "script",
            "script",
            "source: {datasource: cat-pg-other, table: sales.items}\n"
                + "sink: {connector: blackhole}\n"));
    JsonNode uses = server.get("/api/catalog/tables/" + sales.get("items").get("id")).json();
    List<String> users = new ArrayList<>();
    uses.get("tasks")
        .forEach(
            u ->
                users.add(
                    u.get("taskId").asLong()
                        + " "
                        + u.get("mode").asText()
                        + " "
                        + u.get("side").asText()
                        + " "
                        + u.get("object").asText()));
    assertThat(users)
        .containsExactly(
            paramTask + " script source sales.item${bizdate}",
            scriptTask + " script sink sales.items",
            wizardTask + " wizard source sales.items");

    // The wizard's field mapping reads a collected table from the catalog (names exact), and
    // browses live what was not collected (204 here).
    Reply collected = server.get("/api/catalog/sources/" + ds + "/table?database=sales&name=items");
    assertThat(collected.status()).as(collected.toString()).isEqualTo(200);
    assertThat(collected.json().get("tableId").asLong())
        .isEqualTo(sales.get("items").get("id").asLong());
    List<String> fields = new ArrayList<>();
    collected
        .json()
        .get("columns")
        .forEach(c -> fields.add(c.get("name").asText() + " " + c.get("type").asText()));
    assertThat(fields).containsExactly("id integer", "label text", "price numeric(12,2)");
    assertThat(collected.json().get("primaryKey").toString()).isEqualTo("[\"id\"]");
    assertThat(collected.json().get("collectedAt").isNull()).isFalse();
    assertThat(
            server
                .get("/api/catalog/sources/" + ds + "/table?database=sales&name=Items")
                .json()
                .get("columns"))
        .hasSize(1);
    assertThat(
            server.get("/api/catalog/sources/" + ds + "/table?database=sales&name=ITEMS").status())
        .isEqualTo(204);
    assertThat(
            server
                .get("/api/catalog/sources/" + ds + "/table?database=public&name=old_things")
                .status())
        .as("removed by the last collection")
        .isEqualTo(204);

    // Another connector with a catalog (the generic JDBC one) is read through the Catalog SPI.
    long generic = dataSource("cat-jdbc", "jdbc", TestDatabases.POSTGRES + PG, "postgres");
    Reply spi =
        server.post(
            "/api/catalog/tasks",
            Map.of(
                "name",
                "generic catalog",
                "dataSourceId",
                generic,
                "cycle",
                "month",
                "day",
                1,
                "time",
                "04:00",
                "includes",
                "sales"));
    assertThat(spi.status()).as(spi.toString()).isEqualTo(201);
    assertThat(spi.json().get("task").get("model").asText()).isEqualTo("generic");
    JsonNode viaSpi = await(spi.json().get("instance").get("id").asLong());
    assertThat(viaSpi.get("instance").get("state").asText())
        .as(viaSpi.toString())
        .isEqualTo("SUCCEEDED");
    assertThat(counts(viaSpi)).containsExactly(1, 2, 4, 2, 0, 0, 4, 0, 0);
    assertThat(tables(generic, "sales").keySet()).containsExactlyInAnyOrder("items", "Items");

    // A task's model is its data source's; a connector without a catalog has nothing to collect.
    Reply wrongModel =
        server.post(
            "/api/catalog/tasks",
            Map.of(
                "name",
                "x",
                "dataSourceId",
                ds,
                "model",
                "mysql",
                "cycle",
                "day",
                "time",
                "01:00"));
    assertThat(wrongModel.status()).as(wrongModel.toString()).isEqualTo(400);
    long gen =
        server
            .post(
                "/api/datasources",
                Map.of("alias", "cat-gen", "connector", "datagen", "options", Map.of("seed", 1)))
            .json()
            .get("id")
            .asLong();
    Reply noCatalog =
        server.post(
            "/api/catalog/tasks",
            Map.of("name", "x", "dataSourceId", gen, "cycle", "day", "time", "01:00"));
    assertThat(noCatalog.status()).as(noCatalog.toString()).isEqualTo(400);
    assertThat(noCatalog.body()).contains("has no catalog");

    // The removal guard: a run that would remove most of the catalog removes nothing until asked.
    List<String> ddl = new ArrayList<>(List.of("CREATE SCHEMA bulk"));
    for (int i = 0; i < 12; i++) {
      ddl.add("CREATE TABLE bulk.t" + i + " (id INT)");
    }
    postgres(ddl.toArray(String[]::new));
    assertThat(counts(sync(task)).get(3)).as("tables added").isEqualTo(12);
    postgres("DROP SCHEMA bulk CASCADE");
    JsonNode guarded = sync(task);
    assertThat(guarded.get("instance").get("state").asText()).isEqualTo("PARTIAL");
    assertThat(guarded.get("instance").get("tablesRemoved").asInt()).isZero();
    assertThat(guarded.get("errors").get(0).get("code").asText())
        .isEqualTo("catalog.removal-guard");
    assertThat(tables(ds, "bulk").values())
        .hasSize(12)
        .allSatisfy(t -> assertThat(t.get("removedBy").isNull()).isTrue());
    Reply confirmed =
        server.post("/api/catalog/tasks/" + task + "/sync?confirmRemovals=true", null);
    assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(202);
    JsonNode removed = await(confirmed.json().get("instance").get("id").asLong());
    assertThat(removed.get("instance").get("tablesRemoved").asInt()).isEqualTo(12);
    assertThat(removed.get("instance").get("state").asText()).isEqualTo("SUCCEEDED");

    // An instance whose node died does not stay RUNNING: the next look at it fails it.
    JdbcClient store = server.bean(JdbcClient.class);
    store
        .sql(
            "INSERT INTO ferry_catalog_instance (task_id, trigger_kind, state, node, started_at)"
                + " VALUES (?, 'SCHEDULE', 'RUNNING', 'a-node-that-died', ?)")
        .params(task, java.sql.Timestamp.from(java.time.Instant.now()))
        .update();
    long orphan =
        store.sql("SELECT MAX(id) FROM ferry_catalog_instance").query(Long.class).single();
    JsonNode failedOver = server.get("/api/catalog/instances/" + orphan).json().get("instance");
    assertThat(failedOver.get("state").asText()).isEqualTo("FAILED");
    assertThat(failedOver.get("message").asText()).contains("node running it stopped");

    // A collection that fails (the server is unreachable) is FAILED and removes nothing.
    Reply moved =
        server.put(
            "/api/datasources/" + ds,
            Map.of(
                "alias",
                "cat-pg",
                "connector",
                "postgresql",
                "options",
                Map.of(
                    "url",
                    "jdbc:postgresql://127.0.0.1:1/" + PG,
                    "user",
                    "postgres",
                    "password",
                    "")));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    JsonNode failed = sync(task);
    assertThat(failed.get("instance").get("state").asText()).isEqualTo("FAILED");
    assertThat(failed.get("errors").get(0).get("code").asText())
        .isEqualTo("catalog.collection-failed");
    assertThat(tables(ds, "sales").values())
        .hasSize(2)
        .allSatisfy(t -> assertThat(t.get("removedBy").isNull()).isTrue());
  }
}

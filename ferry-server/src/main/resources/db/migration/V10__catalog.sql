-- The metadata catalog (docs/catalog.md): collection tasks, their instances and error logs, and
-- the collected tables and columns, versioned by the instance that added, changed or removed them.
-- Names are compared in Java, case-sensitively: a MySQL/MariaDB metadata store's collation would
-- call `Orders` and `orders` equal, so no unique key here relies on it.

-- A collection task: which data source, with which meta-model, when (cycle and time of day make
-- the cron expression; only the cron is editable afterwards), and which objects (glob patterns on
-- database and database.table, comma-separated).
CREATE TABLE ferry_catalog_task (
  id            ${id},
  name          VARCHAR(200)  NOT NULL,
  datasource_id BIGINT        NOT NULL,
  model         VARCHAR(50)   NOT NULL,
  cycle_kind    VARCHAR(10)   NOT NULL,
  day_of_cycle  INT,
  time_of_day   VARCHAR(5)    NOT NULL,
  cron          VARCHAR(200)  NOT NULL,
  zone_id       VARCHAR(60)   NOT NULL,
  includes      VARCHAR(2000),
  excludes      VARCHAR(2000),
  created_at    ${ts}         NOT NULL,
  updated_at    ${ts}         NOT NULL
);

-- One row per collection run. Counts are of what the run found; added/changed/removed are of
-- tables and columns against the catalog before the run. A run whose node is gone is failed by
-- the next start of any node (never left RUNNING).
CREATE TABLE ferry_catalog_instance (
  id              ${id},
  task_id         BIGINT       NOT NULL,
  trigger_kind    VARCHAR(20)  NOT NULL,
  state           VARCHAR(20)  NOT NULL,
  node            VARCHAR(200),
  started_at      ${ts}        NOT NULL,
  ended_at        ${ts},
  databases_found INT          DEFAULT 0 NOT NULL,
  tables_found    INT          DEFAULT 0 NOT NULL,
  columns_found   INT          DEFAULT 0 NOT NULL,
  tables_added    INT          DEFAULT 0 NOT NULL,
  tables_changed  INT          DEFAULT 0 NOT NULL,
  tables_removed  INT          DEFAULT 0 NOT NULL,
  columns_added   INT          DEFAULT 0 NOT NULL,
  columns_changed INT          DEFAULT 0 NOT NULL,
  columns_removed INT          DEFAULT 0 NOT NULL,
  message         ${text}
);
CREATE INDEX ferry_catalog_instance_task ON ferry_catalog_instance (task_id, started_at);

-- An instance's error log: one entry per object that could not be read (the rest is collected).
CREATE TABLE ferry_catalog_error (
  id          ${id},
  instance_id BIGINT        NOT NULL,
  object_name VARCHAR(600),
  code        VARCHAR(100)  NOT NULL,
  message     ${text}       NOT NULL,
  logged_at   ${ts}         NOT NULL
);
CREATE INDEX ferry_catalog_error_instance ON ferry_catalog_error (instance_id);

-- A collected table (or view), one row per object ever seen in a data source: removed_by is set
-- once a complete collection no longer finds it. attributes holds the technical attributes that
-- make its schema (JSON); stats those that move with the data (row estimate, size), refreshed in
-- place without a new version; fingerprint is the digest of the schema, so that an unchanged table
-- costs no write.
CREATE TABLE ferry_catalog_table (
  id            ${id},
  datasource_id BIGINT        NOT NULL,
  db_name       VARCHAR(256)  NOT NULL,
  table_name    VARCHAR(256)  NOT NULL,
  kind          VARCHAR(30)   NOT NULL,
  table_comment VARCHAR(2000),
  attributes    ${text}       NOT NULL,
  stats         ${text},
  fingerprint   VARCHAR(64)   NOT NULL,
  version       INT           NOT NULL,
  added_by      BIGINT        NOT NULL,
  changed_by    BIGINT,
  removed_by    BIGINT,
  updated_at    ${ts}         NOT NULL,
  -- The common attributes, edited by people and never written by a collection (tags joined by
  -- commas, searched as text).
  owner_name     VARCHAR(200),
  description    VARCHAR(2000),
  tags           VARCHAR(1100),
  classification VARCHAR(100)
);
CREATE INDEX ferry_catalog_table_name ON ferry_catalog_table (datasource_id, db_name, table_name);

-- A collected column, one row per column name ever seen in a table, versioned as tables are.
CREATE TABLE ferry_catalog_column (
  id             ${id},
  table_id       BIGINT        NOT NULL,
  column_name    VARCHAR(256)  NOT NULL,
  ordinal        INT           NOT NULL,
  native_type    VARCHAR(1000) NOT NULL,
  nullable       BOOLEAN       NOT NULL,
  default_value  VARCHAR(2000),
  column_comment VARCHAR(2000),
  attributes     ${text}       NOT NULL,
  added_by       BIGINT        NOT NULL,
  changed_by     BIGINT,
  removed_by     BIGINT
);
CREATE INDEX ferry_catalog_column_table ON ferry_catalog_column (table_id);

-- A table's schema history: one row per version (ADDED, CHANGED, REMOVED, RESTORED) with the
-- instance that saw it and what changed (JSON).
CREATE TABLE ferry_catalog_history (
  id          ${id},
  table_id    BIGINT       NOT NULL,
  version     INT          NOT NULL,
  instance_id BIGINT       NOT NULL,
  change_kind VARCHAR(20)  NOT NULL,
  detail      ${text},
  logged_at   ${ts}        NOT NULL
);
CREATE INDEX ferry_catalog_history_table ON ferry_catalog_history (table_id, version);

-- Shared mining (docs/shared-mining.md): the mining runs of the cluster, one row per source data
-- source and mining log. The node that runs one holds it (node, renewed with its figures every
-- second); a node whose heartbeat lapsed loses it to a live node. Data source aliases and the
-- mining log's key are compared in Java, case-sensitively (see V10). The options columns hold the
-- script's sections without their data source's options: never a secret.
CREATE TABLE ferry_mining_run (
  id                ${id},
  name              VARCHAR(200)  NOT NULL,
  source_alias      VARCHAR(200)  NOT NULL,
  source_options    ${text}       NOT NULL,
  log_alias         VARCHAR(200),
  log_options       ${text}       NOT NULL,
  log_key           VARCHAR(600)  NOT NULL,
  zone_id           VARCHAR(60)   NOT NULL,
  retention_seconds BIGINT        NOT NULL,
  desired           VARCHAR(10)   NOT NULL,
  state             VARCHAR(10)   NOT NULL,
  node              VARCHAR(200),
  tables_json       ${text},
  table_events      ${text},
  store_bytes       BIGINT,
  position          VARCHAR(2000),
  head              BIGINT        DEFAULT 0 NOT NULL,
  events_appended   BIGINT        DEFAULT 0 NOT NULL,
  events_per_second DOUBLE PRECISION DEFAULT 0 NOT NULL,
  lag_millis        BIGINT,
  failure           VARCHAR(4000),
  created_at        ${ts}         NOT NULL,
  updated_at        ${ts}         NOT NULL
);
CREATE INDEX ferry_mining_run_source ON ferry_mining_run (source_alias);

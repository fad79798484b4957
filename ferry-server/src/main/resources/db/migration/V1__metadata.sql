-- Ferry server metadata, one script for H2, PostgreSQL and MySQL/MariaDB. The placeholders are
-- set per database by MetadataStoreConfig: ${id} (a generated BIGINT primary key), ${text}
-- (unbounded text) and ${ts} (a timestamp with microseconds).

CREATE TABLE ferry_user (
  username      VARCHAR(100) NOT NULL PRIMARY KEY,
  password_hash VARCHAR(100) NOT NULL,
  user_role     VARCHAR(20)  NOT NULL,
  created_at    ${ts}        NOT NULL
);

CREATE TABLE ferry_audit (
  id          ${id},
  at_time     ${ts}         NOT NULL,
  username    VARCHAR(100)  NOT NULL,
  action      VARCHAR(40)   NOT NULL,
  target_kind VARCHAR(40)   NOT NULL,
  target_id   VARCHAR(200),
  detail      VARCHAR(2000)
);
CREATE INDEX ferry_audit_at ON ferry_audit (at_time);

CREATE TABLE ferry_folder (
  id         ${id},
  parent_id  BIGINT,
  name       VARCHAR(200) NOT NULL,
  created_at ${ts}        NOT NULL
);

-- options: JSON; values of options the connector declares secret are AES-GCM ciphertext.
CREATE TABLE ferry_datasource (
  id          ${id},
  alias       VARCHAR(200)  NOT NULL,
  connector   VARCHAR(100)  NOT NULL,
  description VARCHAR(2000),
  options     ${text}       NOT NULL,
  created_at  ${ts}         NOT NULL,
  updated_at  ${ts}         NOT NULL,
  CONSTRAINT ferry_datasource_alias UNIQUE (alias)
);

-- mode: wizard (wizard holds the form's JSON, script is generated from it) or script.
CREATE TABLE ferry_task (
  id          ${id},
  name        VARCHAR(200)  NOT NULL,
  folder_id   BIGINT,
  description VARCHAR(2000),
  edit_mode   VARCHAR(10)   NOT NULL,
  wizard      ${text},
  script      ${text}       NOT NULL,
  created_at  ${ts}         NOT NULL,
  updated_at  ${ts}         NOT NULL,
  CONSTRAINT ferry_task_name UNIQUE (name)
);

-- One row per run the server started: the engine keeps its own record and checkpoint (below);
-- this row adds the task, the server-side QUEUED state, the statistics and the script that ran.
CREATE TABLE ferry_task_run (
  id              ${id},
  task_id         BIGINT,
  task_name       VARCHAR(200)  NOT NULL,
  run_key         VARCHAR(200),
  state           VARCHAR(20)   NOT NULL,
  script          ${text}       NOT NULL,
  started_by      VARCHAR(100)  NOT NULL,
  created_at      ${ts}         NOT NULL,
  started_at      ${ts},
  ended_at        ${ts},
  records_read    BIGINT        NOT NULL,
  records_written BIGINT        NOT NULL,
  bytes_written   BIGINT        NOT NULL,
  dirty_records   BIGINT        NOT NULL,
  percent_done    DOUBLE PRECISION,
  message         ${text},
  dirty_file      VARCHAR(1000),
  rerun_of        BIGINT
);
CREATE INDEX ferry_task_run_task ON ferry_task_run (task_id);
CREATE INDEX ferry_task_run_key ON ferry_task_run (run_key);

CREATE TABLE ferry_run_log (
  id        ${id},
  run_id    BIGINT        NOT NULL,
  at_time   ${ts}         NOT NULL,
  log_level VARCHAR(10)   NOT NULL,
  line      VARCHAR(4000) NOT NULL
);
CREATE INDEX ferry_run_log_run ON ferry_run_log (run_id);

-- The engine's JdbcCheckpointStore tables (the same columns as its createTables).
CREATE TABLE ferry_run (
  run_key    VARCHAR(200) NOT NULL PRIMARY KEY,
  created_at ${ts}        NOT NULL,
  record     ${text}      NOT NULL
);
CREATE TABLE ferry_checkpoint (
  run_key    VARCHAR(200) NOT NULL PRIMARY KEY,
  checkpoint ${text}      NOT NULL
);
CREATE TABLE ferry_run_claim (
  run_key     VARCHAR(200) NOT NULL PRIMARY KEY,
  holder      VARCHAR(64)  NOT NULL,
  lease_until ${ts}        NOT NULL
);

-- Verifications (issue 21): whether a task's target holds its source's rows.

-- One verification: after a run (trigger_kind RUN, what the job's verify setting asked for), or
-- one a person or the task's verification schedule started (MANUAL, SCHEDULE), which compares
-- content. state RUNNING, SUCCEEDED (it ran: same_rows says whether the target equals the
-- source) or FAILED (it could not run: message). sample: JSON array of the first differences
-- (kind, key, columns with their source and target values); report_file: every difference, JSON
-- Lines, on the node that ran it.
CREATE TABLE ferry_verification (
  id             ${id},
  task_id        BIGINT,
  task_name      VARCHAR(200)  NOT NULL,
  run_id         BIGINT,
  trigger_kind   VARCHAR(20)   NOT NULL,
  state          VARCHAR(20)   NOT NULL,
  verify_mode    VARCHAR(20)   NOT NULL,
  same_rows      BOOLEAN,
  method         VARCHAR(60),
  source_rows    BIGINT,
  target_rows    BIGINT,
  missing_rows   BIGINT,
  extra_rows     BIGINT,
  different_rows BIGINT,
  sample         ${text},
  notes          ${text},
  report_file    VARCHAR(1000),
  message        ${text},
  started_by     VARCHAR(100)  NOT NULL,
  node           VARCHAR(200)  NOT NULL,
  started_at     ${ts}         NOT NULL,
  ended_at       ${ts}
);
CREATE INDEX ferry_verification_task ON ferry_verification (task_id);
CREATE INDEX ferry_verification_run ON ferry_verification (run_id);

-- A task's verification schedule: a Quartz cron expression (seconds first) in a time zone; the
-- Quartz job itself lives in Quartz's tables (group "verify").
CREATE TABLE ferry_verify_schedule (
  task_id    BIGINT        NOT NULL PRIMARY KEY,
  cron       VARCHAR(200)  NOT NULL,
  zone_id    VARCHAR(60)   NOT NULL,
  updated_by VARCHAR(100)  NOT NULL,
  updated_at ${ts}         NOT NULL
);

-- Schedules, their instances, and the server nodes that share this metadata store.
-- (V2 is Quartz's own job store, one script per database under db/quartz/.)

-- A task's schedule: spec is the Schedule JSON; cron the expression generated from it (null for
-- one-time schedules); only online tasks fire.
CREATE TABLE ferry_schedule (
  task_id     BIGINT       NOT NULL PRIMARY KEY,
  spec        ${text}      NOT NULL,
  cron        VARCHAR(200),
  description VARCHAR(500) NOT NULL,
  online      BOOLEAN      NOT NULL,
  onlined_at  ${ts},
  updated_at  ${ts}        NOT NULL
);

-- One row per planned execution of a task. fire_key is set for instances the schedule fired
-- (task and planned time): unique, so that a cycle makes one instance however many nodes see it.
-- A retry is the same instance with attempt + 1 and not_before the time it may start.
CREATE TABLE ferry_instance (
  id           ${id},
  task_id      BIGINT        NOT NULL,
  task_name    VARCHAR(200)  NOT NULL,
  planned_time ${ts}         NOT NULL,
  trigger_kind VARCHAR(20)   NOT NULL,
  state        VARCHAR(20)   NOT NULL,
  attempt      INT           NOT NULL,
  cpu_cores    INT           NOT NULL,
  memory_mb    INT           NOT NULL,
  run_id       BIGINT,
  node         VARCHAR(200),
  created_at   ${ts}         NOT NULL,
  not_before   ${ts}         NOT NULL,
  started_at   ${ts},
  ended_at     ${ts},
  deadline     ${ts},
  message      ${text},
  fire_key     VARCHAR(200),
  CONSTRAINT ferry_instance_fire UNIQUE (fire_key)
);
CREATE INDEX ferry_instance_task ON ferry_instance (task_id, planned_time);
CREATE INDEX ferry_instance_state ON ferry_instance (state);

-- Which node executes a run, which instance it belongs to, and the scheduling parameters it was
-- started with (JSON; bizdate and the like, from the planned time).
ALTER TABLE ferry_task_run ADD node VARCHAR(200);
ALTER TABLE ferry_task_run ADD instance_id BIGINT;
ALTER TABLE ferry_task_run ADD params VARCHAR(2000);
-- A pause or stop asked of a node that does not execute the run, for the node that does.
ALTER TABLE ferry_task_run ADD requested VARCHAR(10);

-- The nodes: each renews its heartbeat; a node whose heartbeat is stale is dead and another node
-- takes its runs over (as PAUSED, resumable from their checkpoints).
CREATE TABLE ferry_node (
  node         VARCHAR(200) NOT NULL PRIMARY KEY,
  started_at   ${ts}        NOT NULL,
  heartbeat_at ${ts}        NOT NULL
);

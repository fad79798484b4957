-- Resource groups (docs/scheduling.md, "Resource groups"): where a task's runs execute. A group of
-- kind `nodes` is a set of Ferry nodes (`ferry server --worker --group NAME`; the servers without
-- --worker are the group `default`); a group of kind `flink` is a Flink session cluster, its REST
-- address in flink_address. A task names its group (NULL: `default`), and each run keeps the
-- group it was queued for: only nodes of that group take it, also after its node died.
CREATE TABLE ferry_resource_group (
  id            ${id},
  name          VARCHAR(100)  NOT NULL,
  kind          VARCHAR(10)   NOT NULL,
  flink_address VARCHAR(300),
  description   VARCHAR(2000),
  created_at    ${ts}         NOT NULL,
  updated_at    ${ts}         NOT NULL
);
CREATE UNIQUE INDEX ferry_resource_group_name ON ferry_resource_group (name);
INSERT INTO ferry_resource_group (name, kind, description, created_at, updated_at)
  VALUES ('default', 'nodes', NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

ALTER TABLE ferry_node ADD group_name VARCHAR(100) DEFAULT 'default' NOT NULL;
ALTER TABLE ferry_task ADD resource_group VARCHAR(100);
ALTER TABLE ferry_task_run ADD resource_group VARCHAR(100);

-- "Test connectivity" from a group's node to a data source: a request a node of the group takes
-- (node, as runs are claimed) and answers (ok, message: the store's problems, never a secret).
-- The requester waits for the answer up to a timeout; old requests are deleted.
CREATE TABLE ferry_connectivity_check (
  id            ${id},
  group_name    VARCHAR(100)  NOT NULL,
  datasource_id BIGINT        NOT NULL,
  requested_by  VARCHAR(100)  NOT NULL,
  requested_at  ${ts}         NOT NULL,
  node          VARCHAR(200),
  answered_at   ${ts},
  ok            BOOLEAN,
  message       ${text}
);

-- Monitoring and alerts (issue 18).

-- Each node's resource figures, one row per sample (ferry.monitoring.sample-interval), deleted
-- after ferry.monitoring.retention: the node charts, and the nodes the node-down rule knows.
CREATE TABLE ferry_node_sample (
  node           VARCHAR(200)     NOT NULL,
  sampled_at     ${ts}            NOT NULL,
  process_cpu    DOUBLE PRECISION,
  system_cpu     DOUBLE PRECISION,
  heap_used      BIGINT           NOT NULL,
  heap_max       BIGINT           NOT NULL,
  rss            BIGINT           NOT NULL,
  threads        INT              NOT NULL,
  runs_executing INT              NOT NULL,
  runs_queued    INT              NOT NULL
);
CREATE INDEX ferry_node_sample_at ON ferry_node_sample (node, sampled_at);

-- Where alerts go. kind: in-app, email, webhook, dingtalk, feishu, wecom, slack. config is JSON
-- whose secret values (a webhook's url and signing secret) are sealed by SecretCipher.
CREATE TABLE ferry_alert_channel (
  id         ${id},
  name       VARCHAR(200) NOT NULL,
  kind       VARCHAR(20)  NOT NULL,
  config     ${text}      NOT NULL,
  created_by VARCHAR(100) NOT NULL,
  created_at ${ts}        NOT NULL,
  updated_at ${ts}        NOT NULL,
  CONSTRAINT ferry_alert_channel_name UNIQUE (name)
);

-- A condition to watch, on one task (task_id) or on every task / the cluster (task_id null).
-- threshold and for_seconds as the kind reads them; a lasting incident is sent again every
-- repeat_seconds (0: never); channels: JSON array of channel ids (none: in-app notices).
CREATE TABLE ferry_alert_rule (
  id             ${id},
  name           VARCHAR(200)     NOT NULL,
  kind           VARCHAR(40)      NOT NULL,
  task_id        BIGINT,
  threshold      DOUBLE PRECISION,
  for_seconds    INT              NOT NULL,
  repeat_seconds INT              NOT NULL,
  channels       VARCHAR(2000)    NOT NULL,
  enabled        BOOLEAN          NOT NULL,
  created_by     VARCHAR(100)     NOT NULL,
  created_at     ${ts}            NOT NULL,
  updated_at     ${ts}            NOT NULL,
  CONSTRAINT ferry_alert_rule_name UNIQUE (name)
);

-- One incident: a rule's condition held for one subject (a task, a node). open_key is
-- rule:subject while the incident lasts (null once it is over): unique, so that however many
-- nodes evaluate the rules, one opens it and one sends each notice.
CREATE TABLE ferry_alert_incident (
  id           ${id},
  rule_id      BIGINT        NOT NULL,
  subject      VARCHAR(300)  NOT NULL,
  open_key     VARCHAR(400),
  detail       ${text},
  opened_at    ${ts}         NOT NULL,
  last_sent_at ${ts}         NOT NULL,
  sent         INT           NOT NULL,
  closed_at    ${ts},
  CONSTRAINT ferry_alert_incident_open UNIQUE (open_key)
);
CREATE INDEX ferry_alert_incident_rule ON ferry_alert_incident (rule_id, closed_at);

-- In-app notices (every user sees them) and who has read which.
CREATE TABLE ferry_notice (
  id          ${id},
  created_at  ${ts}         NOT NULL,
  event       VARCHAR(20)   NOT NULL,
  rule_id     BIGINT,
  incident_id BIGINT,
  task_id     BIGINT,
  title       VARCHAR(500)  NOT NULL,
  body        ${text}
);
CREATE INDEX ferry_notice_at ON ferry_notice (created_at);
CREATE TABLE ferry_notice_read (
  notice_id BIGINT       NOT NULL,
  username  VARCHAR(100) NOT NULL,
  read_at   ${ts}        NOT NULL,
  PRIMARY KEY (notice_id, username)
);

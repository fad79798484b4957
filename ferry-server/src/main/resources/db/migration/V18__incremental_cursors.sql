-- The committed cursors of incremental jobs (docs/incremental.md), one per task: the engine's
-- JdbcCheckpointStore table (the same columns as its createTables). The state is JSON: the cursor
-- column, its kind, the value, the run that committed it and when.
CREATE TABLE ferry_cursor (
  cursor_key VARCHAR(200) NOT NULL PRIMARY KEY,
  state      ${text}      NOT NULL
);

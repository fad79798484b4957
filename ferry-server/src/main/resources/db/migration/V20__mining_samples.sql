-- Shared mining's history (docs/shared-mining.md): the figures of each mining run, one row per
-- sample (ferry.monitoring.mining-sample-interval), written by the node that runs it and deleted
-- after ferry.monitoring.retention, for the charts of its monitor. events_read and events_appended
-- count since the mining run last started; table_events is a JSON object of those counts by table.
CREATE TABLE ferry_mining_sample (
  mining_id         BIGINT           NOT NULL,
  sampled_at        ${ts}            NOT NULL,
  node              VARCHAR(200)     NOT NULL,
  events_appended   BIGINT           NOT NULL,
  appended_per_sec  DOUBLE PRECISION NOT NULL,
  read_per_sec      DOUBLE PRECISION NOT NULL,
  lag_millis        BIGINT,
  head              BIGINT           NOT NULL,
  store_bytes       BIGINT,
  table_events      ${text}
);
CREATE INDEX ferry_mining_sample_at ON ferry_mining_sample (mining_id, sampled_at);

-- Shared mining switched on per data source (docs/shared-mining.md): the mining-log store (another
-- data source, by id, and the table or collection in it), chosen once, and the retention a new
-- mining run of this source starts with. The switch off keeps the store for when it is on again.
ALTER TABLE ferry_datasource ADD shared_mining BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE ferry_datasource ADD mining_log_id BIGINT;
ALTER TABLE ferry_datasource ADD mining_log_object VARCHAR(600);
ALTER TABLE ferry_datasource ADD mining_retention_hours BIGINT;
-- A mining run's edited start time (used at its next start, then cleared); the events its tasks
-- read from its log per second; the append time of the oldest event a task still needs, and that
-- task.
ALTER TABLE ferry_mining_run ADD start_at ${ts};
ALTER TABLE ferry_mining_run ADD read_per_second DOUBLE PRECISION DEFAULT 0 NOT NULL;
ALTER TABLE ferry_mining_run ADD needed_since ${ts};
ALTER TABLE ferry_mining_run ADD needed_by VARCHAR(400);

-- The last progress of a run as the WebSocket sent it (JSON: speeds, ETA, splits), saved with the
-- statistics every few seconds and at the end, so that a finished run still shows its splits.
ALTER TABLE ferry_task_run ADD progress ${text};

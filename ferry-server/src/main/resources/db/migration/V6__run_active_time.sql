-- How long a run has been running over all its attempts, paused time left out (the engine's
-- active time): its speeds are averages over this, not over the wall time from start to end.
ALTER TABLE ferry_task_run ADD active_millis BIGINT;

-- How many times a run was continued automatically after the node executing it stopped (a dead
-- node's run taken over by another, or a node's own run after it restarted): a run that keeps
-- taking its nodes down is left paused for a person after a few.
ALTER TABLE ferry_task_run ADD takeovers INT DEFAULT 0 NOT NULL;

-- A task's cron trigger fires every planned time, also one missed while no node could fire it
-- (Quartz's MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY, -1): the triggers armed before this version
-- made one instance at the time of recovery instead (fire once now). See ScheduleService#arm.
UPDATE QRTZ_TRIGGERS SET MISFIRE_INSTR = -1 WHERE TRIGGER_TYPE = 'CRON' AND TRIGGER_GROUP = 'ferry-task';

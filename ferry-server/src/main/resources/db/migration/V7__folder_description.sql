-- A folder says what its tasks are for, beside its name (shown in the task tree).
ALTER TABLE ferry_folder ADD description VARCHAR(2000);

package io.ferry.server.schedule;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * What a task's Quartz trigger does when it fires (on whichever node of the cluster Quartz picks):
 * makes the instance of that planned time. The instance then waits for its conditions and runs.
 */
public class FireJob implements Job {
  static final String TASK_ID = "taskId";

  private final InstanceService instances;

  public FireJob(InstanceService instances) {
    this.instances = instances;
  }

  @Override
  public void execute(JobExecutionContext context) {
    long taskId = context.getMergedJobDataMap().getLong(TASK_ID);
    instances.fire(taskId, context.getScheduledFireTime().toInstant(), InstanceService.SCHEDULE);
  }
}

package io.ferry.server.runs;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** What a task's verification trigger does when it fires: one verification, on this node. */
@DisallowConcurrentExecution
public class VerifyFireJob implements Job {
  static final String TASK_ID = "taskId";

  private final Verifications verifications;

  public VerifyFireJob(Verifications verifications) {
    this.verifications = verifications;
  }

  @Override
  public void execute(JobExecutionContext context) {
    verifications.fire(context.getMergedJobDataMap().getLong(TASK_ID));
  }
}

package io.ferry.server.catalog;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** What a collection task's Quartz trigger does when it fires: one collection, on this node. */
@DisallowConcurrentExecution
public class CatalogFireJob implements Job {
  static final String TASK_ID = "taskId";

  private final CollectionService collections;

  public CatalogFireJob(CollectionService collections) {
    this.collections = collections;
  }

  @Override
  public void execute(JobExecutionContext context) {
    collections.fire(context.getMergedJobDataMap().getLong(TASK_ID));
  }
}

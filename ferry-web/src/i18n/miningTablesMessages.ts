/**
 * The texts of a mining run's table panel (per-table stop and resume, docs/shared-mining.md), in
 * English and Simplified Chinese; spread into the dictionaries of messages.ts.
 */
export const miningTablesEn = {
  'miningTables.tab.tables': 'Tables',
  'miningTables.tab.stopped': 'Stopped ({count})',
  'miningTables.state': 'State',
  'miningTables.state.CAPTURING': 'Mining',
  'miningTables.state.WAITING': 'Waiting to be captured',
  'miningTables.state.STOPPING': 'Stopping',
  'miningTables.state.STOPPED': 'Stopped',
  'miningTables.state.RESUMING': 'Resuming',
  'miningTables.tasks': 'Tasks reading it',
  'miningTables.noTasks': 'none',
  'miningTables.stop': 'Stop mining',
  'miningTables.resume': 'Resume mining',
  'miningTables.stoppedAt': 'Stopped at',
  'miningTables.stoppedHead': 'Log head then',
  'miningTables.noneStopped': 'No table is stopped.',
  'miningTables.stopTitle': 'Stop mining {table}?',
  'miningTables.stopAffects':
    'The mining run appends what it read of {table} and stops reading it; the other tables go on. These tasks read it: they wait, and their lag grows, until the table is resumed.',
  'miningTables.stopNoTasks': 'No task names this table: the mining run appends what it read and stops reading it; the other tables go on.',
  'miningTables.stopAsked': 'Stopping {table}',
  'miningTables.resumeTitle': 'Resume mining {table}?',
  'miningTables.resumeFromStop': 'Resumes from where it stopped: no change is lost.',
  'miningTables.resumeLost':
    "The source's log no longer holds where the table stopped. It is captured again from now on, and the tasks reading it fail with mining.offset-expired: start them again as new runs (a new snapshot).",
  'miningTables.resumeAsked': 'Resuming {table}',
  'miningTables.confirm': 'Confirm',
};

export type MiningTablesMessageKey = keyof typeof miningTablesEn;

export const miningTablesZh: Record<MiningTablesMessageKey, string> = {
  'miningTables.tab.tables': '挖掘表',
  'miningTables.tab.stopped': '已停止（{count}）',
  'miningTables.state': '状态',
  'miningTables.state.CAPTURING': '挖掘中',
  'miningTables.state.WAITING': '等待开始挖掘',
  'miningTables.state.STOPPING': '停止中',
  'miningTables.state.STOPPED': '已停止',
  'miningTables.state.RESUMING': '恢复中',
  'miningTables.tasks': '读取它的任务',
  'miningTables.noTasks': '无',
  'miningTables.stop': '停止挖掘',
  'miningTables.resume': '恢复挖掘',
  'miningTables.stoppedAt': '停止位置',
  'miningTables.stoppedHead': '当时的日志头',
  'miningTables.noneStopped': '没有已停止的表。',
  'miningTables.stopTitle': '停止挖掘 {table}？',
  'miningTables.stopAffects':
    '挖掘任务会先写入已读取的 {table} 事件，然后停止读取它；其他表照常挖掘。以下任务读取该表：在恢复之前它们会等待，延迟增大。',
  'miningTables.stopNoTasks': '没有任务使用该表：挖掘任务会先写入已读取的事件，然后停止读取它；其他表照常挖掘。',
  'miningTables.stopAsked': '正在停止 {table}',
  'miningTables.resumeTitle': '恢复挖掘 {table}？',
  'miningTables.resumeFromStop': '从停止的位置恢复：不丢失任何变更。',
  'miningTables.resumeLost':
    '源端日志已不再包含该表停止的位置。该表将从现在起重新挖掘，读取它的任务会以 mining.offset-expired 失败：请重新运行这些任务（重新做全量快照）。',
  'miningTables.resumeAsked': '正在恢复 {table}',
  'miningTables.confirm': '确定',
};

/**
 * The texts of a mining run's charts, drawn from the history the server keeps
 * (GET /api/mining/{id}/history, docs/shared-mining.md), in English and Simplified Chinese; spread
 * into the dictionaries of messages.ts.
 */
export const miningHistoryEn = {
  'miningHistory.window.15': '15 min',
  'miningHistory.window.60': '1 h',
  'miningHistory.window.360': '6 h',
  'miningHistory.window.1440': '24 h',
  'miningHistory.window.10080': '7 days',
  'miningHistory.appended': 'Read and appended',
  'miningHistory.read': 'Read by its tasks',
  'miningHistory.storeChart': 'Mining log size (MB)',
  'miningHistory.storeSize': 'Size',
  'miningHistory.none':
    'No samples in this window. The server samples a mining run every 10 seconds while it runs and keeps its samples for 7 days.',
};

export const miningHistoryZh: Record<keyof typeof miningHistoryEn, string> = {
  'miningHistory.window.15': '15 分钟',
  'miningHistory.window.60': '1 小时',
  'miningHistory.window.360': '6 小时',
  'miningHistory.window.1440': '24 小时',
  'miningHistory.window.10080': '7 天',
  'miningHistory.appended': '读取并写入挖掘日志',
  'miningHistory.read': '任务读取',
  'miningHistory.storeChart': '挖掘日志大小（MB）',
  'miningHistory.storeSize': '大小',
  'miningHistory.none': '此时间段内没有采样。挖掘任务运行时，服务器每 10 秒采样一次，采样保留 7 天。',
};

import { http, type Page } from './client';

export const ALERT_KINDS = [
  'run-failed',
  'run-paused-by-fault',
  'run-timed-out',
  'dirty-rows-above',
  'cdc-lag-above',
  'throughput-below',
  'node-down',
  'schedule-missed',
  'mining-stopped',
  'mining-failed',
  'mining-lag-above',
  'mining-retention-near',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The kinds whose rules need a threshold (dirty rows, lag seconds, rows per second). */
export const KINDS_WITH_THRESHOLD: AlertKind[] = [
  'dirty-rows-above',
  'cdc-lag-above',
  'throughput-below',
  'mining-lag-above',
  'mining-retention-near',
];

/** The kinds whose rules watch the shared-mining runs, never a task. */
export const MINING_KINDS: AlertKind[] = ['mining-stopped', 'mining-failed', 'mining-lag-above', 'mining-retention-near'];

export const CHANNEL_KINDS = ['in-app', 'email', 'webhook', 'dingtalk', 'feishu', 'wecom', 'slack'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A rule: what to watch, on which task (none: every task, or the nodes), where it goes. */
export interface AlertRule {
  id: number;
  name: string;
  kind: AlertKind;
  taskId: number | null;
  taskName: string | null;
  threshold: number | null;
  forMinutes: number;
  repeatMinutes: number;
  /** channel ids; none: in-app notices */
  channels: number[];
  enabled: boolean;
  createdBy: string;
}

export type AlertRuleRequest = Omit<AlertRule, 'id' | 'taskName' | 'createdBy'>;

/** A channel as the server shows it: a URL's host only, secrets as ****. */
export interface AlertChannel {
  id: number;
  name: string;
  kind: ChannelKind;
  config: Record<string, string>;
  createdBy: string;
}

export interface Notice {
  id: number;
  createdAt: string;
  event: 'firing' | 'repeat' | 'recovered' | 'test';
  ruleId: number | null;
  taskId: number | null;
  title: string;
  body: string | null;
  read: boolean;
}

export const alertsApi = {
  rules: () => http.get<AlertRule[]>('/api/alert-rules'),
  createRule: (r: AlertRuleRequest) => http.post<AlertRule>('/api/alert-rules', r),
  updateRule: (id: number, r: AlertRuleRequest) => http.put<AlertRule>(`/api/alert-rules/${id}`, r),
  removeRule: (id: number) => http.del(`/api/alert-rules/${id}`),
  channels: () => http.get<AlertChannel[]>('/api/alert-channels'),
  createChannel: (c: Omit<AlertChannel, 'id' | 'createdBy'>) => http.post<AlertChannel>('/api/alert-channels', c),
  updateChannel: (id: number, c: Omit<AlertChannel, 'id' | 'createdBy'>) => http.put<AlertChannel>(`/api/alert-channels/${id}`, c),
  removeChannel: (id: number) => http.del(`/api/alert-channels/${id}`),
  testChannel: (id: number) => http.post<void>(`/api/alert-channels/${id}/test`),
  notices: (q: { unread?: boolean; page?: number; size?: number }) => http.get<Page<Notice>>('/api/notices', { ...q }),
  unreadCount: () => http.get<{ unread: number }>('/api/notices/unread-count'),
  markRead: (id: number) => http.post<void>(`/api/notices/${id}/read`),
  markAllRead: () => http.post<void>('/api/notices/read-all'),
};

import { http } from './client';

export type Cycle = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'cron';

/**
 * A task's schedule (issue 7), exactly as the server takes it. Only the fields of the chosen type
 * and cycle are sent; the server fills the defaults (timeout, resources) of the rest.
 */
export interface Schedule {
  type: 'periodic' | 'once';
  cycle?: Cycle;
  mode?: 'interval' | 'at';
  /** every N minutes (1-59) or hours (1-23) */
  interval?: number;
  /** the minute of the hour, for an hourly cycle at a minute */
  minute?: number;
  /** HH:mm or HH:mm:ss */
  time?: string;
  /** 1 = Monday ... 7 = Sunday */
  weekdays?: number[];
  /** 1..31, or -1 for the month's last day */
  daysOfMonth?: number[];
  /** a Quartz cron expression */
  cron?: string;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
  dependOnPrevious?: boolean;
  offlineOnFailure?: boolean;
  runOnOnline?: boolean;
  /** yyyy-MM-ddTHH:mm:ss, for a one-time schedule; null runs it when the task goes online */
  runAt?: string | null;
  timeoutMinutes?: number | null;
  retries?: number;
  retryDelaySeconds?: number;
  /** retries need it: an idempotent task can run twice without harm */
  idempotent?: boolean;
  cpuCores?: number;
  memoryMb?: number;
  upstreamTaskIds?: number[];
  timeZone?: string | null;
}

export interface TaskSchedule {
  schedule: Schedule | null;
  online: boolean;
  cron: string | null;
  description: string | null;
  nextFireTimes: string[];
}

export interface SchedulePreview {
  cron: string;
  description: string;
  timeoutMinutes: number;
  nextFireTimes: string[];
}

export const schedulesApi = {
  get: (taskId: number) => http.get<TaskSchedule>(`/api/tasks/${taskId}/schedule`),
  put: (taskId: number, schedule: Schedule) => http.put<TaskSchedule>(`/api/tasks/${taskId}/schedule`, schedule),
  remove: (taskId: number) => http.del(`/api/tasks/${taskId}/schedule`),
  preview: (schedule: Schedule) => http.post<SchedulePreview>('/api/schedules/preview', schedule),
};

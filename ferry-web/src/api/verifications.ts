import { http, type Page, type PageQuery } from './client';

export type VerificationState = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** One row that differs; `source` and `target` values only for users who may read rows. */
export interface VerificationDifference {
  kind: 'missing' | 'extra' | 'different';
  key: Record<string, string | null>;
  columns: { column: string; source?: string | null; target?: string | null }[];
}

/**
 * Whether a task's target holds its source's rows: after a run (its `verify` setting, trigger RUN),
 * or a Verify started by a person (MANUAL) or the task's verification schedule (SCHEDULE).
 */
export interface Verification {
  id: number;
  taskId: number | null;
  taskName: string;
  runId: number | null;
  trigger: 'RUN' | 'MANUAL' | 'SCHEDULE';
  state: VerificationState;
  mode: 'count' | 'content';
  /** null until it ran */
  equal: boolean | null;
  method: string | null;
  sourceRows: number | null;
  targetRows: number | null;
  missing: number | null;
  extra: number | null;
  different: number | null;
  /** the first differences (at most 20) */
  sample: VerificationDifference[];
  notes: string[];
  message: string | null;
  startedBy: string;
  node: string;
  startedAt: string;
  endedAt: string | null;
}

/** A task's verification schedule: a Quartz cron expression, seconds first. */
export interface VerifySchedule {
  taskId?: number;
  cron: string;
  zone?: string | null;
}

export const verificationsApi = {
  verifyTask: (taskId: number) => http.post<Verification>(`/api/tasks/${taskId}/verify`),
  verifyRun: (runId: number) => http.post<Verification>(`/api/runs/${runId}/verify`),
  get: (id: number) => http.get<Verification>(`/api/verifications/${id}`),
  /** Every difference as JSON Lines (values only for users who may read rows). */
  reportUrl: (id: number) => `/api/verifications/${id}/report`,
  list: (q: PageQuery & { taskId?: number; runId?: number }) => http.get<Page<Verification>>('/api/verifications', { ...q }),
  schedule: (taskId: number) => http.get<VerifySchedule>(`/api/tasks/${taskId}/verify-schedule`),
  setSchedule: (taskId: number, s: VerifySchedule) => http.put<VerifySchedule>(`/api/tasks/${taskId}/verify-schedule`, s),
  removeSchedule: (taskId: number) => http.del(`/api/tasks/${taskId}/verify-schedule`),
};

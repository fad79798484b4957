import type { ChangeFigures, ProgressMessage } from './live';
import { http, type Page, type PageQuery } from './client';
import type { Verification } from './verifications';

export type RunState = 'QUEUED' | 'CREATED' | 'RUNNING' | 'PAUSED' | 'SUCCEEDED' | 'FAILED' | 'STOPPED';

export const FINAL_RUN_STATES: RunState[] = ['SUCCEEDED', 'FAILED', 'STOPPED'];

/** A run as the server shows it; speeds are averages over the run's time. */
export interface Run {
  id: number;
  taskId: number | null;
  taskName: string;
  runKey: string | null;
  state: RunState;
  startedBy: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMillis: number | null;
  recordsRead: number;
  recordsWritten: number;
  bytesWritten: number;
  dirtyRecords: number;
  percent: number | null;
  recordsPerSecond: number | null;
  bytesPerSecond: number | null;
  message: string | null;
  rerunOf: number | null;
  /** a `kind: cdc` run's latest figures (GET /api/runs/{id} only) */
  changes?: ChangeFigures | null;
  /** its newest verification: after the copy, or a Verify of the run (GET /api/runs/{id} only) */
  verification?: Verification | null;
}

export interface LogLine {
  at: string;
  level: string;
  line: string;
}

/** A row that could not be read, converted or written, with the reason. */
export interface DirtyRow {
  time?: string;
  location?: string;
  column?: string | null;
  value?: unknown;
  reason: string;
  row?: Record<string, unknown>;
}

export type InstanceState = 'WAITING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'STOPPED' | 'TIMED_OUT' | 'SKIPPED';

export type Trigger = 'schedule' | 'manual' | 'backfill' | 'online' | 'rerun';

/** One planned execution of a scheduled task. */
export interface Instance {
  id: number;
  taskId: number;
  taskName: string;
  plannedTime: string;
  state: InstanceState;
  attempt: number;
  runId: number | null;
  trigger: Trigger;
  /** the node that executes (or executed) the instance's run */
  node: string | null;
  /** when the instance's run started; null while it waits in a node's queue */
  startedAt: string | null;
  endedAt: string | null;
  durationMillis: number | null;
  recordsWritten: number | null;
  message: string | null;
}

/** What a rerun would do to the run's target (GET /api/runs/{id}/rerun-check). */
export interface RerunCheck {
  runId: number;
  recordsWritten: number;
  /** the write mode of the run's sink; null when it has none */
  writeMode: string | null;
  /** whether a rerun would insert rows the run already wrote */
  repeatsRows: boolean;
  /** the write modes the sink offers */
  writeModes: string[];
}

export interface RunFilter {
  taskId?: number;
  state?: RunState;
}

export interface InstanceFilter {
  taskId?: number;
  state?: InstanceState;
  from?: string;
  to?: string;
}

export const runsApi = {
  list: (q: PageQuery & RunFilter) => http.get<Page<Run>>('/api/runs', { ...q }),
  get: (id: number) => http.get<Run>(`/api/runs/${id}`),
  start: (taskId: number) => http.post<Run>(`/api/tasks/${taskId}/runs`),
  pause: (id: number) => http.post<Run>(`/api/runs/${id}/pause`),
  resume: (id: number) => http.post<Run>(`/api/runs/${id}/resume`),
  stop: (id: number) => http.post<Run>(`/api/runs/${id}/stop`),
  rerun: (id: number) => http.post<Run>(`/api/runs/${id}/rerun`),
  rerunCheck: (id: number) => http.get<RerunCheck>(`/api/runs/${id}/rerun-check`),
  /** the latest progress (speeds, ETA, splits), also after the run ended; only the state before it starts */
  progress: (id: number) => http.get<ProgressMessage>(`/api/runs/${id}/progress`),
  log: (id: number) => http.get<LogLine[]>(`/api/runs/${id}/log`),
  logDownloadUrl: (id: number) => `/api/runs/${id}/log/download`,
  /** an empty page when the run had no dirty rows */
  dirty: (id: number, q: PageQuery) => http.get<Page<DirtyRow>>(`/api/runs/${id}/dirty`, { ...q }),
};

export const instancesApi = {
  list: (q: PageQuery & InstanceFilter) => http.get<Page<Instance>>('/api/instances', { ...q }),
  rerun: (id: number) => http.post<Instance>(`/api/instances/${id}/rerun`),
  stop: (id: number) => http.post<Instance>(`/api/instances/${id}/stop`),
  backfill: (taskId: number, from: string, to: string) => http.post<Instance[]>(`/api/tasks/${taskId}/backfill`, { from, to }),
};

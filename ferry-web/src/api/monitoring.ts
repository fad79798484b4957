import { http } from './client';
import type { InstanceState, RunState } from './runs';

/** The runs that ended in one interval of the dashboard's history. */
export interface HistoryBucket {
  start: string;
  succeeded: number;
  failed: number;
  stopped: number;
  recordsWritten: number;
  dirtyRecords: number;
}

export interface Timeline {
  bucketMinutes: number;
  buckets: HistoryBucket[];
}

/** A task's latest result, seen from one of the data sources it reads (source) or writes (sink). */
export interface TaskSync {
  taskId: number;
  taskName: string;
  side: 'source' | 'sink';
  lastRunId: number | null;
  lastState: RunState | null;
  lastEndedAt: string | null;
  lastRecordsWritten: number | null;
  lastMessage: string | null;
  lastSucceededAt: string | null;
  running: boolean;
}

export type SyncState = 'IN_SYNC' | 'PARTIAL' | 'FAILING' | 'NEVER_SYNCED' | 'UNUSED';

export interface DataSourceSync {
  datasourceId: number;
  alias: string;
  connector: string;
  status: SyncState;
  lastSyncAt: string | null;
  tasks: TaskSync[];
}

/** A scheduled task (or an upstream one) with its latest instance. */
export interface GraphNode {
  taskId: number;
  name: string;
  scheduled: boolean;
  online: boolean;
  latestInstanceId: number | null;
  latestState: InstanceState | null;
  latestPlannedTime: string | null;
}

/** taskId's instances wait for upstreamTaskId's instance of the same cycle. */
export interface GraphEdge {
  upstreamTaskId: number;
  taskId: number;
}

export interface DependencyGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const monitoringApi = {
  history: (hours: number) => http.get<Timeline>('/api/monitoring/history', { hours }),
  syncStatus: () => http.get<DataSourceSync[]>('/api/monitoring/sync-status'),
  dependencies: () => http.get<DependencyGraph>('/api/monitoring/dependencies'),
};

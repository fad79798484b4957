import { http } from './client';

/** A server node: alive while its heartbeat is fresh; one that stopped is listed while its samples are kept. */
export interface ClusterNode {
  node: string;
  /** its resource group (null for a node that stopped and is known by its samples only) */
  group: string | null;
  alive: boolean;
  startedAt: string | null;
  heartbeatAt: string | null;
}

/** One sample of a node (ferry.monitoring.sample-interval). CPU loads are 0..1, NaN when unknown. */
export interface NodeSample {
  at: string;
  processCpu: number | null;
  systemCpu: number | null;
  heapUsed: number;
  heapMax: number;
  rss: number;
  threads: number;
  runsExecuting: number;
  runsQueued: number;
}

export const nodesApi = {
  list: () => http.get<ClusterNode[]>('/api/nodes'),
  samples: (node: string, hours: number) => http.get<NodeSample[]>(`/api/nodes/${encodeURIComponent(node)}/samples`, { hours }),
};

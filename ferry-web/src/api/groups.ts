import { http } from './client';
import type { ClusterNode, NodeSample } from './nodes';

export type GroupKind = 'nodes' | 'flink';

/**
 * A resource group: where a task's runs execute. `nodes`: the Ferry nodes that joined it
 * (`ferry server --worker --group NAME`; `default` is the server's own pool); `flink`: a Flink
 * session cluster at its REST address. Its name and kind stay as created.
 */
export interface ResourceGroup {
  id: number;
  name: string;
  kind: GroupKind;
  flinkAddress: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  /** how many tasks run in it */
  tasks: number;
}

export interface ResourceGroupRequest {
  name?: string;
  kind?: GroupKind;
  flinkAddress?: string | null;
  description?: string | null;
}

/** A node of a group: heartbeat, its newest sample (null before the first) and runs executing. */
export interface GroupNode {
  node: ClusterNode;
  latest: NodeSample | null;
  runsRunning: number;
}

/** A connectivity check's outcome: `node` is null when no node of the group answered in time. */
export interface ConnectivityResult {
  ok: boolean;
  group: string;
  dataSource: string;
  node: string | null;
  message: string | null;
  at: string;
}

export const groupsApi = {
  list: () => http.get<ResourceGroup[]>('/api/resource-groups'),
  create: (r: ResourceGroupRequest) => http.post<ResourceGroup>('/api/resource-groups', r),
  update: (id: number, r: ResourceGroupRequest) => http.put<ResourceGroup>(`/api/resource-groups/${id}`, r),
  remove: (id: number) => http.del(`/api/resource-groups/${id}`),
  nodes: (id: number) => http.get<GroupNode[]>(`/api/resource-groups/${id}/nodes`),
  connectivity: (id: number, dataSourceId: number) =>
    http.post<ConnectivityResult>(`/api/resource-groups/${id}/connectivity`, { dataSourceId }),
};

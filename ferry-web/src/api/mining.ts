import { http } from './client';

/** A shared-mining run (docs/shared-mining.md): one log reader of a source, for all its cdc tasks. */
export interface MiningRun {
  id: number;
  name: string;
  /** The source data source's alias. */
  source: string;
  /** The mining log: its data source's alias and its table or collection. */
  miningLog: string;
  state: 'RUNNING' | 'STOPPED' | 'FAILED';
  /** The node that runs it or last ran it; null while none does. */
  node: string | null;
  tables: string[];
  position: string | null;
  head: number;
  eventsAppended: number;
  eventsPerSecond: number;
  lagMillis: number | null;
  failure: string | null;
  retentionHours: number;
  /** Events appended since it last started, by schema.table. */
  tableEvents: Record<string, number>;
  /** The space its mining log takes in its store; null when unknown. */
  storeBytes: number | null;
}

export interface MiningEdit {
  name?: string;
  retentionHours?: number;
}

export const miningApi = {
  list: () => http.get<MiningRun[]>('/api/mining'),
  get: (id: number) => http.get<MiningRun>(`/api/mining/${id}`),
  stop: (id: number) => http.post<MiningRun>(`/api/mining/${id}/stop`),
  start: (id: number) => http.post<MiningRun>(`/api/mining/${id}/start`),
  edit: (id: number, edit: MiningEdit) => http.put<MiningRun>(`/api/mining/${id}`, edit),
};

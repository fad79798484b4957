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
  /** The start time edited while it stopped: its next start reads the source's log from then. */
  startAt: string | null;
  /** Changes per second its tasks applied from its log (from their saved progress). */
  readPerSecond: number;
  /** The task whose offset is the oldest in its log; null when every task is at its head. */
  neededBy: string | null;
  /** When its retention drops the first event that task still needs. */
  neededDropsAt: string | null;
  /** Threads that encode what it appends (1: its own thread). */
  writeThreads: number;
  /** Whether updates lacking values get them from the source's row before they are appended. */
  fillUpdates: boolean;
}

export interface MiningEdit {
  name?: string;
  retentionHours?: number;
  /** ISO-8601 with an offset; '' clears an edited start time */
  startAt?: string;
  /** 1 to 16 */
  writeThreads?: number;
  fillUpdates?: boolean;
}

/** A sample of a mining run kept by the server (GET /api/mining/{id}/history). */
export interface MiningSample {
  at: string;
  /** the node that ran it then */
  node: string;
  /** events appended since it last started */
  eventsAppended: number;
  /** events read from the source and appended, per second */
  appendedPerSecond: number;
  /** changes its tasks applied from its log, per second */
  readPerSecond: number;
  lagMillis: number | null;
  head: number;
  storeBytes: number | null;
  /** events appended since it last started, by schema.table */
  tableEvents: Record<string, number>;
}

export const miningApi = {
  list: () => http.get<MiningRun[]>('/api/mining'),
  get: (id: number) => http.get<MiningRun>(`/api/mining/${id}`),
  stop: (id: number) => http.post<MiningRun>(`/api/mining/${id}/stop`),
  start: (id: number) => http.post<MiningRun>(`/api/mining/${id}/start`),
  edit: (id: number, edit: MiningEdit) => http.put<MiningRun>(`/api/mining/${id}`, edit),
  /** its samples from `from` to now (ISO-8601), oldest first */
  history: (id: number, from: string) => http.get<MiningSample[]>(`/api/mining/${id}/history`, { from }),
};

import { http } from './client';

/** A task, by id and name. */
export interface TaskRef {
  id: number;
  name: string;
}

/** A table of a mining run (docs/shared-mining.md, per-table stop and resume). */
export interface MiningTable {
  /** schema.table */
  table: string;
  state: 'CAPTURING' | 'WAITING' | 'STOPPING' | 'STOPPED' | 'RESUMING';
  /** Events appended since the mining run (re)started. */
  events: number;
  /** The source position it stopped at; null unless stopped. */
  stoppedAt: string | null;
  /** The mining log's head when it stopped; null unless stopped. */
  stoppedHead: number | null;
  /** The tasks that read it from this mining run. */
  tasks: TaskRef[];
}

export interface StopPreview {
  table: string;
  tasks: TaskRef[];
}

export interface ResumePreview {
  table: string;
  stoppedAt: string;
  stoppedHead: number;
  /** True when the source's log still holds the stop: no change is lost. */
  fromStop: boolean;
  message: string;
  tasks: TaskRef[];
}

export const miningTablesApi = {
  list: (id: number) => http.get<MiningTable[]>(`/api/mining/${id}/tables`),
  stopPreview: (id: number, table: string) => http.get<StopPreview>(`/api/mining/${id}/tables/stop-preview`, { table }),
  stop: (id: number, table: string) => http.post<MiningTable>(`/api/mining/${id}/tables/stop`, { table }),
  resumePreview: (id: number, table: string) => http.get<ResumePreview>(`/api/mining/${id}/tables/resume-preview`, { table }),
  resume: (id: number, table: string) => http.post<MiningTable>(`/api/mining/${id}/tables/resume`, { table }),
};

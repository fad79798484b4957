import { http, type Page, type PageQuery } from './client';

/** One side of a wizard task (the server's JobScripts.Endpoint). */
export interface Endpoint {
  datasourceId: number | null;
  /** schema.table, or table in the connection's default schema */
  table: string;
  /** the target's write mode; ignored for a source */
  writeMode?: string | null;
  /** further object options of the connector: where, columns, keys, createTable... */
  options?: Record<string, unknown> | null;
}

export interface Pair {
  from: string;
  to: string;
}

/** The form the wizard fills (the server's JobScripts.Wizard). */
export interface Wizard {
  source: Endpoint;
  target: Endpoint;
  /** explicit column pairs; null or empty for same-name mapping */
  mapping: Pair[] | null;
  /** engine settings: channels, recordsPerSecond, bytesPerSecond, errorLimit... */
  settings: Record<string, unknown> | null;
  /**
   * full (or absent): a batch copy; incremental: a `kind: cdc` task from now on (startup latest);
   * full-incremental: the table, then its changes (startup initial)
   */
  syncMode?: SyncMode | null;
  /**
   * a batch task's cursor-based incremental reads (docs/incremental.md): each run reads the rows
   * past the cursor its last successful run committed, less the look-back
   */
  incremental?: Incremental | null;
  /**
   * a cdc task reads the source's changes from its data source's shared-mining log; null: as the
   * source data source's switch is
   */
  sharedMining?: boolean | null;
}

/** The job's `incremental:` section (the server's JobScripts.Incremental). */
export interface Incremental {
  cursor?: string | null;
  lookBack?: string | null;
  start?: string | null;
}

export type SyncMode = 'full' | 'incremental' | 'full-incremental';

export type TaskMode = 'wizard' | 'script';

export interface Task {
  id: number;
  name: string;
  folderId: number | null;
  description: string | null;
  mode: TaskMode;
  wizard: Wizard | null;
  script: string;
  createdAt: string;
  updatedAt: string;
  online: boolean;
  /** only a scheduled task goes online */
  scheduled: boolean;
  /** the schedule's summary in the UI's language */
  scheduleDescription: string | null;
  /** the resource group its runs execute in (`default`: the server's own pool) */
  resourceGroup: string;
}

export interface TaskRequest {
  name: string;
  folderId?: number | null;
  description?: string | null;
  mode: TaskMode;
  wizard?: Wizard | null;
  script?: string | null;
  /** the resource group its runs execute in; left out on update, the task keeps its group */
  resourceGroup?: string | null;
}

export interface Folder {
  id: number;
  parentId: number | null;
  name: string;
  /** what the folder's tasks are for */
  description: string | null;
  children: Folder[];
  tasks: number[];
}

export interface FolderRequest {
  name: string;
  parentId: number | null;
  description?: string | null;
}

export interface BatchCreate {
  sourceDatasourceId: number;
  targetDatasourceId: number;
  tables: string[];
  folderId?: number | null;
  namePattern?: string;
  targetTablePattern?: string;
  writeMode?: string;
  settings?: Record<string, unknown>;
}

export interface DataxImport {
  folderId?: number | null;
  sourceDatasourceId?: number | null;
  targetDatasourceId?: number | null;
  files: { name: string; content: string }[];
}

export interface Validation {
  ok: boolean;
  problems: { field: string; message: string }[];
}

/** The committed cursor of an incremental task (the server's TaskCursors.View, docs/incremental.md). */
export interface TaskCursor {
  /** the task script's `incremental:` section; null when it has none */
  incremental: { cursor: string; lookBack: string | null; start: string | null } | null;
  column: string | null;
  kind: string | null;
  /** the value the next run reads past; null: the next run reads every row (or from `start`) */
  value: string | null;
  /** the run that committed it; null when set by hand */
  runKey: string | null;
  updatedAt: string | null;
}

export interface TaskFilter {
  q?: string;
  folderId?: number;
  online?: boolean;
}

export const tasksApi = {
  list: (q: PageQuery & TaskFilter) => http.get<Page<Task>>('/api/tasks', { ...q }),
  get: (id: number) => http.get<Task>(`/api/tasks/${id}`),
  create: (request: TaskRequest) => http.post<Task>('/api/tasks', request),
  update: (id: number, request: TaskRequest) => http.put<Task>(`/api/tasks/${id}`, request),
  remove: (id: number) => http.del(`/api/tasks/${id}`),
  validate: (id: number) => http.post<Validation>(`/api/tasks/${id}/validate`),
  convertToScript: (id: number) => http.post<Task>(`/api/tasks/${id}/convert-to-script`),
  batchCreate: (batch: BatchCreate) => http.post<Task[]>('/api/tasks/batch', batch),
  importDatax: (request: DataxImport) => http.post<Task[]>('/api/tasks/import-datax', request),
  batchDelete: (ids: number[]) => http.post<void>('/api/tasks/batch-delete', { ids }),
  online: (id: number) => http.post<unknown>(`/api/tasks/${id}/online`),
  offline: (id: number) => http.post<unknown>(`/api/tasks/${id}/offline`),
  batchOnline: (ids: number[]) => http.post<unknown>('/api/tasks/batch-online', { ids }),
  batchOffline: (ids: number[]) => http.post<unknown>('/api/tasks/batch-offline', { ids }),
  cursor: (id: number) => http.get<TaskCursor>(`/api/tasks/${id}/cursor`),
  setCursor: (id: number, value: string, column?: string) =>
    http.put<TaskCursor>(`/api/tasks/${id}/cursor`, { value, column: column || null }),
  resetCursor: (id: number) => http.del<TaskCursor>(`/api/tasks/${id}/cursor`),
};

export const foldersApi = {
  tree: () => http.get<Folder[]>('/api/folders'),
  create: (folder: FolderRequest) => http.post<Folder>('/api/folders', folder),
  update: (id: number, folder: FolderRequest) => http.put<void>(`/api/folders/${id}`, folder),
  remove: (id: number) => http.del(`/api/folders/${id}`),
};

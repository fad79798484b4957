import { http, type Page, type PageQuery } from './client';

/** One attribute of a meta-model; `appliesTo` is `table` or `column`. */
export interface ModelAttribute {
  key: string;
  appliesTo: 'table' | 'column';
  label: string;
  labelZh: string;
}

/** A meta-model: bound to data-source types (none: the generic one, for any connector with a catalog). */
export interface MetaModel {
  id: string;
  name: string;
  nameZh: string;
  connectors: string[];
  reader: string;
  technical: ModelAttribute[];
  common: ModelAttribute[];
}

export type Cycle = 'day' | 'week' | 'month';

export interface CollectionTaskRequest {
  name: string;
  dataSourceId: number;
  model?: string;
  cycle: Cycle;
  day?: number | null;
  time: string;
  zone?: string;
  includes?: string;
  excludes?: string;
}

export type CollectionState = 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED';

export interface CollectionInstance {
  id: number;
  taskId: number;
  trigger: 'CREATION' | 'MANUAL' | 'SCHEDULE';
  state: CollectionState;
  node: string | null;
  startedAt: string;
  endedAt: string | null;
  databases: number;
  tables: number;
  columns: number;
  tablesAdded: number;
  tablesChanged: number;
  tablesRemoved: number;
  columnsAdded: number;
  columnsChanged: number;
  columnsRemoved: number;
  message: string | null;
}

export interface CollectionTask {
  id: number;
  name: string;
  dataSourceId: number;
  dataSource: string;
  connector: string;
  model: string;
  /** DAY, WEEK or MONTH */
  cycle: string;
  day: number | null;
  time: string;
  cron: string;
  zone: string;
  includes: string | null;
  excludes: string | null;
  createdAt: string;
  updatedAt: string;
  nextFireTime: string | null;
  lastInstance: CollectionInstance | null;
}

export interface Started {
  task: CollectionTask;
  instance: CollectionInstance;
}

export interface ErrorEntry {
  id: number;
  object: string | null;
  code: string;
  message: string;
  at: string;
}

export interface InstanceDetail {
  instance: CollectionInstance;
  errors: ErrorEntry[];
}

export interface CatalogSource {
  dataSourceId: number;
  dataSource: string;
  connector: string;
  tables: number;
}

export interface CatalogDatabase {
  name: string;
  tables: number;
}

export interface TableSummary {
  id: number;
  dataSourceId: number;
  database: string;
  name: string;
  kind: string | null;
  comment: string | null;
  version: number;
  addedBy: number | null;
  changedBy: number | null;
  removedBy: number | null;
  updatedAt: string;
}

export interface ColumnView {
  id: number;
  name: string;
  ordinal: number;
  nativeType: string | null;
  nullable: boolean;
  defaultValue: string | null;
  comment: string | null;
  attributes: Record<string, unknown>;
  addedBy: number;
  changedBy: number | null;
  removedBy: number | null;
}

export interface HistoryEntry {
  version: number;
  instanceId: number;
  change: 'ADDED' | 'CHANGED' | 'REMOVED' | 'RESTORED';
  detail: {
    columnsAdded?: string[];
    columnsChanged?: string[];
    columnsRemoved?: string[];
    attributesChanged?: string[];
  } | null;
  at: string;
}

export interface CommonAttributes {
  owner: string | null;
  description: string | null;
  tags: string[];
  classification: string | null;
}

export type CustomType = 'string' | 'number' | 'boolean' | 'date';

/** A custom attribute people defined for a meta-model. */
export interface CustomAttribute {
  id: number;
  model: string;
  name: string;
  type: CustomType;
  required: boolean;
  /** the values a string or number attribute may take; empty for any */
  allowedValues: string[];
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export type CustomAttributeRequest = Pick<CustomAttribute, 'name' | 'type' | 'required' | 'allowedValues' | 'description'>;

export interface TableView {
  table: TableSummary;
  dataSource: string;
  /** the meta-model of the table's data source */
  model: string;
  common: CommonAttributes;
  customAttributes: CustomAttribute[];
  /** the table's custom attribute values, by name */
  custom: Record<string, unknown>;
  technical: Record<string, unknown>;
  stats: Record<string, unknown>;
  columns: ColumnView[];
  history: HistoryEntry[];
  /** the sync tasks whose source or sink names the table */
  tasks: TaskUse[];
}

/** A sync task that reads (source) or writes (sink) a collected table, with the name it gives it. */
export interface TaskUse {
  taskId: number;
  name: string;
  mode: 'wizard' | 'script';
  side: 'source' | 'sink';
  object: string;
}

/** A collected table as the task wizard's field mapping reads it (the shape of a live browse's table). */
export interface CollectedTable {
  tableId: number;
  schema: string;
  name: string;
  columns: { name: string; nativeType: string; type: string; nullable: boolean; comment: string | null }[];
  primaryKey: string[];
  rowEstimate: number | null;
  comment: string | null;
  version: number;
  /** when the last collection of its data source ended */
  collectedAt: string;
}

export interface ColumnHit {
  tableId: number;
  dataSource: string;
  database: string;
  table: string;
  column: string;
  nativeType: string | null;
  comment: string | null;
}

export interface SearchResult {
  tables: Page<TableSummary>;
  columns: Page<ColumnHit>;
}

export const catalogApi = {
  models: () => http.get<MetaModel[]>('/api/catalog/models'),
  tasks: (q: PageQuery & { q?: string }) => http.get<Page<CollectionTask>>('/api/catalog/tasks', { ...q }),
  createTask: (r: CollectionTaskRequest) => http.post<Started>('/api/catalog/tasks', r),
  updateCron: (id: number, cron: string) => http.put<CollectionTask>(`/api/catalog/tasks/${id}`, { cron }),
  removeTask: (id: number) => http.del(`/api/catalog/tasks/${id}`),
  /**
   * "Sync now". `confirmRemovals` lets the run past the removal guard; `removeUncovered` also removes the
   * data source's tables the task's patterns do not cover.
   */
  sync: (id: number, options: { confirmRemovals?: boolean; removeUncovered?: boolean } = {}) =>
    http.post<Started>(`/api/catalog/tasks/${id}/sync`, undefined, {
      confirmRemovals: options.confirmRemovals || undefined,
      removeUncovered: options.removeUncovered || undefined,
    }),
  instances: (q: PageQuery & { taskId: number }) =>
    http.get<Page<CollectionInstance>>(`/api/catalog/tasks/${q.taskId}/instances`, { page: q.page, size: q.size }),
  instance: (id: number) => http.get<InstanceDetail>(`/api/catalog/instances/${id}`),
  sources: () => http.get<CatalogSource[]>('/api/catalog/sources'),
  databases: (sourceId: number) => http.get<CatalogDatabase[]>(`/api/catalog/sources/${sourceId}/databases`),
  tables: (sourceId: number, database: string, includeRemoved = false) =>
    http.get<TableSummary[]>(`/api/catalog/sources/${sourceId}/tables`, { database, includeRemoved }),
  table: (id: number) => http.get<TableView>(`/api/catalog/tables/${id}`),
  /** A current collected table by name; undefined (204) when it was not collected. */
  collected: (dataSourceId: number, database: string, name: string) =>
    http.get<CollectedTable | undefined>(`/api/catalog/sources/${dataSourceId}/table`, { database, name }),
  setCommon: (id: number, common: CommonAttributes) => http.put<TableView>(`/api/catalog/tables/${id}/common`, common),
  setCustom: (id: number, values: Record<string, unknown>) => http.put<TableView>(`/api/catalog/tables/${id}/custom`, { values }),
  customAttributes: (model: string) => http.get<CustomAttribute[]>(`/api/catalog/models/${model}/attributes`),
  createCustomAttribute: (model: string, r: CustomAttributeRequest) =>
    http.post<CustomAttribute>(`/api/catalog/models/${model}/attributes`, r),
  updateCustomAttribute: (model: string, id: number, r: CustomAttributeRequest) =>
    http.put<CustomAttribute>(`/api/catalog/models/${model}/attributes/${id}`, r),
  removeCustomAttribute: (model: string, id: number) => http.del(`/api/catalog/models/${model}/attributes/${id}`),
  search: (q: string, page = 0, size = 50) => http.get<SearchResult>('/api/catalog/search', { q, page, size }),
};

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/**
 * The cron expression the server makes of a collection rule (seconds first, as Quartz reads it):
 * shown in the form before the task is created. Null while the rule is incomplete.
 */
export function cronOf(cycle: Cycle | undefined, day: number | null | undefined, time: string | undefined): string | null {
  const m = /^(\d{2}):(\d{2})$/.exec(time ?? '');
  if (!cycle || !m) return null;
  const at = `0 ${Number(m[2])} ${Number(m[1])} `;
  if (cycle === 'day') return `${at}* * ?`;
  if (cycle === 'week') return day != null && day >= 1 && day <= 7 ? `${at}? * ${DAYS[day - 1]}` : null;
  return day != null && day >= 1 && day <= 28 ? `${at}${day} * ?` : null;
}

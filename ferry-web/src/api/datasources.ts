import { http, type Page, type PageQuery } from './client';

export type OptionType = 'string' | 'integer' | 'long' | 'double' | 'boolean' | 'duration' | 'size' | 'enum' | 'list' | 'object';

/** One option a connector declares, as a form renders it; texts in the UI's language. */
export interface OptionDecl {
  name: string;
  /** the name as a form labels it beside the name (Chinese); null where the name is the label */
  label: string | null;
  type: OptionType;
  description: string;
  defaultValue: unknown;
  required: boolean;
  secret: boolean;
  choices: string[];
}

/**
 * changeSource: a source of row changes, for `kind: cdc` jobs; miningLog: it can keep a
 * shared-mining log (a data source of it may be a mining-log store)
 */
export type ConnectorRole = 'source' | 'sink' | 'catalog' | 'changeSource' | 'miningLog';

export interface Connector {
  name: string;
  description: string;
  roles: Partial<Record<ConnectorRole, OptionDecl[]>>;
}

export interface DataSource {
  id: number;
  alias: string;
  connector: string;
  description: string | null;
  /** Secret options come back as "****"; sent back unchanged they keep the stored value. */
  options: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  /** its shared-mining switch and store; null when it was never switched on */
  sharedMining?: SharedMiningSetting | null;
}

/**
 * Shared mining on a data source (docs/shared-mining.md): its cdc tasks read its change log through
 * one mining run by default. The store is chosen the first time the switch goes on, then kept.
 */
export interface SharedMiningSetting {
  enabled: boolean;
  /** the alias of the data source that keeps the mining log (MongoDB, PostgreSQL, MySQL/MariaDB) */
  logDatasource?: string | null;
  /** the table or collection of the mining log in it */
  logTable?: string | null;
  /** how long a new mining run of this source keeps events (default 72) */
  retentionHours?: number | null;
}

export interface DataSourceRequest {
  alias: string;
  connector: string;
  description?: string;
  options: Record<string, unknown>;
  /** left out: the setting stays as it is */
  sharedMining?: SharedMiningSetting;
}

export interface ConnectionTest {
  ok: boolean;
  role: ConnectorRole;
  /** `option` names the option at fault, or `connection` for the connection as a whole. */
  problems: { option: string; message: string }[];
}

export interface ColumnInfo {
  name: string;
  nativeType: string;
  /** Ferry's type: int64, decimal(12,2), string, timestamp... */
  type: string;
  nullable: boolean;
  comment: string | null;
}

export interface TableInfo {
  schema: string;
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  rowEstimate: number | null;
  comment: string | null;
}

const seg = encodeURIComponent;

/** One side of a job template: a data source (by alias) or a connector. */
export type TemplateSide = { datasource: string } | { connector: string };

export const connectorsApi = {
  list: () => http.get<Connector[]>('/api/connectors'),
  /**
   * A job file generated from the two connectors' option declarations: required options as
   * placeholders, the others commented out with their defaults and descriptions.
   */
  jobTemplate: (source: TemplateSide, sink: TemplateSide) =>
    http
      .get<{ script: string }>('/api/templates/job', {
        source: 'connector' in source ? source.connector : undefined,
        sourceDatasource: 'datasource' in source ? source.datasource : undefined,
        sink: 'connector' in sink ? sink.connector : undefined,
        sinkDatasource: 'datasource' in sink ? sink.datasource : undefined,
      })
      .then((t) => t.script),
};

export interface ChangeRoles {
  changeSource: boolean;
  /** its sink applies changes, given changeOptions and the changeNeeds the task names */
  appliesChanges: boolean;
  /** the sink option that names the object written: table, collection, index, path */
  objectOption?: string | null;
  /** options the server gives a cdc target of this data source (a file: format jsonl) */
  changeOptions?: Record<string, unknown>;
  /** options a cdc task into it must name: idColumns (an index), rowKey (an HBase table) */
  changeNeeds?: string[];
}

export const dataSourcesApi = {
  list: (q: PageQuery & { q?: string }) => http.get<Page<DataSource>>('/api/datasources', { ...q }),
  get: (id: number) => http.get<DataSource>(`/api/datasources/${id}`),
  create: (request: DataSourceRequest) => http.post<DataSource>('/api/datasources', request),
  update: (id: number, request: DataSourceRequest) => http.put<DataSource>(`/api/datasources/${id}`, request),
  remove: (id: number) => http.del(`/api/datasources/${id}`),
  /** whether the data source reads row changes, and whether its sink applies them (cdc tasks) */
  changeRoles: (id: number) => http.get<ChangeRoles>(`/api/datasources/${id}/change-roles`),
  test: (id: number, role?: ConnectorRole) => http.post<ConnectionTest>(`/api/datasources/${id}/test`, { role }),
  schemas: (id: number) => http.get<string[]>(`/api/datasources/${id}/catalog`),
  tables: (id: number, schema: string) => http.get<string[]>(`/api/datasources/${id}/catalog/${seg(schema)}`),
  table: (id: number, schema: string, table: string) => http.get<TableInfo>(`/api/datasources/${id}/catalog/${seg(schema)}/${seg(table)}`),
};

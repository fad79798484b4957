import { http, type Page, type PageQuery } from './client';

export type OptionType = 'string' | 'integer' | 'long' | 'double' | 'boolean' | 'duration' | 'size' | 'enum' | 'list' | 'object';

/** One option a connector declares, as a form renders it. */
export interface OptionDecl {
  name: string;
  type: OptionType;
  description: string;
  defaultValue: unknown;
  required: boolean;
  secret: boolean;
  choices: string[];
}

export type ConnectorRole = 'source' | 'sink' | 'catalog';

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
}

export interface DataSourceRequest {
  alias: string;
  connector: string;
  description?: string;
  options: Record<string, unknown>;
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

export const connectorsApi = {
  list: () => http.get<Connector[]>('/api/connectors'),
};

export const dataSourcesApi = {
  list: (q: PageQuery & { q?: string }) => http.get<Page<DataSource>>('/api/datasources', { ...q }),
  get: (id: number) => http.get<DataSource>(`/api/datasources/${id}`),
  create: (request: DataSourceRequest) => http.post<DataSource>('/api/datasources', request),
  update: (id: number, request: DataSourceRequest) => http.put<DataSource>(`/api/datasources/${id}`, request),
  remove: (id: number) => http.del(`/api/datasources/${id}`),
  test: (id: number, role?: ConnectorRole) => http.post<ConnectionTest>(`/api/datasources/${id}/test`, { role }),
  schemas: (id: number) => http.get<string[]>(`/api/datasources/${id}/catalog`),
  tables: (id: number, schema: string) => http.get<string[]>(`/api/datasources/${id}/catalog/${seg(schema)}`),
  table: (id: number, schema: string, table: string) => http.get<TableInfo>(`/api/datasources/${id}/catalog/${seg(schema)}/${seg(table)}`),
};

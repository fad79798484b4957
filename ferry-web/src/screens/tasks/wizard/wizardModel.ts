import type { Incremental, Pair, SyncMode, Task, Wizard } from '../../../api/tasks';

/** The wizard form's values; a table is picked as schema + table from the catalog. */
export interface WizardValues {
  name: string;
  folderId?: number | null;
  description?: string;
  source: { datasourceId?: number; schema?: string; table?: string; columns?: string[]; where?: string };
  target: {
    datasourceId?: number;
    schema?: string;
    table?: string;
    writeMode?: string;
    createTable?: boolean;
    keys?: string[];
    /** a cdc target that applies changes by document _id (Elasticsearch, MongoDB) */
    idColumns?: string[];
    /** a cdc target that applies changes by row key (HBase): the key columns */
    rowKey?: string[];
  };
  settings: { channels?: number; recordsPerSecond?: number; bytesPerSecond?: string; errorLimit?: number };
  /** offered when the source reads changes and the target applies them; full otherwise */
  syncMode?: SyncMode;
  /** a batch task with a JDBC source: read only the rows past the cursor each run */
  incremental?: Incremental;
  /** a cdc task reads its source's shared-mining log (on by default when the source's switch is) */
  sharedMining?: boolean;
  /** where its runs execute: a resource group (`default`: the server's own pool) */
  resourceGroup?: string;
}

/** The connectors whose sources read by a cursor column (the JDBC family). */
export const CURSOR_SOURCES = new Set(['mysql', 'postgresql', 'oracle', 'sqlserver', 'jdbc']);

/** Whether the values make a `kind: cdc` task. */
export const isCdc = (mode: SyncMode | undefined | null) => mode === 'incremental' || mode === 'full-incremental';

export const STEP_KEYS = ['basic', 'source', 'target', 'mapping', 'settings', 'schedule', 'review'] as const;
export type StepKey = (typeof STEP_KEYS)[number];

/** The form fields each step validates before the next. */
export const STEP_FIELDS: Partial<Record<StepKey, (string | number)[][]>> = {
  basic: [['name'], ['folderId'], ['description']],
  source: [
    ['source', 'datasourceId'],
    ['source', 'schema'],
    ['source', 'table'],
    ['source', 'columns'],
    ['source', 'where'],
    ['incremental', 'cursor'],
    ['incremental', 'lookBack'],
    ['incremental', 'start'],
  ],
  target: [
    ['target', 'datasourceId'],
    ['target', 'schema'],
    ['target', 'table'],
    ['target', 'writeMode'],
    ['target', 'keys'],
    ['target', 'idColumns'],
    ['target', 'rowKey'],
  ],
  settings: [
    ['resourceGroup'],
    ['settings', 'channels'],
    ['settings', 'recordsPerSecond'],
    ['settings', 'bytesPerSecond'],
    ['settings', 'errorLimit'],
  ],
};

export const qualified = (schema: string | undefined, table: string | undefined) => (schema ? `${schema}.${table ?? ''}` : (table ?? ''));

/** `shop.orders` → shop / orders; a name without a schema stays whole. */
export function splitTable(table: string | null | undefined): { schema?: string; table?: string } {
  if (!table) return {};
  const dot = table.indexOf('.');
  return dot < 0 ? { table } : { schema: table.slice(0, dot), table: table.slice(dot + 1) };
}

function compact(values: Record<string, unknown>): Record<string, unknown> | null {
  const kept = Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
  return kept.length ? Object.fromEntries(kept) : null;
}

/** The Wizard JSON the server stores (POST/PUT /api/tasks, mode wizard). */
export function toWizard(v: WizardValues, mapping: Pair[]): Wizard {
  if (isCdc(v.syncMode)) {
    // A cdc task captures the whole table and maps columns by name; changes are applied by key.
    return {
      source: { datasourceId: v.source.datasourceId ?? null, table: qualified(v.source.schema, v.source.table), options: null },
      target: {
        datasourceId: v.target.datasourceId ?? null,
        table: qualified(v.target.schema, v.target.table),
        writeMode: null,
        options: compact({
          createTable: v.target.createTable || undefined,
          keys: v.target.keys,
          idColumns: v.target.idColumns,
          rowKey: v.target.rowKey,
        }),
      },
      mapping: null,
      settings: compact({ ...v.settings }),
      syncMode: v.syncMode,
      sharedMining: v.sharedMining ?? null,
    };
  }
  return {
    source: {
      datasourceId: v.source.datasourceId ?? null,
      table: qualified(v.source.schema, v.source.table),
      options: compact({ columns: v.source.columns, where: v.source.where?.trim() }),
    },
    target: {
      datasourceId: v.target.datasourceId ?? null,
      table: qualified(v.target.schema, v.target.table),
      writeMode: v.target.writeMode ?? null,
      options: compact({ createTable: v.target.createTable || undefined, keys: v.target.keys }),
    },
    mapping: mapping.length ? mapping : null,
    settings: compact({ ...v.settings }),
    incremental: compact({
      cursor: v.incremental?.cursor?.trim(),
      lookBack: v.incremental?.lookBack?.trim(),
      start: v.incremental?.start?.trim(),
    }) as Incremental | null,
  };
}

/** A stored wizard task back into the form. */
export function fromTask(task: Task): { values: WizardValues; mapping: Pair[] } {
  const w = task.wizard!;
  const so = w.source.options ?? {};
  const to = w.target.options ?? {};
  return {
    values: {
      name: task.name,
      folderId: task.folderId,
      description: task.description ?? undefined,
      source: {
        datasourceId: w.source.datasourceId ?? undefined,
        ...splitTable(w.source.table),
        columns: Array.isArray(so.columns) ? (so.columns as string[]) : undefined,
        where: typeof so.where === 'string' ? so.where : undefined,
      },
      target: {
        datasourceId: w.target.datasourceId ?? undefined,
        ...splitTable(w.target.table),
        writeMode: w.target.writeMode ?? undefined,
        createTable: to.createTable === true,
        keys: Array.isArray(to.keys) ? (to.keys as string[]) : undefined,
        idColumns: Array.isArray(to.idColumns) ? (to.idColumns as string[]) : undefined,
        rowKey: Array.isArray(to.rowKey) ? (to.rowKey as string[]) : typeof to.rowKey === 'string' ? [to.rowKey] : undefined,
      },
      settings: (w.settings ?? {}) as WizardValues['settings'],
      syncMode: w.syncMode ?? 'full',
      incremental: w.incremental ?? undefined,
      sharedMining: w.sharedMining ?? undefined,
      resourceGroup: task.resourceGroup ?? 'default',
    },
    mapping: w.mapping ?? [],
  };
}

/**
 * A problem's field as the form names it: the server names the wizard's JSON
 * (`wizard.target.table`) or the generated job (`sink.writeMode`, `source.where`).
 */
export function formField(field: string): string {
  return field
    .replace(/^wizard\./, '')
    .replace(/^sink\./, 'target.')
    .replace(/^(source|target)\.options\./, '$1.');
}

export function stepOfField(field: string): StepKey {
  const f = formField(field);
  if (f.startsWith('source') || f.startsWith('incremental')) return 'source';
  if (f.startsWith('target')) return 'target';
  if (f.startsWith('mapping')) return 'mapping';
  if (f.startsWith('settings') || f === 'resourceGroup') return 'settings';
  if (f === 'name' || f === 'folderId' || f === 'description') return 'basic';
  return 'review';
}

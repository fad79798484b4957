import { useEffect, useState } from 'react';
import { problemsOf } from '../../../api/client';
import { catalogApi } from '../../../api/catalog';
import { dataSourcesApi, type TableInfo } from '../../../api/datasources';

/**
 * Where a table's columns came from: the collected metadata catalog (with when its data source was
 * last collected), or a live browse of the data source when the table was not collected.
 */
export type ColumnsOrigin = { from: 'catalog'; collectedAt: string; version: number } | { from: 'live' };

/**
 * What a data source's catalog offers for a pick: its schemas, a schema's tables, a table.
 * `tablesOf` names the schema whose tables `tables` holds (null until they arrived), so that
 * `exists` is known only once they did. A table's columns, types and key come from the collected
 * metadata catalog when the table is in it, else from a live browse (`origin` says which).
 */
export function useCatalog(datasourceId?: number, schema?: string, table?: string) {
  const [schemas, setSchemas] = useState<string[]>([]);
  const [tables, setTables] = useState<string[]>([]);
  const [tablesOf, setTablesOf] = useState<string | null>(null);
  const [info, setInfo] = useState<TableInfo | null>(null);
  const [origin, setOrigin] = useState<ColumnsOrigin | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setSchemas([]);
    setError(null);
    if (datasourceId == null) return;
    let cancelled = false;
    dataSourcesApi.schemas(datasourceId).then(
      (s) => !cancelled && setSchemas(s),
      (e) => !cancelled && setError(problemsOf(e)[0].message),
    );
    return () => {
      cancelled = true;
    };
  }, [datasourceId]);

  useEffect(() => {
    setTables([]);
    setTablesOf(null);
    if (datasourceId == null || !schema) return;
    let cancelled = false;
    dataSourcesApi.tables(datasourceId, schema).then(
      (t) => {
        if (cancelled) return;
        setTables(t);
        setTablesOf(schema);
      },
      (e) => !cancelled && setError(problemsOf(e)[0].message),
    );
    return () => {
      cancelled = true;
    };
  }, [datasourceId, schema]);

  const tablesLoaded = tablesOf != null && tablesOf === schema;
  const exists = !!table && tables.includes(table);
  useEffect(() => {
    setInfo(null);
    setOrigin(null);
    if (datasourceId == null || !schema || !table || !exists) return;
    let cancelled = false;
    setLoading(true);
    const live = () =>
      dataSourcesApi.table(datasourceId, schema, table).then((i) => ({ info: i, origin: { from: 'live' } as ColumnsOrigin }));
    // Not collected (no content), or the catalog cannot be read: browse the data source live.
    catalogApi
      .collected(datasourceId, schema, table)
      .then(
        (c) =>
          c
            ? {
                info: {
                  schema: c.schema,
                  name: c.name,
                  columns: c.columns,
                  primaryKey: c.primaryKey,
                  rowEstimate: c.rowEstimate,
                  comment: c.comment,
                } as TableInfo,
                origin: { from: 'catalog', collectedAt: c.collectedAt, version: c.version } as ColumnsOrigin,
              }
            : live(),
        live,
      )
      .then(
        (r) => {
          if (cancelled) return;
          setInfo(r.info);
          setOrigin(r.origin);
        },
        (e) => !cancelled && setError(problemsOf(e)[0].message),
      )
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [datasourceId, schema, table, exists]);

  return { schemas, tables, tablesLoaded, info, origin, exists, error, loading };
}

import { useEffect, useState } from 'react';
import { problemsOf } from '../../../api/client';
import { dataSourcesApi, type TableInfo } from '../../../api/datasources';

/**
 * What a data source's catalog offers for a pick: its schemas, a schema's tables, a table.
 * `tablesOf` names the schema whose tables `tables` holds (null until they arrived), so that
 * `exists` is known only once they did.
 */
export function useCatalog(datasourceId?: number, schema?: string, table?: string) {
  const [schemas, setSchemas] = useState<string[]>([]);
  const [tables, setTables] = useState<string[]>([]);
  const [tablesOf, setTablesOf] = useState<string | null>(null);
  const [info, setInfo] = useState<TableInfo | null>(null);
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
    if (datasourceId == null || !schema || !table || !exists) return;
    let cancelled = false;
    setLoading(true);
    dataSourcesApi
      .table(datasourceId, schema, table)
      .then(
        (i) => !cancelled && setInfo(i),
        (e) => !cancelled && setError(problemsOf(e)[0].message),
      )
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [datasourceId, schema, table, exists]);

  return { schemas, tables, tablesLoaded, info, exists, error, loading };
}

import { useEffect, useState } from 'react';
import { Alert, Checkbox, Empty, Flex, Input, Table, Tabs, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { DatabaseOutlined, HddOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { catalogApi, type ColumnHit, type SearchResult, type TableSummary } from '../../api/catalog';
import { problemsOf } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { formatTime } from '../../components/format';
import { useT } from '../../i18n';

/** `source:3` or `db:3:sales` */
function parseKey(key: string): { source: number; database?: string } {
  const [kind, id, ...rest] = key.split(':');
  return kind === 'db' ? { source: Number(id), database: rest.join(':') } : { source: Number(id) };
}

/**
 * The collected catalog: data sources → databases in a tree, the tables of the picked database,
 * and a search across all sources of tables and columns by name, comment or tag.
 */
export function CatalogBrowseTab() {
  const t = useT();
  const [tree, setTree] = useState<DataNode[] | null>(null);
  const [expanded, setExpanded] = useState<React.Key[]>([]);
  const [picked, setPicked] = useState<{ source: number; database: string } | null>(null);
  const [includeRemoved, setIncludeRemoved] = useState(false);
  const [tables, setTables] = useState<TableSummary[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchResult | null>(null);

  useEffect(() => {
    catalogApi
      .sources()
      .then((sources) =>
        setTree(
          sources.map((s) => ({
            key: `source:${s.dataSourceId}`,
            title: `${s.dataSource} (${s.tables})`,
            icon: <HddOutlined />,
            selectable: false,
          })),
        ),
      )
      .catch((e) => setError(problemsOf(e)[0].message));
  }, []);

  const loadData = async (node: DataNode) => {
    const { source } = parseKey(String(node.key));
    try {
      const databases = await catalogApi.databases(source);
      setTree((current) =>
        (current ?? []).map((n) =>
          n.key === node.key
            ? {
                ...n,
                children: databases.map((d) => ({
                  key: `db:${source}:${d.name}`,
                  title: `${d.name} (${d.tables})`,
                  icon: <DatabaseOutlined />,
                  isLeaf: true,
                })),
              }
            : n,
        ),
      );
    } catch (e) {
      setError(problemsOf(e)[0].message);
    }
  };

  useEffect(() => {
    if (!picked) return;
    let cancelled = false;
    setLoading(true);
    catalogApi
      .tables(picked.source, picked.database, includeRemoved)
      .then((found) => !cancelled && setTables(found))
      .catch((e) => !cancelled && setError(problemsOf(e)[0].message))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [picked, includeRemoved]);

  useEffect(() => {
    if (!query) {
      setHits(null);
      return;
    }
    let cancelled = false;
    catalogApi
      .search(query)
      .then((found) => !cancelled && setHits(found))
      .catch((e) => !cancelled && setError(problemsOf(e)[0].message));
    return () => {
      cancelled = true;
    };
  }, [query]);

  const tableLink = (name: string, id: number) => <Link to={`/catalog/tables/${id}`}>{name}</Link>;
  const tableColumns = [
    { title: t('catalog.browse.table'), dataIndex: 'name', render: (name: string, row: TableSummary) => tableLink(name, row.id) },
    { title: t('catalog.browse.kind'), dataIndex: 'kind', render: (k: string | null) => k ?? '–' },
    { title: t('catalog.browse.comment'), dataIndex: 'comment', render: (c: string | null) => c || '–' },
    {
      title: t('catalog.browse.version'),
      dataIndex: 'version',
      render: (v: number, row: TableSummary) => (
        <>
          v{v} {row.removedBy != null && <Tag color="error">{t('catalog.browse.removed')}</Tag>}
        </>
      ),
    },
    { title: t('common.updated'), dataIndex: 'updatedAt', width: 170, render: formatTime },
  ];

  return (
    <>
      {error && <Alert type="error" showIcon title={error} closable={{ onClose: () => setError(null) }} style={{ marginBottom: 16 }} />}
      <Input.Search
        allowClear
        placeholder={t('catalog.browse.search')}
        aria-label={t('catalog.browse.search')}
        onSearch={(value) => setQuery(value.trim())}
        style={{ maxWidth: 480, marginBottom: 16 }}
        data-testid="catalog-search"
      />
      {hits ? (
        <Tabs
          items={[
            {
              key: 'tables',
              label: `${t('catalog.browse.tables')} (${hits.tables.total})`,
              children: (
                <Table<TableSummary>
                  rowKey="id"
                  size="small"
                  dataSource={hits.tables.items}
                  pagination={false}
                  locale={{ emptyText: t('catalog.browse.noHits') }}
                  columns={[{ title: t('catalog.browse.database'), dataIndex: 'database' }, ...tableColumns]}
                />
              ),
            },
            {
              key: 'columns',
              label: `${t('catalog.browse.columns')} (${hits.columns.total})`,
              children: (
                <Table<ColumnHit>
                  rowKey={(h) => `${h.tableId}.${h.column}`}
                  size="small"
                  dataSource={hits.columns.items}
                  pagination={false}
                  locale={{ emptyText: t('catalog.browse.noHits') }}
                  columns={[
                    { title: t('catalog.browse.sources'), dataIndex: 'dataSource' },
                    { title: t('catalog.browse.database'), dataIndex: 'database' },
                    {
                      title: t('catalog.browse.table'),
                      dataIndex: 'table',
                      render: (name: string, h: ColumnHit) => tableLink(name, h.tableId),
                    },
                    { title: t('catalog.table.column'), dataIndex: 'column' },
                    { title: t('catalog.table.type'), dataIndex: 'nativeType' },
                    { title: t('catalog.browse.comment'), dataIndex: 'comment', render: (c: string | null) => c || '–' },
                  ]}
                />
              ),
            },
          ]}
        />
      ) : tree && tree.length === 0 ? (
        <EmptyState text={t('catalog.browse.empty')} />
      ) : (
        <Flex gap={24} align="flex-start">
          <div style={{ width: 300, flex: 'none' }}>
            <Typography.Text type="secondary">{t('catalog.browse.sources')}</Typography.Text>
            <Tree
              showIcon
              treeData={tree ?? []}
              loadData={loadData}
              expandedKeys={expanded}
              onExpand={setExpanded}
              onSelect={(_, { node }) => {
                const key = parseKey(String(node.key));
                if (key.database !== undefined) setPicked({ source: key.source, database: key.database });
              }}
              data-testid="catalog-sources"
            />
          </div>
          <div style={{ flex: 1, minWidth: 0 }}>
            {picked ? (
              <>
                <Flex justify="space-between" style={{ marginBottom: 8 }}>
                  <Typography.Text strong>{picked.database}</Typography.Text>
                  <Checkbox checked={includeRemoved} onChange={(e) => setIncludeRemoved(e.target.checked)}>
                    {t('catalog.browse.showRemoved')}
                  </Checkbox>
                </Flex>
                <Table<TableSummary>
                  rowKey="id"
                  size="small"
                  loading={loading}
                  dataSource={tables}
                  columns={tableColumns}
                  data-testid="catalog-tables"
                />
              </>
            ) : (
              <Empty description={t('catalog.browse.pick')} />
            )}
          </div>
        </Flex>
      )}
    </>
  );
}

import { useEffect, useState } from 'react';
import { Alert, Descriptions, Drawer, Empty, Flex, Table, Tag, Tree, Typography } from 'antd';
import { DatabaseOutlined, KeyOutlined, TableOutlined } from '@ant-design/icons';
import type { DataNode } from 'antd/es/tree';
import { problemsOf } from '../../api/client';
import { dataSourcesApi, type DataSource, type TableInfo } from '../../api/datasources';
import { formatCount } from '../../components/format';
import { useT } from '../../i18n';

/** A data source's catalog: databases (schemas) → tables → columns with native and Ferry types. */
export function CatalogBrowser({ dataSource, onClose }: { dataSource: DataSource | null; onClose: () => void }) {
  const t = useT();
  const [tree, setTree] = useState<DataNode[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [table, setTable] = useState<TableInfo | null>(null);
  const [loadingTable, setLoadingTable] = useState(false);
  const [expanded, setExpanded] = useState<React.Key[]>([]);

  useEffect(() => {
    setTree([]);
    setTable(null);
    setError(null);
    setExpanded([]);
    if (!dataSource) return;
    dataSourcesApi.schemas(dataSource.id).then(
      (schemas) => setTree(schemas.map((s) => ({ key: `s:${s}`, title: s, icon: <DatabaseOutlined /> }))),
      (e) => setError(problemsOf(e)[0].message),
    );
  }, [dataSource]);

  const loadData = async (node: DataNode) => {
    const schema = String(node.key).slice(2);
    if (!dataSource || node.children) return;
    try {
      const tables = await dataSourcesApi.tables(dataSource.id, schema);
      const children: DataNode[] = tables.length
        ? tables.map((name) => ({ key: `t:${schema}\u0000${name}`, title: name, icon: <TableOutlined />, isLeaf: true }))
        : [
            {
              key: `e:${schema}`,
              title: <Typography.Text type="secondary">{t('catalog.noTables')}</Typography.Text>,
              isLeaf: true,
              selectable: false,
            },
          ];
      setTree((old) => old.map((n) => (n.key === node.key ? { ...n, children } : n)));
    } catch (e) {
      setError(problemsOf(e)[0].message);
    }
  };

  const select = async (key: string) => {
    if (key.startsWith('s:')) {
      // A database opens (or closes) on a click on its name, not only on its arrow.
      setExpanded((keys) => (keys.includes(key) ? keys.filter((k) => k !== key) : [...keys, key]));
      return;
    }
    if (!dataSource || !key.startsWith('t:')) return;
    const [schema, name] = key.slice(2).split('\u0000');
    setLoadingTable(true);
    try {
      setTable(await dataSourcesApi.table(dataSource.id, schema, name));
    } catch (e) {
      setError(problemsOf(e)[0].message);
    } finally {
      setLoadingTable(false);
    }
  };

  return (
    <Drawer open={!!dataSource} onClose={onClose} size={1000} title={t('catalog.title', { alias: dataSource?.alias ?? '' })}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} closable={{ onClose: () => setError(null) }} />}
      <Flex gap={24} align="flex-start">
        <div style={{ width: 280, flex: 'none', maxHeight: 'calc(100vh - 140px)', overflow: 'auto' }}>
          <Tree
            showIcon
            treeData={tree}
            loadData={loadData}
            expandedKeys={expanded}
            onExpand={setExpanded}
            onSelect={(_, { node }) => select(String(node.key))}
            data-testid="catalog-tree"
          />
        </div>
        <div style={{ flex: 1, minWidth: 0 }}>
          {table ? (
            <>
              <Descriptions
                size="small"
                column={2}
                style={{ marginBottom: 16 }}
                items={[
                  { key: 'table', label: t('catalog.table'), children: `${table.schema}.${table.name}` },
                  { key: 'rows', label: t('catalog.rowEstimate'), children: formatCount(table.rowEstimate) },
                  { key: 'key', label: t('catalog.primaryKey'), children: table.primaryKey.join(', ') || '–' },
                  { key: 'comment', label: t('common.description'), children: table.comment || '–' },
                ]}
              />
              <Table
                size="small"
                rowKey="name"
                loading={loadingTable}
                pagination={false}
                dataSource={table.columns}
                columns={[
                  {
                    title: t('catalog.column'),
                    dataIndex: 'name',
                    render: (name: string) => (
                      <Flex gap={6} align="center">
                        {table.primaryKey.includes(name) && <KeyOutlined style={{ color: '#faad14' }} />}
                        {name}
                      </Flex>
                    ),
                  },
                  { title: t('catalog.nativeType'), dataIndex: 'nativeType' },
                  { title: t('catalog.ferryType'), dataIndex: 'type', render: (type: string) => <Tag>{type}</Tag> },
                  { title: t('catalog.nullable'), dataIndex: 'nullable', render: (n: boolean) => (n ? t('common.yes') : t('common.no')) },
                  { title: t('common.description'), dataIndex: 'comment' },
                ]}
              />
            </>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.pickTable')} />
          )}
        </div>
      </Flex>
    </Drawer>
  );
}

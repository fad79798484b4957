import { useEffect, useState } from 'react';
import { App, Button, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { problemsOf } from '../../api/client';
import { connectorsApi, dataSourcesApi, type Connector, type DataSource } from '../../api/datasources';
import { useAuth } from '../../auth/AuthProvider';
import { EmptyState } from '../../components/EmptyState';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { usePaged } from '../../components/usePaged';
import { useI18n } from '../../i18n';
import { CatalogBrowser } from './CatalogBrowser';
import { DataSourceForm } from './DataSourceForm';

/** The data-source center: searchable list, create/edit form, connection test, catalog browser. */
export function DataSourcesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { canOperate } = useAuth();
  const [q, setQ] = useState('');
  const list = usePaged(dataSourcesApi.list, { q });
  const [connectors, setConnectors] = useState<Connector[]>([]);
  const [editing, setEditing] = useState<{ dataSource: DataSource | null } | null>(null);
  const [browsing, setBrowsing] = useState<DataSource | null>(null);
  const [testing, setTesting] = useState<number | null>(null);

  // The forms' texts come from the server in the UI's language.
  useEffect(() => {
    connectorsApi.list().then(setConnectors, (e) => message.error(problemsOf(e)[0].message));
  }, [message, lang]);

  const test = async (ds: DataSource) => {
    setTesting(ds.id);
    try {
      const result = await dataSourcesApi.test(ds.id);
      if (result.ok) message.success(t('ds.testOkFor', { alias: ds.alias }));
      else message.error(`${ds.alias}: ${result.problems.map((p) => `${p.option}: ${p.message}`).join('; ')}`, 8);
    } catch (e) {
      message.error(problemsOf(e)[0].message);
    } finally {
      setTesting(null);
    }
  };

  const remove = async (ds: DataSource) => {
    try {
      await dataSourcesApi.remove(ds.id);
      message.success(t('common.deleted', { name: ds.alias }));
      list.reload();
    } catch (e) {
      message.error(problemsOf(e)[0].message, 8);
    }
  };

  return (
    <>
      <PageHeader
        title={t('nav.datasources')}
        extra={
          <>
            <Input.Search allowClear placeholder={t('ds.search')} onSearch={setQ} style={{ width: 260 }} data-testid="ds-search" />
            {canOperate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ dataSource: null })} data-testid="ds-create">
                {t('ds.create')}
              </Button>
            )}
          </>
        }
      />
      <Table<DataSource>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={list.pagination}
        locale={{
          emptyText: (
            <EmptyState
              text={q ? t('ds.noMatch', { q }) : t('ds.empty')}
              action={
                canOperate && !q ? (
                  <Button type="primary" onClick={() => setEditing({ dataSource: null })}>
                    {t('ds.create')}
                  </Button>
                ) : null
              }
            />
          ),
        }}
        columns={[
          { title: t('ds.alias'), dataIndex: 'alias', render: (alias: string) => <Typography.Text strong>{alias}</Typography.Text> },
          { title: t('ds.connector'), dataIndex: 'connector', render: (c: string) => <Tag color="blue">{c}</Tag> },
          { title: t('common.description'), dataIndex: 'description', ellipsis: true },
          { title: t('common.updated'), dataIndex: 'updatedAt', render: formatTime, width: 180 },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 280,
            render: (_, ds) => (
              <Space size={0} wrap>
                {canOperate && (
                  <Button type="link" size="small" loading={testing === ds.id} onClick={() => test(ds)}>
                    {t('ds.test')}
                  </Button>
                )}
                <Button type="link" size="small" onClick={() => setBrowsing(ds)}>
                  {t('ds.browse')}
                </Button>
                {canOperate && (
                  <Button type="link" size="small" onClick={() => setEditing({ dataSource: ds })}>
                    {t('common.edit')}
                  </Button>
                )}
                {canOperate && (
                  <Popconfirm
                    title={t('ds.confirmDelete', { alias: ds.alias })}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => remove(ds)}
                  >
                    <Button type="link" size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <DataSourceForm
        open={!!editing}
        dataSource={editing?.dataSource ?? null}
        connectors={connectors}
        onClose={() => setEditing(null)}
        onSaved={() => list.reload()}
      />
      <CatalogBrowser dataSource={browsing} onClose={() => setBrowsing(null)} />
    </>
  );
}

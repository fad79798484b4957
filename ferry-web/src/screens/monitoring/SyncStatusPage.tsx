import { useEffect, useState } from 'react';
import { Badge, Button, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { problemsOf } from '../../api/client';
import { monitoringApi, type DataSourceSync, type SyncState, type TaskSync } from '../../api/monitoring';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { StateTag } from '../../components/StateTag';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

const STATUS_COLORS: Record<SyncState, string> = {
  IN_SYNC: 'success',
  PARTIAL: 'processing',
  FAILING: 'error',
  NEVER_SYNCED: 'warning',
  UNUSED: 'default',
};

/** Which data sources are in sync (seed 002): each one's status, last sync and its tasks' latest results. */
export function SyncStatusPage() {
  const t = useT();
  const [rows, setRows] = useState<DataSourceSync[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = () => {
    setLoading(true);
    monitoringApi.syncStatus().then(
      (r) => {
        setRows(r);
        setError(null);
        setLoading(false);
      },
      (e) => {
        setError(e);
        setLoading(false);
      },
    );
  };
  useEffect(() => {
    load();
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, []);

  const taskColumns = [
    { title: t('run.task'), dataIndex: 'taskName', render: (name: string, s: TaskSync) => <Link to={`/tasks/${s.taskId}`}>{name}</Link> },
    { title: t('sync.side'), dataIndex: 'side', width: 100, render: (side: string) => t(`sync.side.${side}` as MessageKey) },
    {
      title: t('sync.lastRun'),
      dataIndex: 'lastState',
      width: 150,
      render: (state: TaskSync['lastState'], s: TaskSync) =>
        state ? (
          <Link to={`/runs/${s.lastRunId}`}>
            <StateTag state={state} />
          </Link>
        ) : (
          <Typography.Text type="secondary">{t('sync.noRun')}</Typography.Text>
        ),
    },
    { title: t('sync.lastEnded'), dataIndex: 'lastEndedAt', width: 170, render: formatTime },
    { title: t('sync.rowsWritten'), dataIndex: 'lastRecordsWritten', width: 120, align: 'right' as const, render: formatCount },
    {
      title: t('sync.message'),
      dataIndex: 'lastMessage',
      ellipsis: { showTitle: false },
      render: (m: string | null) =>
        m ? (
          <Tooltip title={m}>
            <Typography.Text type="danger">{m}</Typography.Text>
          </Tooltip>
        ) : null,
    },
    {
      title: '',
      dataIndex: 'running',
      width: 110,
      render: (r: boolean) => (r ? <Badge status="processing" text={t('sync.running')} /> : null),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.sync')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={load}>
            {t('sync.refresh')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('sync.intro')}</Typography.Paragraph>
      {error != null && (
        <Typography.Paragraph type="danger" role="alert">
          {problemsOf(error)[0].message}
        </Typography.Paragraph>
      )}
      <Table<DataSourceSync>
        rowKey="datasourceId"
        size="middle"
        loading={loading && !rows.length}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <EmptyState text={t('sync.empty')} /> }}
        expandable={{
          rowExpandable: (d) => d.tasks.length > 0,
          expandedRowRender: (d) => (
            <Table<TaskSync>
              rowKey={(s) => `${s.taskId}-${s.side}`}
              size="small"
              pagination={false}
              dataSource={d.tasks}
              columns={taskColumns}
            />
          ),
        }}
        columns={[
          { title: t('sync.datasource'), dataIndex: 'alias' },
          { title: t('sync.connector'), dataIndex: 'connector', width: 140 },
          {
            title: t('sync.status'),
            dataIndex: 'status',
            width: 150,
            render: (s: SyncState) => (
              <Tag color={STATUS_COLORS[s]} data-status={s}>
                {t(`sync.status.${s}` as MessageKey)}
              </Tag>
            ),
          },
          { title: t('sync.lastSync'), dataIndex: 'lastSyncAt', width: 170, render: formatTime },
          { title: t('sync.tasks'), width: 90, align: 'right' as const, render: (_: unknown, d: DataSourceSync) => d.tasks.length },
        ]}
      />
    </>
  );
}

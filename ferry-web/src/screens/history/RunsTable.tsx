import { useState } from 'react';
import { App, Button, Popconfirm, Space, Table, Tooltip, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { problemsOf } from '../../api/client';
import { FINAL_RUN_STATES, runsApi, type Run, type RunFilter } from '../../api/runs';
import { useAuth } from '../../auth/AuthProvider';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, formatDuration, formatRate, formatTime } from '../../components/format';
import { StateTag } from '../../components/StateTag';
import { usePaged } from '../../components/usePaged';
import { useT } from '../../i18n';
import { RunLogModal } from '../runs/RunLog';
import { useRerun } from '../runs/useRerun';

/** Runs, newest first, one server page at a time, refreshed while states change. */
export function RunsTable({ filter, showTask = true }: { filter: RunFilter; showTask?: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { canOperate } = useAuth();
  const list = usePaged(runsApi.list, filter, { refreshMillis: 3000 });
  const [logOf, setLogOf] = useState<number | null>(null);
  const rerun = useRerun();

  const stop = async (run: Run) => {
    try {
      await runsApi.stop(run.id);
      list.reload();
    } catch (e) {
      message.error(problemsOf(e)[0].message, 8);
    }
  };

  return (
    <>
      <Table<Run>
        rowKey="id"
        size="middle"
        loading={list.loading && !list.items.length}
        dataSource={list.items}
        pagination={list.pagination}
        locale={{ emptyText: <EmptyState text={t('runs.empty')} /> }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70, render: (id: number) => <Link to={`/runs/${id}`}>{id}</Link> },
          ...(showTask
            ? [
                {
                  title: t('run.task'),
                  dataIndex: 'taskName',
                  render: (name: string, r: Run) => (r.taskId ? <Link to={`/tasks/${r.taskId}`}>{name}</Link> : name),
                },
              ]
            : []),
          { title: t('run.state'), dataIndex: 'state', width: 110, render: (s: Run['state']) => <StateTag state={s} /> },
          { title: t('run.startedBy'), dataIndex: 'startedBy', width: 110 },
          { title: t('run.started'), dataIndex: 'startedAt', width: 170, render: formatTime },
          { title: t('run.duration'), dataIndex: 'durationMillis', width: 100, render: formatDuration },
          { title: t('run.rowsWritten'), dataIndex: 'recordsWritten', width: 120, align: 'right' as const, render: formatCount },
          { title: t('run.rowsPerSecond'), dataIndex: 'recordsPerSecond', width: 100, align: 'right' as const, render: formatRate },
          {
            title: t('run.message'),
            dataIndex: 'message',
            ellipsis: { showTitle: false },
            render: (m: string | null) =>
              m ? (
                <Tooltip title={m}>
                  <Typography.Text type="secondary">{m}</Typography.Text>
                </Tooltip>
              ) : null,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            render: (_: unknown, r: Run) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => navigate(`/runs/${r.id}`)}>
                  {t('run.monitor')}
                </Button>
                <Button type="link" size="small" onClick={() => setLogOf(r.id)}>
                  {t('run.log')}
                </Button>
                {canOperate &&
                  (FINAL_RUN_STATES.includes(r.state) ? (
                    <Button type="link" size="small" onClick={() => rerun(r)}>
                      {t('run.rerun')}
                    </Button>
                  ) : (
                    <Popconfirm title={t('run.confirmStop', { id: r.id })} okButtonProps={{ danger: true }} onConfirm={() => stop(r)}>
                      <Button type="link" size="small" danger>
                        {t('run.stop')}
                      </Button>
                    </Popconfirm>
                  ))}
              </Space>
            ),
          },
        ]}
      />
      <RunLogModal runId={logOf} onClose={() => setLogOf(null)} />
    </>
  );
}

import { useState } from 'react';
import { App, Button, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { problemsOf } from '../../api/client';
import { useLiveMessages } from '../../api/live';
import { instancesApi, type Instance, type InstanceFilter } from '../../api/runs';
import { useAuth } from '../../auth/AuthProvider';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, formatDuration, formatTime } from '../../components/format';
import { StateTag } from '../../components/StateTag';
import { usePaged } from '../../components/usePaged';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { RunLogModal } from '../runs/RunLog';

/** Scheduled instances by planned time: state, attempt, trigger, node, duration, rows, log, rerun. */
export function InstancesTable({ filter, showTask = true }: { filter: InstanceFilter; showTask?: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { canOperate } = useAuth();
  const list = usePaged(instancesApi.list, filter, { refreshMillis: 10_000 });
  // Each state change of an instance arrives over the WebSocket: the page follows at once.
  useLiveMessages((m) => m.type === 'instance' && list.reload());
  const [logOf, setLogOf] = useState<number | null>(null);

  const act = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      message.success(done);
      list.reload();
    } catch (e) {
      message.error(problemsOf(e)[0].message, 8);
    }
  };
  const live = (i: Instance) => i.state === 'WAITING' || i.state === 'RUNNING';

  return (
    <>
      {list.error != null && (
        <Typography.Paragraph type="danger" role="alert">
          {problemsOf(list.error)[0].message}
        </Typography.Paragraph>
      )}
      <Table<Instance>
        rowKey="id"
        size="middle"
        loading={list.loading && !list.items.length}
        dataSource={list.items}
        pagination={list.pagination}
        locale={{ emptyText: <EmptyState text={t('instances.empty')} /> }}
        columns={[
          { title: t('instance.planned'), dataIndex: 'plannedTime', width: 170, render: formatTime },
          ...(showTask
            ? [
                {
                  title: t('run.task'),
                  dataIndex: 'taskName',
                  render: (name: string, i: Instance) => <Link to={`/tasks/${i.taskId}`}>{name}</Link>,
                },
              ]
            : []),
          { title: t('run.state'), dataIndex: 'state', width: 110, render: (s: Instance['state']) => <StateTag state={s} /> },
          {
            title: t('instance.trigger'),
            dataIndex: 'trigger',
            width: 100,
            render: (tr: string) => <Tag>{t(`trigger.${tr}` as MessageKey)}</Tag>,
          },
          { title: t('instance.attempt'), dataIndex: 'attempt', width: 80, align: 'right' as const },
          // The node executing the instance's run: another one after a takeover.
          { title: t('instance.node'), dataIndex: 'node', width: 140, ellipsis: true },
          { title: t('run.started'), dataIndex: 'startedAt', width: 170, render: formatTime },
          { title: t('run.duration'), dataIndex: 'durationMillis', width: 100, render: formatDuration },
          { title: t('run.rowsWritten'), dataIndex: 'recordsWritten', width: 110, align: 'right' as const, render: formatCount },
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
            render: (_: unknown, i: Instance) => (
              <Space size={0}>
                {i.runId != null && (
                  <Button type="link" size="small" onClick={() => navigate(`/runs/${i.runId}`)}>
                    {t('run.monitor')}
                  </Button>
                )}
                {i.runId != null && (
                  <Button type="link" size="small" onClick={() => setLogOf(i.runId)}>
                    {t('run.log')}
                  </Button>
                )}
                {canOperate && !live(i) && (
                  <Popconfirm
                    title={t('instance.confirmRerun', { time: formatTime(i.plannedTime) })}
                    onConfirm={() => act(() => instancesApi.rerun(i.id), t('instance.rerunQueued'))}
                  >
                    <Button type="link" size="small">
                      {t('run.rerun')}
                    </Button>
                  </Popconfirm>
                )}
                {canOperate && live(i) && (
                  <Popconfirm
                    title={t('instance.confirmStop', { time: formatTime(i.plannedTime) })}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => act(() => instancesApi.stop(i.id), t('instance.stopped'))}
                  >
                    <Button type="link" size="small" danger>
                      {t('run.stop')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <RunLogModal runId={logOf} onClose={() => setLogOf(null)} />
    </>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, List, Table, Tabs, Tag, Typography } from 'antd';
import { problemsOf } from '../../api/client';
import type { MiningRun } from '../../api/mining';
import { miningTablesApi, type MiningTable, type TaskRef } from '../../api/miningTables';
import { useAuth } from '../../auth/AuthProvider';
import { formatCount } from '../../components/format';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

const POLL_MILLIS = 2_000;

const STATE_COLORS: Record<MiningTable['state'], string> = {
  CAPTURING: 'green',
  WAITING: 'default',
  STOPPING: 'orange',
  STOPPED: 'red',
  RESUMING: 'blue',
};

/**
 * A mining run's tables with their event counts, and their per-table stop and resume
 * (docs/shared-mining.md): stopping a table first shows the tasks it affects and asks for
 * confirmation; the "Stopped" tab resumes a table after saying whether it resumes from where it
 * stopped or, when the source's log lost that, with a new snapshot of its tasks.
 */
export function MiningTablesPanel({ run }: { run: MiningRun }) {
  const t = useT();
  const { canOperate } = useAuth();
  const { message, modal } = App.useApp();
  const [tables, setTables] = useState<MiningTable[]>();

  const load = useCallback(() => miningTablesApi.list(run.id).then(setTables), [run.id]);

  useEffect(() => {
    setTables(undefined);
    load().catch(() => setTables([]));
    const timer = setInterval(() => load().catch(() => {}), POLL_MILLIS);
    return () => clearInterval(timer);
  }, [load]);

  const fail = (e: unknown) => message.error(problemsOf(e)[0].message);

  const taskList = (tasks: TaskRef[]) => <List size="small" dataSource={tasks} renderItem={(task) => <List.Item>{task.name}</List.Item>} />;

  const stop = (table: string) =>
    miningTablesApi.stopPreview(run.id, table).then((preview) => {
      modal.confirm({
        title: t('miningTables.stopTitle', { table }),
        okText: t('miningTables.confirm'),
        okButtonProps: { danger: true },
        content: (
          <>
            <Typography.Paragraph>
              {preview.tasks.length > 0 ? t('miningTables.stopAffects', { table }) : t('miningTables.stopNoTasks')}
            </Typography.Paragraph>
            {preview.tasks.length > 0 && taskList(preview.tasks)}
          </>
        ),
        onOk: () =>
          miningTablesApi.stop(run.id, table).then(() => {
            message.info(t('miningTables.stopAsked', { table }));
            return load();
          }, fail),
      });
    }, fail);

  const resume = (table: string) =>
    miningTablesApi.resumePreview(run.id, table).then((preview) => {
      modal.confirm({
        title: t('miningTables.resumeTitle', { table }),
        okText: t('miningTables.confirm'),
        okButtonProps: { danger: !preview.fromStop },
        content: (
          <>
            <Alert
              type={preview.fromStop ? 'info' : 'warning'}
              showIcon
              message={preview.fromStop ? t('miningTables.resumeFromStop') : t('miningTables.resumeLost')}
              description={preview.message}
              style={{ marginBottom: 12 }}
            />
            {preview.tasks.length > 0 && (
              <>
                <Typography.Text strong>{t('miningTables.tasks')}</Typography.Text>
                {taskList(preview.tasks)}
              </>
            )}
          </>
        ),
        onOk: () =>
          miningTablesApi.resume(run.id, table).then(() => {
            message.info(t('miningTables.resumeAsked', { table }));
            return load();
          }, fail),
      });
    }, fail);

  const stateTag = (s: MiningTable['state']) => <Tag color={STATE_COLORS[s]}>{t(`miningTables.state.${s}` as MessageKey)}</Tag>;
  const tasksText = (tasks: TaskRef[]) => (tasks.length === 0 ? t('miningTables.noTasks') : tasks.map((task) => task.name).join(', '));

  const all = tables ?? [];
  const stopped = all.filter((r) => r.state === 'STOPPED' || r.state === 'RESUMING');

  return (
    <Card title={t('mining.tables')} size="small" data-testid="mining-tables">
      <Tabs
        items={[
          {
            key: 'tables',
            label: t('miningTables.tab.tables'),
            children: (
              <Table<MiningTable>
                rowKey="table"
                size="small"
                pagination={false}
                loading={tables === undefined}
                dataSource={all}
                columns={[
                  { title: t('mining.table'), dataIndex: 'table' },
                  { title: t('mining.tableEvents'), dataIndex: 'events', render: (n: number) => formatCount(n) },
                  { title: t('miningTables.state'), dataIndex: 'state', render: stateTag },
                  { title: t('miningTables.tasks'), dataIndex: 'tasks', render: tasksText },
                  ...(canOperate
                    ? [
                        {
                          title: t('common.actions'),
                          key: 'actions',
                          render: (_: unknown, r: MiningTable) =>
                            r.state === 'CAPTURING' || r.state === 'WAITING' ? (
                              <Button size="small" danger onClick={() => stop(r.table)}>
                                {t('miningTables.stop')}
                              </Button>
                            ) : null,
                        },
                      ]
                    : []),
                ]}
              />
            ),
          },
          {
            key: 'stopped',
            label: t('miningTables.tab.stopped', { count: stopped.length }),
            children: (
              <Table<MiningTable>
                rowKey="table"
                size="small"
                pagination={false}
                dataSource={stopped}
                locale={{ emptyText: t('miningTables.noneStopped') }}
                columns={[
                  { title: t('mining.table'), dataIndex: 'table' },
                  { title: t('miningTables.state'), dataIndex: 'state', render: stateTag },
                  { title: t('miningTables.stoppedAt'), dataIndex: 'stoppedAt' },
                  {
                    title: t('miningTables.stoppedHead'),
                    dataIndex: 'stoppedHead',
                    render: (n: number | null) => (n == null ? '–' : `#${formatCount(n)}`),
                  },
                  { title: t('miningTables.tasks'), dataIndex: 'tasks', render: tasksText },
                  ...(canOperate
                    ? [
                        {
                          title: t('common.actions'),
                          key: 'actions',
                          render: (_: unknown, r: MiningTable) =>
                            r.state === 'STOPPED' ? (
                              <Button size="small" type="primary" onClick={() => resume(r.table)}>
                                {t('miningTables.resume')}
                              </Button>
                            ) : null,
                        },
                      ]
                    : []),
                ]}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}

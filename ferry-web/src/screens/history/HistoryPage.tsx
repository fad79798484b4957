import { useState } from 'react';
import { App, Button, DatePicker, Flex, Select, Tabs } from 'antd';
import type { Dayjs } from 'dayjs';
import type { InstanceState, RunState } from '../../api/runs';
import { useAuth } from '../../auth/AuthProvider';
import { PageHeader } from '../../components/PageHeader';
import { TaskSelect } from '../../components/TaskSelect';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { BackfillModal } from './BackfillModal';
import { InstancesTable } from './InstancesTable';
import { RunsTable } from './RunsTable';

const INSTANCE_STATES: InstanceState[] = ['WAITING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED', 'TIMED_OUT', 'SKIPPED'];
const RUN_STATES: RunState[] = ['QUEUED', 'RUNNING', 'PAUSED', 'SUCCEEDED', 'FAILED', 'STOPPED'];

/** History: scheduled instances and runs, filtered by task, state and (instances) planned time. */
export function HistoryPage() {
  const t = useT();
  const { message } = App.useApp();
  const { canOperate } = useAuth();
  const [tab, setTab] = useState<'instances' | 'runs'>('instances');
  const [taskId, setTaskId] = useState<number | undefined>();
  const [instanceState, setInstanceState] = useState<InstanceState | undefined>();
  const [runState, setRunState] = useState<RunState | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [backfill, setBackfill] = useState(false);
  const [version, setVersion] = useState(0);

  const stateOptions = (states: string[]) => states.map((s) => ({ value: s, label: t(`state.${s}` as MessageKey) }));

  return (
    <>
      <PageHeader
        title={t('nav.history')}
        extra={
          canOperate && (
            <Button onClick={() => setBackfill(true)} data-testid="backfill-open">
              {t('backfill.title')}
            </Button>
          )
        }
      />
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <TaskSelect value={taskId} onChange={setTaskId} placeholder={t('history.allTasks')} style={{ width: 240 }} />
        {tab === 'instances' ? (
          <>
            <Select
              allowClear
              placeholder={t('history.allStates')}
              value={instanceState}
              onChange={setInstanceState}
              options={stateOptions(INSTANCE_STATES)}
              style={{ width: 160 }}
            />
            <DatePicker.RangePicker
              showTime
              allowEmpty={[true, true]}
              value={range}
              onChange={(r) => setRange(r)}
              placeholder={[t('history.from'), t('history.to')]}
            />
          </>
        ) : (
          <Select
            allowClear
            placeholder={t('history.allStates')}
            value={runState}
            onChange={setRunState}
            options={stateOptions(RUN_STATES)}
            style={{ width: 160 }}
          />
        )}
      </Flex>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as 'instances' | 'runs')}
        items={[
          {
            key: 'instances',
            label: t('history.instances'),
            children: (
              <InstancesTable
                key={version}
                filter={{ taskId, state: instanceState, from: range?.[0]?.toISOString(), to: range?.[1]?.toISOString() }}
              />
            ),
          },
          { key: 'runs', label: t('history.runs'), children: <RunsTable filter={{ taskId, state: runState }} /> },
        ]}
      />
      <BackfillModal
        open={backfill}
        taskId={taskId}
        onClose={() => setBackfill(false)}
        onDone={(created) => {
          setBackfill(false);
          message.success(t('backfill.created', { count: created.length }));
          setVersion((v) => v + 1);
        }}
      />
    </>
  );
}

import { useEffect, useState } from 'react';
import { Alert, App, Button, Flex, Popconfirm, Typography } from 'antd';
import { problemsOf, type FieldProblem } from '../../api/client';
import { schedulesApi, type Schedule, type TaskSchedule } from '../../api/schedules';
import type { Task } from '../../api/tasks';
import { useAuth } from '../../auth/AuthProvider';
import { formatTime } from '../../components/format';
import { useI18n } from '../../i18n';
import { ScheduleForm } from './schedule/ScheduleForm';
import { useTaskActions } from './useTaskActions';

/**
 * A task's schedule on its own: what it is now, and the form to change or remove it. A schedule
 * saved for a task that is offline comes with the offer to put the task online.
 */
export function TaskScheduleTab({ task, onChanged }: { task: Pick<Task, 'id' | 'name'>; onChanged: () => void }) {
  const taskId = task.id;
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { canOperate } = useAuth();
  const [current, setCurrent] = useState<TaskSchedule | null | undefined>(undefined);
  const [draft, setDraft] = useState<{ value: Schedule; valid: boolean } | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const actions = useTaskActions(() => setVersion((v) => v + 1));

  useEffect(() => {
    schedulesApi.get(taskId).then(setCurrent, () => setCurrent(null));
  }, [taskId, version, lang]);

  const save = async () => {
    if (!draft) return;
    setBusy(true);
    setProblems([]);
    let saved: TaskSchedule;
    try {
      saved = await schedulesApi.put(taskId, draft.value);
    } catch (e) {
      setProblems(problemsOf(e));
      return;
    } finally {
      setBusy(false);
    }
    setCurrent(saved);
    message.success(t('schedule.saved'));
    onChanged();
    if (!saved.online) {
      await actions.offerOnline(task);
      onChanged();
    }
  };

  const remove = async () => {
    try {
      await schedulesApi.remove(taskId);
      message.success(t('schedule.removed'));
      setVersion((v) => v + 1);
      onChanged();
    } catch (e) {
      message.error(problemsOf(e)[0].message);
    }
  };

  if (current === undefined) return null;
  return (
    <>
      {current?.schedule ? (
        <Alert
          type={current.online ? 'success' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <>
              {current.description} {current.cron && <Typography.Text code>{current.cron}</Typography.Text>}
            </>
          }
          description={
            current.online
              ? t('schedule.onlineNext', { times: current.nextFireTimes.slice(0, 3).map(formatTime).join(', ') || '–' })
              : t('schedule.offlineNote')
          }
        />
      ) : (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('schedule.none')} />
      )}
      <ScheduleForm
        key={version}
        initial={current?.schedule}
        taskId={taskId}
        serverProblems={problems}
        onChange={(value, valid) => setDraft({ value, valid })}
      />
      {canOperate && (
        <Flex gap={8} style={{ marginTop: 16 }}>
          <Button type="primary" loading={busy} disabled={!draft?.valid} onClick={save} data-testid="schedule-save">
            {t('schedule.save')}
          </Button>
          {current?.schedule && (
            <Popconfirm title={t('schedule.confirmRemove')} okButtonProps={{ danger: true }} onConfirm={remove}>
              <Button danger>{t('schedule.remove')}</Button>
            </Popconfirm>
          )}
        </Flex>
      )}
    </>
  );
}

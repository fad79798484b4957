import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Badge, Button, Card, Descriptions, Flex, Modal, Popconfirm, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import { CaretRightOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { problemsOf } from '../../api/client';
import { tasksApi, type Task, type Validation } from '../../api/tasks';
import { useAuth } from '../../auth/AuthProvider';
import { EmptyState } from '../../components/EmptyState';
import { formatTime } from '../../components/format';
import { useI18n } from '../../i18n';
import { BackfillModal } from '../history/BackfillModal';
import { InstancesTable } from '../history/InstancesTable';
import { RunsTable } from '../history/RunsTable';
import { TaskCursorTab } from './TaskCursorTab';
import { TaskScheduleTab } from './TaskScheduleTab';
import { useTaskActions } from './useTaskActions';
import { TaskVerificationsTab, VerifyButton, useVerify } from '../verify/VerificationPanel';
import { verificationsApi } from '../../api/verifications';

/** One task: its configuration and script, schedule, runs and instances, and what can be done to it. */
export function TaskDetailPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { canOperate } = useAuth();
  const id = Number(useParams().id);
  const [task, setTask] = useState<Task | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [validating, setValidating] = useState(false);
  const [backfill, setBackfill] = useState(false);
  const [instancesVersion, setInstancesVersion] = useState(0);
  // The schedule's summary comes in the UI's language: a new language reads the task again.
  const load = useCallback(
    () => tasksApi.get(id).then(setTask, (e) => setError(problemsOf(e)[0].message)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- lang: see above
    [id, lang],
  );
  const actions = useTaskActions(load);
  const [verificationsVersion, setVerificationsVersion] = useState(0);
  const verify = useVerify(() => setVerificationsVersion((v) => v + 1));

  useEffect(() => {
    load();
  }, [load]);

  if (error) return <EmptyState text={error} />;
  if (!task) return null;

  const validate = async () => {
    setValidating(true);
    try {
      setValidation(await tasksApi.validate(task.id));
    } catch (e) {
      setValidation({ ok: false, problems: problemsOf(e) });
    } finally {
      setValidating(false);
    }
  };

  const convert = async () => {
    try {
      await tasksApi.convertToScript(task.id);
      navigate(`/tasks/${task.id}/script`);
    } catch (e) {
      message.error(problemsOf(e)[0].message);
    }
  };

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Flex align="center" gap={12}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="task-title">
            {task.name}
          </Typography.Title>
          <Tag>{t(task.mode === 'wizard' ? 'task.wizard' : 'task.script')}</Tag>
          <Badge status={task.online ? 'success' : 'default'} text={task.online ? t('task.online') : t('task.offline')} />
        </Flex>
        {canOperate && (
          <Space wrap>
            <Button type="primary" icon={<CaretRightOutlined />} onClick={() => actions.run(task)} data-testid="task-run">
              {t('task.run')}
            </Button>
            {task.online ? (
              <Button onClick={() => actions.offline(task)}>{t('task.goOffline')}</Button>
            ) : (
              <Tooltip title={task.scheduled ? undefined : t('task.onlineNeedsSchedule')}>
                <Button disabled={!task.scheduled} onClick={() => actions.online(task)} data-testid="task-online">
                  {t('task.goOnline')}
                </Button>
              </Tooltip>
            )}
            <Button onClick={() => navigate(`/tasks/${task.id}/${task.mode === 'wizard' ? 'edit' : 'script'}`)} data-testid="task-edit">
              {t('common.edit')}
            </Button>
            <Button loading={validating} onClick={validate}>
              {t('task.validate')}
            </Button>
            <VerifyButton busy={verify.busy} onClick={() => verify.start(() => verificationsApi.verifyTask(task.id))} />
            {task.mode === 'wizard' && (
              <Popconfirm title={t('task.confirmConvert')} onConfirm={convert}>
                <Button>{t('task.convert')}</Button>
              </Popconfirm>
            )}
            <Popconfirm
              title={t('task.confirmDelete', { name: task.name })}
              okButtonProps={{ danger: true }}
              onConfirm={async () => (await actions.remove(task)) && navigate('/tasks')}
            >
              <Button danger>{t('common.delete')}</Button>
            </Popconfirm>
          </Space>
        )}
      </Flex>
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'overview',
              label: t('task.overview'),
              children: (
                <>
                  <Descriptions
                    size="small"
                    column={2}
                    style={{ marginBottom: 16 }}
                    items={[
                      { key: 'description', label: t('common.description'), children: task.description || '–' },
                      { key: 'schedule', label: t('task.schedule'), children: task.scheduleDescription ?? t('task.unscheduled') },
                      { key: 'created', label: t('common.created'), children: formatTime(task.createdAt) },
                      { key: 'updated', label: t('common.updated'), children: formatTime(task.updatedAt) },
                    ]}
                  />
                  <Typography.Text strong>{task.mode === 'wizard' ? t('task.generatedScript') : t('task.script')}</Typography.Text>
                  <pre
                    style={{ background: '#fafafa', border: '1px solid #f0f0f0', padding: 12, borderRadius: 6, overflow: 'auto' }}
                    data-testid="task-script"
                  >
                    {task.script}
                  </pre>
                </>
              ),
            },
            {
              key: 'schedule',
              label: t('task.schedule'),
              children: <TaskScheduleTab task={task} onChanged={load} />,
            },
            { key: 'runs', label: t('history.runs'), children: <RunsTable filter={{ taskId: task.id }} showTask={false} /> },
            { key: 'cursor', label: t('cursor.tab'), children: <TaskCursorTab taskId={task.id} /> },
            {
              key: 'verifications',
              label: t('verify.tab'),
              children: <TaskVerificationsTab taskId={task.id} version={verificationsVersion} />,
            },
            {
              key: 'instances',
              label: t('history.instances'),
              children: (
                <>
                  {canOperate && (
                    <Button style={{ marginBottom: 12 }} onClick={() => setBackfill(true)}>
                      {t('backfill.title')}
                    </Button>
                  )}
                  <InstancesTable key={instancesVersion} filter={{ taskId: task.id }} showTask={false} />
                </>
              ),
            },
          ]}
        />
      </Card>
      <Modal open={!!validation} onCancel={() => setValidation(null)} footer={null} title={t('task.validate')}>
        {validation?.ok ? (
          <Alert type="success" showIcon title={t('task.valid')} />
        ) : (
          <Alert
            type="error"
            showIcon
            title={t('task.invalid')}
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {validation?.problems.map((p, i) => (
                  <li key={i}>
                    {p.field && <code>{p.field}</code>} {p.message}
                  </li>
                ))}
              </ul>
            }
          />
        )}
      </Modal>
      <BackfillModal
        open={backfill}
        taskId={task.id}
        onClose={() => setBackfill(false)}
        onDone={(created) => {
          setBackfill(false);
          message.success(t('backfill.created', { count: created.length }));
          setInstancesVersion((v) => v + 1);
        }}
      />
    </>
  );
}

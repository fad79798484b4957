import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  TimePicker,
  Tooltip,
  Typography,
} from 'antd';
import { DeleteOutlined, EditOutlined, FileTextOutlined, PlusOutlined, SyncOutlined, UnorderedListOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import {
  catalogApi,
  cronOf,
  type CollectionInstance,
  type CollectionState,
  type CollectionTask,
  type Cycle,
  type InstanceDetail,
  type MetaModel,
} from '../../api/catalog';
import { problemsOf, type FieldProblem } from '../../api/client';
import { dataSourcesApi, type DataSource } from '../../api/datasources';
import { useAuth } from '../../auth/AuthProvider';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, formatDuration, formatTime } from '../../components/format';
import { applyProblems, ProblemAlert } from '../../components/problems';
import { usePaged } from '../../components/usePaged';
import { useI18n, useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

const STATE_COLORS: Record<CollectionState, string> = {
  RUNNING: 'processing',
  SUCCEEDED: 'success',
  PARTIAL: 'warning',
  FAILED: 'error',
};

/** A collection instance's state, in its colour and the user's language. */
export function CollectionStateTag({ state }: { state: CollectionState }) {
  const t = useT();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-state={state}>
      {t(`catalog.instances.state.${state}` as MessageKey)}
    </Tag>
  );
}

/** The model a connector is bound to: its own, else the generic one (as the server chooses). */
export function modelFor(models: MetaModel[], connector: string | undefined): MetaModel | undefined {
  if (!connector) return undefined;
  return models.find((m) => m.connectors.includes(connector)) ?? models.find((m) => m.connectors.length === 0);
}

/**
 * The collection tasks (元数据同步任务): searched by data-source name; created with a cycle and a
 * time that make the cron expression; synced now; their cron edited; deleted with their
 * instances; each task's instances with their error logs.
 */
export function CollectionTasksTab() {
  const t = useT();
  const { message } = App.useApp();
  const { canOperate } = useAuth();
  const [q, setQ] = useState('');
  const list = usePaged(catalogApi.tasks, { q }, { refreshMillis: 5_000 });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<CollectionTask | null>(null);
  const [instancesOf, setInstancesOf] = useState<CollectionTask | null>(null);

  const act = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      message.success(done);
      list.reload();
    } catch (e) {
      message.error(problemsOf(e)[0].message, 8);
    }
  };

  return (
    <>
      <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }} wrap>
        <Input.Search
          allowClear
          placeholder={t('catalog.tasks.search')}
          aria-label={t('catalog.tasks.search')}
          onSearch={(value) => setQ(value.trim())}
          style={{ width: 320 }}
          data-testid="catalog-task-search"
        />
        {canOperate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('catalog.tasks.new')}
          </Button>
        )}
      </Space>
      {list.error != null && (
        <Typography.Paragraph type="danger" role="alert">
          {problemsOf(list.error)[0].message}
        </Typography.Paragraph>
      )}
      <Table<CollectionTask>
        rowKey="id"
        size="middle"
        loading={list.loading && !list.items.length}
        dataSource={list.items}
        pagination={list.pagination}
        locale={{ emptyText: <EmptyState text={t('catalog.tasks.empty')} /> }}
        columns={[
          { title: t('catalog.tasks.name'), dataIndex: 'name' },
          { title: t('catalog.tasks.dataSource'), dataIndex: 'dataSource' },
          { title: t('catalog.tasks.connector'), dataIndex: 'connector' },
          { title: t('catalog.tasks.model'), dataIndex: 'model' },
          {
            title: t('catalog.tasks.cycle'),
            key: 'cycle',
            render: (_, task) => `${t(`catalog.tasks.cycle.${task.cycle}` as MessageKey)} ${task.time}`,
          },
          { title: t('catalog.tasks.cron'), dataIndex: 'cron', render: (cron: string) => <code>{cron}</code> },
          { title: t('catalog.tasks.nextFire'), dataIndex: 'nextFireTime', width: 170, render: formatTime },
          {
            title: t('catalog.tasks.lastRun'),
            key: 'last',
            render: (_, task) => (task.lastInstance ? <CollectionStateTag state={task.lastInstance.state} /> : '–'),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, task) => (
              <Space size={0} wrap>
                {canOperate && (
                  <Button
                    type="link"
                    size="small"
                    icon={<SyncOutlined />}
                    disabled={task.lastInstance?.state === 'RUNNING'}
                    onClick={() => act(() => catalogApi.sync(task.id), t('catalog.tasks.syncStarted'))}
                  >
                    {t('catalog.tasks.syncNow')}
                  </Button>
                )}
                {canOperate && (
                  <Popconfirm
                    title={t('catalog.tasks.prune')}
                    description={<div style={{ maxWidth: 360 }}>{t('catalog.tasks.pruneConfirm')}</div>}
                    disabled={task.lastInstance?.state === 'RUNNING'}
                    onConfirm={() => act(() => catalogApi.sync(task.id, { removeUncovered: true }), t('catalog.tasks.syncStarted'))}
                  >
                    <Button
                      type="link"
                      size="small"
                      disabled={task.lastInstance?.state === 'RUNNING'}
                      data-testid={`catalog-prune-${task.id}`}
                    >
                      {t('catalog.tasks.prune')}
                    </Button>
                  </Popconfirm>
                )}
                <Button type="link" size="small" icon={<UnorderedListOutlined />} onClick={() => setInstancesOf(task)}>
                  {t('catalog.tasks.instances')}
                </Button>
                {canOperate && (
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(task)}>
                    {t('common.edit')}
                  </Button>
                )}
                {canOperate && (
                  <Popconfirm
                    title={t('catalog.tasks.deleteConfirm', { name: task.name })}
                    onConfirm={() => act(() => catalogApi.removeTask(task.id), t('common.deleted', { name: task.name }))}
                    okText={t('common.delete')}
                    okButtonProps={{ danger: true }}
                  >
                    <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <CreateTaskModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(name) => {
          setCreating(false);
          message.success(t('catalog.tasks.created', { name }));
          list.reload();
        }}
      />
      <EditCronModal
        task={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          message.success(t('catalog.tasks.saved'));
          list.reload();
        }}
      />
      <InstancesDrawer task={instancesOf} onClose={() => setInstancesOf(null)} />
    </>
  );
}

interface CreateValues {
  name: string;
  connector: string;
  dataSourceId: number;
  model: string;
  cycle: Cycle;
  day?: number;
  time: Dayjs;
  includes?: string;
  excludes?: string;
}

/** 新增同步任务: name, data-source type, data source, meta-model, cycle and time (→ the cron). */
function CreateTaskModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (name: string) => void }) {
  const t = useT();
  const { lang } = useI18n();
  const [form] = Form.useForm<CreateValues>();
  const [sources, setSources] = useState<DataSource[]>([]);
  const [models, setModels] = useState<MetaModel[]>([]);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const connector = Form.useWatch('connector', form);
  const cycle = Form.useWatch('cycle', form);
  const day = Form.useWatch('day', form);
  const time = Form.useWatch('time', form);

  useEffect(() => {
    if (!open) return;
    setProblems([]);
    dataSourcesApi
      .list({ page: 0, size: 500 })
      .then((page) => setSources(page.items))
      .catch((e) => setProblems(problemsOf(e)));
    catalogApi
      .models()
      .then(setModels)
      .catch((e) => setProblems(problemsOf(e)));
  }, [open]);

  const connectors = useMemo(() => [...new Set(sources.map((s) => s.connector))].sort(), [sources]);
  const model = modelFor(models, connector);
  useEffect(() => {
    form.setFieldValue('model', model?.id);
  }, [form, model]);
  const cron = cronOf(cycle, cycle === 'day' ? null : day, time ? time.format('HH:mm') : undefined);

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await catalogApi.createTask({
        name: values.name.trim(),
        dataSourceId: values.dataSourceId,
        model: values.model,
        cycle: values.cycle,
        day: values.cycle === 'day' ? null : values.day,
        time: values.time.format('HH:mm'),
        includes: values.includes?.trim() || undefined,
        excludes: values.excludes?.trim() || undefined,
      });
      form.resetFields();
      onCreated(values.name.trim());
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
    } finally {
      setBusy(false);
    }
  };

  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`catalog.tasks.weekday.${d}` as MessageKey) }));
  return (
    <Modal
      open={open}
      title={t('catalog.tasks.new')}
      onCancel={onClose}
      onOk={submit}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
      width={600}
    >
      <Form form={form} layout="vertical" initialValues={{ cycle: 'day', time: dayjs('02:00', 'HH:mm') }} preserve={false}>
        <Form.Item name="name" label={t('catalog.tasks.name')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="connector" label={t('catalog.tasks.connector')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            data-testid="field-connector"
            options={connectors.map((c) => ({ value: c, label: c }))}
            onChange={() => form.setFieldValue('dataSourceId', undefined)}
          />
        </Form.Item>
        <Form.Item name="dataSourceId" label={t('catalog.tasks.dataSource')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            data-testid="field-dataSourceId"
            showSearch={{ optionFilterProp: 'label' }}
            disabled={!connector}
            options={sources.filter((s) => s.connector === connector).map((s) => ({ value: s.id, label: s.alias }))}
          />
        </Form.Item>
        <Form.Item name="model" label={t('catalog.tasks.model')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            data-testid="field-model"
            disabled={!model}
            options={model ? [{ value: model.id, label: lang === 'zh' ? model.nameZh : model.name }] : []}
          />
        </Form.Item>
        <Form.Item name="cycle" label={t('catalog.tasks.cycle')} rules={[{ required: true, message: t('form.required') }]}>
          <Radio.Group
            optionType="button"
            options={(['day', 'week', 'month'] as const).map((c) => ({ value: c, label: t(`catalog.tasks.cycle.${c}`) }))}
            onChange={() => form.setFieldValue('day', undefined)}
          />
        </Form.Item>
        {cycle === 'week' && (
          <Form.Item name="day" label={t('catalog.tasks.weekday')} rules={[{ required: true, message: t('form.required') }]}>
            <Select options={weekdays} />
          </Form.Item>
        )}
        {cycle === 'month' && (
          <Form.Item name="day" label={t('catalog.tasks.monthday')} rules={[{ required: true, message: t('form.required') }]}>
            <InputNumber min={1} max={28} precision={0} />
          </Form.Item>
        )}
        <Form.Item name="time" label={t('catalog.tasks.time')} rules={[{ required: true, message: t('form.required') }]}>
          <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} />
        </Form.Item>
        <Form.Item label={t('catalog.tasks.cron')} help={t('catalog.tasks.cronHelp')}>
          <code data-testid="generated-cron">{cron ?? '–'}</code>
        </Form.Item>
        <Form.Item name="includes" label={t('catalog.tasks.includes')} extra={t('catalog.tasks.patternsHelp')}>
          <Input placeholder="sales,crm.customer_*" />
        </Form.Item>
        <Form.Item name="excludes" label={t('catalog.tasks.excludes')}>
          <Input placeholder="*.tmp_*" />
        </Form.Item>
      </Form>
      <Alert type="info" showIcon title={t('catalog.tasks.firstRun')} style={{ marginBottom: 8 }} />
      <ProblemAlert problems={problems} />
    </Modal>
  );
}

/** 同步任务编辑: only the cron expression; the cycle and time are shown, not editable. */
function EditCronModal({ task, onClose, onSaved }: { task: CollectionTask | null; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ cron: string }>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (task) {
      form.setFieldsValue({ cron: task.cron });
      setProblems([]);
    }
  }, [form, task]);

  const save = async () => {
    if (!task) return;
    const { cron } = await form.validateFields();
    setBusy(true);
    try {
      await catalogApi.updateCron(task.id, cron.trim());
      onSaved();
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={!!task} title={t('catalog.tasks.edit')} onCancel={onClose} onOk={save} okButtonProps={{ loading: busy }} forceRender>
      <Form form={form} layout="vertical">
        <Form.Item label={t('catalog.tasks.name')}>
          <Input value={task?.name} disabled />
        </Form.Item>
        <Form.Item label={t('catalog.tasks.cycle')}>
          <Input value={task ? `${t(`catalog.tasks.cycle.${task.cycle}` as MessageKey)} ${task.day ?? ''} ${task.time}` : ''} disabled />
        </Form.Item>
        <Form.Item
          name="cron"
          label={t('catalog.tasks.cron')}
          extra={t('catalog.tasks.cronOnly')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input />
        </Form.Item>
      </Form>
      <ProblemAlert problems={problems} />
    </Modal>
  );
}

function duration(i: CollectionInstance): number | null {
  return i.endedAt ? dayjs(i.endedAt).diff(dayjs(i.startedAt)) : null;
}

/** 同步任务实例: each run with its trigger, state, duration, counts and error log. */
function InstancesDrawer({ task, onClose }: { task: CollectionTask | null; onClose: () => void }) {
  const t = useT();
  return (
    <Drawer open={!!task} onClose={onClose} size={1100} destroyOnHidden title={t('catalog.instances.title', { name: task?.name ?? '' })}>
      {task && <InstancesTable taskId={task.id} />}
    </Drawer>
  );
}

export function InstancesTable({ taskId }: { taskId: number }) {
  const t = useT();
  const { message } = App.useApp();
  const { canOperate } = useAuth();
  const confirmRemovals = async () => {
    try {
      await catalogApi.sync(taskId, { confirmRemovals: true });
      message.success(t('catalog.tasks.syncStarted'));
      setLog(null);
      list.reload();
    } catch (e) {
      message.error(problemsOf(e)[0].message, 8);
    }
  };
  const list = usePaged(catalogApi.instances, { taskId }, { refreshMillis: 3_000 });
  const [log, setLog] = useState<InstanceDetail | null>(null);
  const [logError, setLogError] = useState<string | null>(null);
  const open = async (id: number) => {
    try {
      setLog(await catalogApi.instance(id));
    } catch (e) {
      setLogError(problemsOf(e)[0].message);
    }
  };
  const changes = (added: number, changed: number, removed: number) => (
    <span>
      <Typography.Text type="success">+{added}</Typography.Text> <Typography.Text type="warning">~{changed}</Typography.Text>{' '}
      <Typography.Text type="danger">−{removed}</Typography.Text>
    </span>
  );
  return (
    <>
      {logError && <Alert type="error" showIcon title={logError} closable={{ onClose: () => setLogError(null) }} />}
      <Table<CollectionInstance>
        rowKey="id"
        size="small"
        loading={list.loading && !list.items.length}
        dataSource={list.items}
        pagination={list.pagination}
        locale={{ emptyText: <EmptyState text={t('catalog.instances.empty')} /> }}
        columns={[
          { title: '#', dataIndex: 'id', width: 60 },
          {
            title: t('catalog.instances.trigger'),
            dataIndex: 'trigger',
            render: (trigger: string) => t(`catalog.instances.trigger.${trigger}` as MessageKey),
          },
          {
            title: t('catalog.instances.state'),
            dataIndex: 'state',
            render: (state: CollectionState, i) => (
              <Tooltip title={i.message}>
                <span>
                  <CollectionStateTag state={state} />
                </span>
              </Tooltip>
            ),
          },
          { title: t('catalog.instances.started'), dataIndex: 'startedAt', width: 170, render: formatTime },
          { title: t('catalog.instances.duration'), key: 'duration', render: (_, i) => formatDuration(duration(i)) },
          {
            title: t('catalog.instances.found'),
            key: 'found',
            render: (_, i) => `${formatCount(i.databases)} / ${formatCount(i.tables)} / ${formatCount(i.columns)}`,
          },
          {
            title: t('catalog.instances.tableChanges'),
            key: 'tables',
            render: (_, i) => changes(i.tablesAdded, i.tablesChanged, i.tablesRemoved),
          },
          {
            title: t('catalog.instances.columnChanges'),
            key: 'columns',
            render: (_, i) => changes(i.columnsAdded, i.columnsChanged, i.columnsRemoved),
          },
          { title: t('catalog.instances.node'), dataIndex: 'node' },
          {
            title: t('common.actions'),
            key: 'log',
            render: (_, i) => (
              <Button type="link" size="small" icon={<FileTextOutlined />} onClick={() => open(i.id)}>
                {t('catalog.instances.log')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={!!log}
        onCancel={() => setLog(null)}
        footer={null}
        width={900}
        title={t('catalog.instances.logTitle', { id: log?.instance.id ?? '' })}
      >
        {log && log.instance.message && (
          <Alert
            type={log.instance.state === 'FAILED' ? 'error' : 'warning'}
            showIcon
            title={log.instance.message}
            style={{ marginBottom: 12 }}
          />
        )}
        {log && canOperate && log.errors.some((e) => e.code === 'catalog.removal-guard') && (
          <Alert
            type="warning"
            showIcon
            title={t('catalog.instances.guarded')}
            style={{ marginBottom: 12 }}
            data-testid="catalog-removal-guard"
            action={
              <Popconfirm title={t('catalog.instances.confirmRemovals')} onConfirm={confirmRemovals} okButtonProps={{ danger: true }}>
                <Button size="small" danger data-testid="catalog-confirm-removals">
                  {t('catalog.instances.confirmRemovals')}
                </Button>
              </Popconfirm>
            }
          />
        )}
        {log && log.errors.length === 0 ? (
          <Alert type="success" showIcon title={t('catalog.instances.noErrors')} />
        ) : (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={log?.errors ?? []}
            columns={[
              { title: t('catalog.instances.object'), dataIndex: 'object', render: (o: string | null) => o ?? '–' },
              { title: t('catalog.instances.code'), dataIndex: 'code', render: (c: string) => <code>{c}</code> },
              { title: t('catalog.instances.message'), dataIndex: 'message' },
              { title: t('catalog.instances.at'), dataIndex: 'at', width: 170, render: formatTime },
            ]}
          />
        )}
      </Modal>
    </>
  );
}

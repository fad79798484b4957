import { useCallback, useEffect, useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tabs, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import {
  ALERT_KINDS,
  CHANNEL_KINDS,
  KINDS_WITH_THRESHOLD,
  MINING_KINDS,
  alertsApi,
  type AlertChannel,
  type AlertKind,
  type AlertRule,
  type ChannelKind,
} from '../../api/alerts';
import { problemsOf, type FieldProblem } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { PageHeader } from '../../components/PageHeader';
import { applyProblems, ProblemAlert } from '../../components/problems';
import { TaskSelect } from '../../components/TaskSelect';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

/**
 * Alert rules (operators and admins edit them) and the channels they go to (admins edit them;
 * their URLs and secrets are never shown, only a URL's host).
 */
export function AlertsPage() {
  const t = useT();
  const { message } = App.useApp();
  const { canOperate, isAdmin } = useAuth();
  const [rules, setRules] = useState<AlertRule[]>([]);
  const [channels, setChannels] = useState<AlertChannel[]>([]);
  const [loading, setLoading] = useState(true);
  const [editingRule, setEditingRule] = useState<{ rule: AlertRule | null } | null>(null);
  const [editingChannel, setEditingChannel] = useState<{ channel: AlertChannel | null } | null>(null);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const [r, c] = await Promise.all([alertsApi.rules(), alertsApi.channels()]);
      setRules(r);
      setChannels(c);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    reload();
  }, [reload]);

  const channelName = (id: number) => channels.find((c) => c.id === id)?.name ?? `#${id}`;
  const fail = (e: unknown) => message.error(problemsOf(e)[0].message);

  return (
    <>
      <PageHeader title={t('nav.alerts')} />
      <Tabs
        items={[
          {
            key: 'rules',
            label: t('alerts.rules'),
            children: (
              <>
                {canOperate && (
                  <Button
                    type="primary"
                    icon={<PlusOutlined />}
                    style={{ marginBottom: 12 }}
                    onClick={() => setEditingRule({ rule: null })}
                  >
                    {t('alerts.newRule')}
                  </Button>
                )}
                <Table<AlertRule>
                  rowKey="id"
                  loading={loading}
                  dataSource={rules}
                  pagination={false}
                  columns={[
                    { title: t('alerts.name'), dataIndex: 'name' },
                    { title: t('alerts.kind'), dataIndex: 'kind', render: (k: AlertKind) => t(`alerts.kind.${k}` as MessageKey) },
                    {
                      title: t('alerts.scope'),
                      key: 'scope',
                      render: (_, r) =>
                        r.kind === 'node-down'
                          ? t('alerts.scopeNodes')
                          : MINING_KINDS.includes(r.kind)
                            ? t('alerts.scopeMining')
                            : (r.taskName ?? t('alerts.scopeAllTasks')),
                    },
                    { title: t('alerts.threshold'), dataIndex: 'threshold', render: (v: number | null) => v ?? '—' },
                    { title: t('alerts.repeatMinutes'), dataIndex: 'repeatMinutes' },
                    {
                      title: t('alerts.channels'),
                      dataIndex: 'channels',
                      render: (ids: number[]) =>
                        ids.length ? ids.map((id) => <Tag key={id}>{channelName(id)}</Tag>) : <Tag>{t('alerts.kindChannel.in-app')}</Tag>,
                    },
                    { title: t('alerts.enabled'), dataIndex: 'enabled', render: (e: boolean) => (e ? t('common.yes') : t('common.no')) },
                    ...(canOperate
                      ? [
                          {
                            title: t('common.actions'),
                            key: 'actions',
                            render: (_: unknown, r: AlertRule) => (
                              <Space size={0}>
                                <Button type="link" size="small" onClick={() => setEditingRule({ rule: r })}>
                                  {t('common.edit')}
                                </Button>
                                <Popconfirm
                                  title={t('alerts.confirmDelete', { name: r.name })}
                                  okButtonProps={{ danger: true }}
                                  onConfirm={() => alertsApi.removeRule(r.id).then(reload, fail)}
                                >
                                  <Button type="link" size="small" danger>
                                    {t('common.delete')}
                                  </Button>
                                </Popconfirm>
                              </Space>
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
              </>
            ),
          },
          {
            key: 'channels',
            label: t('alerts.channels'),
            children: (
              <>
                {isAdmin && (
                  <Button
                    type="primary"
                    icon={<PlusOutlined />}
                    style={{ marginBottom: 12 }}
                    onClick={() => setEditingChannel({ channel: null })}
                  >
                    {t('alerts.newChannel')}
                  </Button>
                )}
                <Table<AlertChannel>
                  rowKey="id"
                  loading={loading}
                  dataSource={channels}
                  pagination={false}
                  columns={[
                    { title: t('alerts.name'), dataIndex: 'name' },
                    { title: t('alerts.kind'), dataIndex: 'kind', render: (k: ChannelKind) => t(`alerts.kindChannel.${k}` as MessageKey) },
                    {
                      title: t('alerts.target'),
                      key: 'target',
                      render: (_, c) => c.config.url ?? c.config.to ?? '—',
                    },
                    ...(isAdmin
                      ? [
                          {
                            title: t('common.actions'),
                            key: 'actions',
                            render: (_: unknown, c: AlertChannel) => (
                              <Space size={0}>
                                <Button
                                  type="link"
                                  size="small"
                                  onClick={() => alertsApi.testChannel(c.id).then(() => message.success(t('alerts.testSent')), fail)}
                                >
                                  {t('alerts.test')}
                                </Button>
                                <Button type="link" size="small" onClick={() => setEditingChannel({ channel: c })}>
                                  {t('common.edit')}
                                </Button>
                                <Popconfirm
                                  title={t('alerts.confirmDelete', { name: c.name })}
                                  okButtonProps={{ danger: true }}
                                  onConfirm={() => alertsApi.removeChannel(c.id).then(reload, fail)}
                                >
                                  <Button type="link" size="small" danger>
                                    {t('common.delete')}
                                  </Button>
                                </Popconfirm>
                              </Space>
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
              </>
            ),
          },
        ]}
      />
      <RuleModal
        state={editingRule}
        channels={channels}
        onClose={() => setEditingRule(null)}
        onSaved={() => {
          setEditingRule(null);
          reload();
        }}
      />
      <ChannelModal
        state={editingChannel}
        onClose={() => setEditingChannel(null)}
        onSaved={() => {
          setEditingChannel(null);
          reload();
        }}
      />
    </>
  );
}

interface RuleForm {
  name: string;
  kind: AlertKind;
  taskId?: number;
  threshold?: number;
  forMinutes?: number;
  repeatMinutes: number;
  channels: number[];
  enabled: boolean;
}

function RuleModal({
  state,
  channels,
  onClose,
  onSaved,
}: {
  state: { rule: AlertRule | null } | null;
  channels: AlertChannel[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<RuleForm>();
  const kind = Form.useWatch('kind', form);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const rule = state?.rule ?? null;

  useEffect(() => {
    if (!state) return;
    setProblems([]);
    form.resetFields();
    form.setFieldsValue(
      rule
        ? {
            name: rule.name,
            kind: rule.kind,
            taskId: rule.taskId ?? undefined,
            threshold: rule.threshold ?? undefined,
            forMinutes: rule.forMinutes,
            repeatMinutes: rule.repeatMinutes,
            channels: rule.channels,
            enabled: rule.enabled,
          }
        : { kind: 'run-failed', repeatMinutes: 60, channels: [], enabled: true },
    );
  }, [state, rule, form]);

  const save = async () => {
    let v: RuleForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    const request = {
      name: v.name,
      kind: v.kind,
      taskId: v.kind === 'node-down' || MINING_KINDS.includes(v.kind) ? null : (v.taskId ?? null),
      threshold: KINDS_WITH_THRESHOLD.includes(v.kind) ? (v.threshold ?? null) : null,
      forMinutes: v.forMinutes ?? 0,
      repeatMinutes: v.repeatMinutes,
      channels: v.channels ?? [],
      enabled: v.enabled,
    };
    try {
      if (rule) await alertsApi.updateRule(rule.id, request);
      else await alertsApi.createRule(request);
      onSaved();
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!state}
      title={rule ? rule.name : t('alerts.newRule')}
      onCancel={onClose}
      onOk={save}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      <ProblemAlert problems={problems} />
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('alerts.name')} rules={[{ required: true, message: t('form.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="kind"
          label={t('alerts.kind')}
          rules={[{ required: true }]}
          extra={kind ? t(`alerts.kindHelp.${kind}` as MessageKey) : undefined}
        >
          <Select options={ALERT_KINDS.map((k) => ({ value: k, label: t(`alerts.kind.${k}` as MessageKey) }))} />
        </Form.Item>
        {kind !== 'node-down' && !(kind && MINING_KINDS.includes(kind)) && (
          <Form.Item name="taskId" label={t('alerts.task')} extra={t('alerts.taskHelp')}>
            <TaskSelect onChange={(id) => form.setFieldValue('taskId', id)} />
          </Form.Item>
        )}
        {kind && KINDS_WITH_THRESHOLD.includes(kind) && (
          <Form.Item name="threshold" label={t('alerts.threshold')} rules={[{ required: true, message: t('form.required') }]}>
            <InputNumber min={0} style={{ width: 200 }} />
          </Form.Item>
        )}
        {(kind === 'throughput-below' || kind === 'schedule-missed') && (
          <Form.Item name="forMinutes" label={t('alerts.forMinutes')}>
            <InputNumber min={0} step={1} style={{ width: 200 }} />
          </Form.Item>
        )}
        <Form.Item name="repeatMinutes" label={t('alerts.repeatMinutes')} extra={t('alerts.repeatHelp')}>
          <InputNumber min={0} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="channels" label={t('alerts.channels')} extra={t('alerts.channelsHelp')}>
          <Select mode="multiple" options={channels.map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Form.Item name="enabled" label={t('alerts.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ChannelForm {
  name: string;
  kind: ChannelKind;
  config: { url?: string; secret?: string; to?: string };
}

function ChannelModal({
  state,
  onClose,
  onSaved,
}: {
  state: { channel: AlertChannel | null } | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<ChannelForm>();
  const kind = Form.useWatch('kind', form);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const channel = state?.channel ?? null;

  useEffect(() => {
    if (!state) return;
    setProblems([]);
    form.resetFields();
    form.setFieldsValue(channel ? { name: channel.name, kind: channel.kind, config: channel.config } : { kind: 'webhook', config: {} });
  }, [state, channel, form]);

  const save = async () => {
    let v: ChannelForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    const config = Object.fromEntries(Object.entries(v.config ?? {}).filter(([, value]) => value !== undefined && value !== '')) as Record<
      string,
      string
    >;
    try {
      if (channel) await alertsApi.updateChannel(channel.id, { name: v.name, kind: v.kind, config });
      else await alertsApi.createChannel({ name: v.name, kind: v.kind, config });
      onSaved();
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
    } finally {
      setBusy(false);
    }
  };

  const webhook = kind && kind !== 'in-app' && kind !== 'email';
  const signed = kind === 'webhook' || kind === 'dingtalk' || kind === 'feishu';
  return (
    <Modal
      open={!!state}
      title={channel ? channel.name : t('alerts.newChannel')}
      onCancel={onClose}
      onOk={save}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      <ProblemAlert problems={problems} />
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('alerts.name')} rules={[{ required: true, message: t('form.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="kind" label={t('alerts.kind')} rules={[{ required: true }]}>
          <Select options={CHANNEL_KINDS.map((k) => ({ value: k, label: t(`alerts.kindChannel.${k}` as MessageKey) }))} />
        </Form.Item>
        {kind === 'email' && (
          <Form.Item
            name={['config', 'to']}
            label={t('alerts.to')}
            rules={[{ required: true, message: t('form.required') }]}
            extra={t('alerts.toHelp')}
          >
            <Input />
          </Form.Item>
        )}
        {webhook && (
          <Form.Item
            name={['config', 'url']}
            label={t('alerts.url')}
            rules={[{ required: true, message: t('form.required') }]}
            extra={t('alerts.urlHelp')}
          >
            <Input autoComplete="off" />
          </Form.Item>
        )}
        {signed && (
          <Form.Item name={['config', 'secret']} label={t('alerts.secret')} extra={t('alerts.secretHelp')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

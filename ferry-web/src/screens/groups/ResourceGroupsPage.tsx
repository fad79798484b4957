import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { problemsOf, type FieldProblem } from '../../api/client';
import { dataSourcesApi, type DataSource } from '../../api/datasources';
import { groupsApi, type ConnectivityResult, type GroupKind, type GroupNode, type ResourceGroup } from '../../api/groups';
import { useAuth } from '../../auth/AuthProvider';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { applyProblems, ProblemAlert } from '../../components/problems';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

const KINDS: GroupKind[] = ['nodes', 'flink'];

/**
 * The resource groups: admins create, edit and delete them; everyone sees a group's nodes with
 * their heartbeat, CPU, memory and running runs; operators test a group's connectivity to a data
 * source (a node of the group connects, see ConnectivityChecks on the server).
 */
export function ResourceGroupsPage() {
  const t = useT();
  const { message } = App.useApp();
  const { isAdmin, canOperate } = useAuth();
  const [groups, setGroups] = useState<ResourceGroup[]>([]);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<ResourceGroup | null>(null);
  const [editing, setEditing] = useState<{ group: ResourceGroup | null } | null>(null);
  const [testing, setTesting] = useState<ResourceGroup | null>(null);

  const reload = useCallback(() => {
    setLoading(true);
    groupsApi
      .list()
      .then(
        (list) => {
          setGroups(list);
          setSelected((current) => list.find((g) => g.id === current?.id) ?? list[0] ?? null);
        },
        () => {},
      )
      .finally(() => setLoading(false));
  }, []);
  useEffect(reload, [reload]);

  const remove = async (g: ResourceGroup) => {
    try {
      await groupsApi.remove(g.id);
      message.success(t('common.deleted', { name: g.name }));
      reload();
    } catch (e) {
      message.error(problemsOf(e)[0].message);
    }
  };

  return (
    <>
      <PageHeader
        title={t('nav.groups')}
        extra={
          isAdmin && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ group: null })} data-testid="group-create">
              {t('groups.create')}
            </Button>
          )
        }
      />
      <Typography.Paragraph type="secondary">{t('groups.intro')}</Typography.Paragraph>
      <Table<ResourceGroup>
        rowKey="id"
        loading={loading}
        dataSource={groups}
        pagination={false}
        onRow={(g) => ({ onClick: () => setSelected(g), style: { cursor: 'pointer' } })}
        rowClassName={(g) => (g.id === selected?.id ? 'ant-table-row-selected' : '')}
        columns={[
          { title: t('groups.name'), dataIndex: 'name' },
          {
            title: t('groups.kind'),
            dataIndex: 'kind',
            render: (k: GroupKind, g) => (
              <>
                <Tag color={k === 'flink' ? 'purple' : 'blue'}>{t(`groups.kind.${k}` as MessageKey)}</Tag>
                {g.flinkAddress && <Typography.Text code>{g.flinkAddress}</Typography.Text>}
              </>
            ),
          },
          { title: t('common.description'), dataIndex: 'description', ellipsis: true },
          { title: t('groups.tasks'), dataIndex: 'tasks', width: 100 },
          { title: t('common.updated'), dataIndex: 'updatedAt', render: formatTime, width: 180 },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, g) => (
              <Space size={0} onClick={(e) => e.stopPropagation()}>
                {canOperate && g.kind === 'nodes' && (
                  <Button type="link" size="small" onClick={() => setTesting(g)} data-testid={`group-test-${g.name}`}>
                    {t('groups.test')}
                  </Button>
                )}
                {isAdmin && (
                  <Button type="link" size="small" onClick={() => setEditing({ group: g })}>
                    {t('common.edit')}
                  </Button>
                )}
                {isAdmin && g.name !== 'default' && (
                  <Popconfirm
                    title={t('groups.confirmDelete', { name: g.name })}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => remove(g)}
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
      {selected && <GroupNodes group={selected} />}
      <GroupModal
        open={!!editing}
        group={editing?.group ?? null}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          reload();
        }}
      />
      <ConnectivityModal group={testing} onClose={() => setTesting(null)} />
    </>
  );
}

/** A group's nodes, refreshed every 5 s: heartbeat, the newest sample's CPU and memory, running runs. */
function GroupNodes({ group }: { group: ResourceGroup }) {
  const t = useT();
  const [nodes, setNodes] = useState<GroupNode[]>([]);

  useEffect(() => {
    if (group.kind !== 'nodes') return;
    const load = () => groupsApi.nodes(group.id).then(setNodes, () => {});
    load();
    const timer = setInterval(load, 5_000);
    return () => clearInterval(timer);
  }, [group.id, group.kind]);

  const percent = (v: number | null | undefined) => (v == null || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(0)} %`);
  const mb = (v: number | undefined) => (v == null || v < 0 ? '–' : `${Math.round(v / (1024 * 1024))} MB`);

  return (
    <Card title={t('groups.nodes', { name: group.name })} size="small" style={{ marginTop: 16 }} data-testid="group-nodes">
      {group.kind === 'flink' ? (
        <Typography.Text type="secondary">{t('groups.flinkNodes', { address: group.flinkAddress ?? '' })}</Typography.Text>
      ) : (
        <Table<GroupNode>
          rowKey={(n) => n.node.node}
          size="small"
          dataSource={nodes}
          pagination={false}
          locale={{ emptyText: t('groups.noNodes', { name: group.name }) }}
          columns={[
            {
              title: t('groups.node'),
              key: 'node',
              render: (_, n) => (
                <Space>
                  {n.node.node}
                  <Tag color={n.node.alive ? 'green' : 'red'}>{n.node.alive ? t('nodes.alive') : t('nodes.down')}</Tag>
                </Space>
              ),
            },
            { title: t('groups.heartbeat'), key: 'beat', render: (_, n) => formatTime(n.node.heartbeatAt) },
            { title: t('groups.cpu'), key: 'cpu', render: (_, n) => percent(n.latest?.processCpu) },
            {
              title: t('groups.heap'),
              key: 'heap',
              render: (_, n) => (n.latest ? `${mb(n.latest.heapUsed)} / ${mb(n.latest.heapMax)}` : '–'),
            },
            { title: t('groups.rss'), key: 'rss', render: (_, n) => mb(n.latest?.rss) },
            { title: t('groups.running'), dataIndex: 'runsRunning' },
          ]}
        />
      )}
    </Card>
  );
}

function GroupModal({
  open,
  group,
  onClose,
  onSaved,
}: {
  open: boolean;
  group: ResourceGroup | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; kind: GroupKind; flinkAddress?: string; description?: string }>();
  const kind = Form.useWatch('kind', form);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setProblems([]);
    form.resetFields();
    form.setFieldsValue(
      group
        ? { name: group.name, kind: group.kind, flinkAddress: group.flinkAddress ?? undefined, description: group.description ?? undefined }
        : { kind: 'nodes' },
    );
  }, [open, group, form]);

  const save = async () => {
    let v;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const body = { flinkAddress: v.kind === 'flink' ? v.flinkAddress : null, description: v.description };
      if (group) await groupsApi.update(group.id, body);
      else await groupsApi.create({ ...body, name: v.name, kind: v.kind });
      onSaved();
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={group ? t('groups.editTitle', { name: group.name }) : t('groups.create')}
      onCancel={onClose}
      onOk={save}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      <ProblemAlert problems={problems} />
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('groups.name')} rules={[{ required: true, message: t('form.required') }]}>
          <Input disabled={!!group} autoComplete="off" data-testid="group-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('groups.kind')} rules={[{ required: true }]}>
          <Select disabled={!!group} options={KINDS.map((k) => ({ value: k, label: t(`groups.kind.${k}` as MessageKey) }))} />
        </Form.Item>
        {kind === 'flink' && (
          <Form.Item
            name="flinkAddress"
            label={t('groups.flinkAddress')}
            extra={t('groups.flinkAddressHelp')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input placeholder="flink-jm:8081" />
          </Form.Item>
        )}
        <Form.Item name="description" label={t('common.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Picks a data source; a node of the group connects to it and the answer is shown. */
function ConnectivityModal({ group, onClose }: { group: ResourceGroup | null; onClose: () => void }) {
  const t = useT();
  const [dataSources, setDataSources] = useState<DataSource[]>([]);
  const [dataSourceId, setDataSourceId] = useState<number>();
  const [result, setResult] = useState<ConnectivityResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!group) return;
    setResult(null);
    setError(null);
    dataSourcesApi.list({ page: 0, size: 500 }).then(
      (p) => setDataSources(p.items),
      () => {},
    );
  }, [group]);

  const run = async () => {
    if (!group || dataSourceId == null) return;
    setBusy(true);
    setResult(null);
    setError(null);
    try {
      setResult(await groupsApi.connectivity(group.id, dataSourceId));
    } catch (e) {
      setError(problemsOf(e)[0].message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!group}
      title={group ? t('groups.testTitle', { name: group.name }) : ''}
      onCancel={onClose}
      onOk={run}
      okText={t('groups.testRun')}
      okButtonProps={{ loading: busy, disabled: dataSourceId == null }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('groups.testHelp')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('groups.dataSource')}>
          <Select
            showSearch
            optionFilterProp="label"
            value={dataSourceId}
            onChange={setDataSourceId}
            options={dataSources.map((d) => ({ value: d.id, label: `${d.alias} (${d.connector})` }))}
            id="group-test-datasource"
            data-testid="group-test-datasource"
          />
        </Form.Item>
      </Form>
      {result &&
        (result.ok ? (
          <Alert type="success" showIcon message={t('groups.testOk', { node: result.node ?? '', dataSource: result.dataSource })} />
        ) : result.node == null ? (
          <Alert type="warning" showIcon message={t('groups.testNoAnswer', { name: result.group })} />
        ) : (
          <Alert
            type="error"
            showIcon
            message={t('groups.testFailed', { node: result.node, dataSource: result.dataSource, message: result.message ?? '' })}
          />
        ))}
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}

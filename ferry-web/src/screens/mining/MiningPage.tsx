import { useCallback, useEffect, useState } from 'react';
import {
  App,
  Button,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { problemsOf, type FieldProblem } from '../../api/client';
import { miningApi, type MiningRun } from '../../api/mining';
import { useAuth } from '../../auth/AuthProvider';
import dayjs, { type Dayjs } from 'dayjs';
import { formatBytes, formatCount, formatDuration, formatRate, formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { applyProblems, ProblemAlert } from '../../components/problems';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { MiningHistoryCharts } from './MiningHistoryCharts';
import { MiningTablesPanel } from './MiningTablesPanel';

/** How often the list is read. */
const POLL_MILLIS = 2_000;

const STATE_COLORS: Record<MiningRun['state'], string> = { RUNNING: 'green', STOPPED: 'default', FAILED: 'red' };

/**
 * The shared-mining runs of the cluster (docs/shared-mining.md): their state, the node running each,
 * events per second and latency (charted from the samples the server keeps), the events by
 * table and the mining log's size; operators stop, start and edit (while stopped) them.
 */
export function MiningPage() {
  const t = useT();
  const { canOperate } = useAuth();
  const { message } = App.useApp();
  const [runs, setRuns] = useState<MiningRun[]>();
  const [selected, setSelected] = useState<number>();
  const [editing, setEditing] = useState<MiningRun>();

  const load = useCallback(
    () =>
      miningApi.list().then((list) => {
        setRuns(list);
        setSelected((current) => current ?? list[0]?.id);
      }),
    [],
  );

  useEffect(() => {
    load().catch(() => setRuns([]));
    const timer = setInterval(() => load().catch(() => {}), POLL_MILLIS);
    return () => clearInterval(timer);
  }, [load]);

  const fail = (e: unknown) => message.error(problemsOf(e)[0].message);
  const act = (p: Promise<unknown>) => p.then(load, fail);
  const current = runs?.find((r) => r.id === selected);

  return (
    <>
      <PageHeader title={t('nav.mining')} />
      <Typography.Paragraph type="secondary">{t('mining.intro')}</Typography.Paragraph>
      <Table<MiningRun>
        rowKey="id"
        size="small"
        loading={runs === undefined}
        dataSource={runs ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('mining.none')} /> }}
        onRow={(r) => ({ onClick: () => setSelected(r.id), style: { cursor: 'pointer' } })}
        rowClassName={(r) => (r.id === selected ? 'ant-table-row-selected' : '')}
        columns={[
          { title: t('mining.name'), dataIndex: 'name' },
          { title: t('mining.source'), dataIndex: 'source' },
          { title: t('mining.log'), dataIndex: 'miningLog' },
          {
            title: t('mining.state'),
            dataIndex: 'state',
            render: (s: MiningRun['state']) => <Tag color={STATE_COLORS[s]}>{t(`mining.state.${s}` as MessageKey)}</Tag>,
          },
          { title: t('mining.node'), dataIndex: 'node', render: (n: string | null) => n ?? '–' },
          { title: t('mining.rate'), dataIndex: 'eventsPerSecond', render: (v: number) => formatRate(v) },
          { title: t('mining.readRate'), dataIndex: 'readPerSecond', render: (v: number) => formatRate(v) },
          { title: t('mining.lag'), dataIndex: 'lagMillis', render: (v: number | null) => formatDuration(v) },
          { title: t('mining.storeSize'), dataIndex: 'storeBytes', render: (v: number | null) => formatBytes(v) },
          {
            title: t('mining.retention'),
            dataIndex: 'retentionHours',
            render: (h: number) => t('mining.hours', { hours: h }),
          },
          ...(canOperate
            ? [
                {
                  title: '',
                  key: 'actions',
                  render: (_: unknown, r: MiningRun) => (
                    <Space onClick={(e) => e.stopPropagation()}>
                      {r.state === 'RUNNING' ? (
                        <Popconfirm
                          title={t('mining.confirmStop', { name: r.name })}
                          okButtonProps={{ danger: true }}
                          onConfirm={() => act(miningApi.stop(r.id))}
                        >
                          <Button size="small" danger>
                            {t('mining.stop')}
                          </Button>
                        </Popconfirm>
                      ) : (
                        <Button size="small" type="primary" onClick={() => act(miningApi.start(r.id))}>
                          {t('mining.start')}
                        </Button>
                      )}
                      <Button
                        size="small"
                        disabled={r.state === 'RUNNING'}
                        title={r.state === 'RUNNING' ? t('mining.editStopFirst') : undefined}
                        onClick={() => setEditing(r)}
                      >
                        {t('mining.edit')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {current && (
        <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
          <Col xs={24}>
            <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} title={current.name}>
              <Descriptions.Item label={t('mining.position')}>{current.position ?? '–'}</Descriptions.Item>
              <Descriptions.Item label={t('mining.head')}>{formatCount(current.head)}</Descriptions.Item>
              <Descriptions.Item label={t('mining.appended')}>{formatCount(current.eventsAppended)}</Descriptions.Item>
              <Descriptions.Item label={t('mining.neededBy')} span={2}>
                {current.neededBy
                  ? t('mining.neededDrops', { task: current.neededBy, at: formatTime(current.neededDropsAt) })
                  : t('mining.neededNone')}
              </Descriptions.Item>
              {current.startAt && (
                <Descriptions.Item label={t('mining.startAt')}>
                  {t('mining.startAtPending', { at: formatTime(current.startAt) })}
                </Descriptions.Item>
              )}
              {current.failure && (
                <Descriptions.Item label={t('mining.failure')} span={3}>
                  <Typography.Text type="danger">{current.failure}</Typography.Text>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Col>
          <Col xs={24}>
            <MiningHistoryCharts run={current} />
          </Col>
          <Col xs={24}>
            <MiningTablesPanel run={current} />
          </Col>
        </Row>
      )}
      <EditDialog
        run={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          load().catch(() => {});
        }}
      />
    </>
  );
}

type EditValues = { name: string; retentionHours: number; startAt?: Dayjs | null; writeThreads: number; fillUpdates: boolean };

/** Name, retention, start time and writing settings of a mining run that does not run. */
function EditDialog({ run, onClose, onSaved }: { run?: MiningRun; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<EditValues>();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldProblem[]>([]);

  useEffect(() => {
    if (run) {
      form.setFieldsValue({
        name: run.name,
        retentionHours: run.retentionHours,
        startAt: run.startAt ? dayjs(run.startAt) : null,
        writeThreads: run.writeThreads,
        fillUpdates: run.fillUpdates,
      });
      setProblems([]);
    }
  }, [run, form]);

  const save = async () => {
    if (!run) return;
    let v: EditValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      await miningApi.edit(run.id, {
        name: v.name,
        retentionHours: v.retentionHours,
        // Cleared in the form: the run continues where its log is.
        startAt: v.startAt ? v.startAt.toISOString() : run.startAt ? '' : undefined,
        writeThreads: v.writeThreads,
        fillUpdates: v.fillUpdates,
      });
      onSaved();
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!run}
      title={t('mining.editTitle', { name: run?.name ?? '' })}
      onCancel={onClose}
      onOk={save}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      <ProblemAlert problems={problems} />
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('mining.name')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="retentionHours"
          label={t('mining.retentionHours')}
          extra={t('mining.retentionHelp')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <InputNumber min={1} max={8784} step={1} precision={0} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="startAt" label={t('mining.startAt')} extra={t('mining.startAtHelp')}>
          <DatePicker showTime allowClear style={{ width: 260 }} disabledDate={(d) => d.isAfter(dayjs())} data-testid="mining-start-at" />
        </Form.Item>
        <Form.Item
          name="writeThreads"
          label={t('mining.writeThreads')}
          extra={t('mining.writeThreadsHelp')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <InputNumber min={1} max={16} step={1} precision={0} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="fillUpdates" label={t('mining.fillUpdates')} extra={t('mining.fillUpdatesHelp')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Select, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import {
  catalogApi,
  type ColumnView,
  type CommonAttributes,
  type CustomAttribute,
  type HistoryEntry,
  type TableView,
  type TaskUse,
} from '../../api/catalog';
import { problemsOf, type FieldProblem } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { applyProblems, ProblemAlert } from '../../components/problems';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

function show(value: unknown): React.ReactNode {
  if (value == null || value === '') return '–';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ') || '–';
  if (typeof value === 'object') return <code>{JSON.stringify(value)}</code>;
  return String(value);
}

/** The changes of one version against the one before: columns added, changed, removed; attributes. */
export function HistoryDiff({ entry }: { entry: HistoryEntry }) {
  const t = useT();
  const d = entry.detail ?? {};
  const line = (key: MessageKey, names: string[] | undefined, color: string) =>
    names && names.length > 0 ? (
      <div key={key}>
        <Typography.Text type="secondary">{t(key)}: </Typography.Text>
        {names.map((n) => (
          <Tag key={n} color={color}>
            {n}
          </Tag>
        ))}
      </div>
    ) : null;
  const lines = [
    line('catalog.table.columnsAdded', d.columnsAdded, 'success'),
    line('catalog.table.columnsChanged', d.columnsChanged, 'warning'),
    line('catalog.table.columnsRemoved', d.columnsRemoved, 'error'),
    line('catalog.table.attributesChanged', d.attributesChanged, 'processing'),
  ].filter(Boolean);
  return lines.length ? <div data-testid={`diff-v${entry.version}`}>{lines}</div> : <>–</>;
}

/**
 * A collected table: its technical attributes and statistics, its common and custom attributes
 * (editable by an operator), its columns (removed ones marked) and its schema history with each version's
 * difference from the one before.
 */
export function CatalogTablePage() {
  const t = useT();
  const { id } = useParams();
  const [view, setView] = useState<TableView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    catalogApi
      .table(Number(id))
      .then(setView)
      .catch((e) => setError(problemsOf(e)[0].message));
  }, [id]);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!view) return <Spin />;
  const { table } = view;
  return (
    <>
      <PageHeader
        title={
          <Space>
            <Link to="/catalog" aria-label={t('catalog.table.back')}>
              <ArrowLeftOutlined />
            </Link>
            <span>
              {view.dataSource} / {table.database} / {table.name}
            </span>
            <Tag>v{table.version}</Tag>
            {table.removedBy != null && <Tag color="error">{t('catalog.browse.removed')}</Tag>}
          </Space>
        }
      />
      {table.comment && <Typography.Paragraph type="secondary">{table.comment}</Typography.Paragraph>}
      <Tabs
        items={[
          { key: 'columns', label: t('catalog.table.columns'), children: <ColumnsTable columns={view.columns} /> },
          {
            key: 'attributes',
            label: t('catalog.table.technical'),
            children: (
              <>
                <Card size="small" title={t('catalog.table.technical')} style={{ marginBottom: 16 }}>
                  <Descriptions
                    size="small"
                    column={2}
                    data-testid="technical"
                    items={[
                      { key: 'kind', label: 'kind', children: show(table.kind) },
                      ...Object.entries(view.technical).map(([k, v]) => ({ key: k, label: k, children: show(v) })),
                    ]}
                  />
                </Card>
                <Card size="small" title={t('catalog.table.stats')}>
                  <Descriptions
                    size="small"
                    column={2}
                    items={Object.entries(view.stats).map(([k, v]) => ({ key: k, label: k, children: show(v) }))}
                  />
                </Card>
              </>
            ),
          },
          { key: 'common', label: t('catalog.table.common'), children: <CommonForm view={view} onSaved={setView} /> },
          { key: 'custom', label: t('catalog.table.custom'), children: <CustomForm view={view} onSaved={setView} /> },
          { key: 'history', label: t('catalog.table.history'), children: <HistoryTable history={view.history} /> },
          {
            key: 'tasks',
            label: `${t('catalog.table.tasks')} (${view.tasks.length})`,
            children: <TaskUsesTable tasks={view.tasks} />,
          },
        ]}
      />
    </>
  );
}

function ColumnsTable({ columns }: { columns: ColumnView[] }) {
  const t = useT();
  return (
    <Table<ColumnView>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={columns}
      expandable={{
        expandedRowRender: (c) => (
          <Descriptions
            size="small"
            column={3}
            items={Object.entries(c.attributes).map(([k, v]) => ({ key: k, label: k, children: show(v) }))}
          />
        ),
        rowExpandable: (c) => Object.keys(c.attributes).length > 0,
      }}
      columns={[
        { title: '#', dataIndex: 'ordinal', width: 50 },
        {
          title: t('catalog.table.column'),
          dataIndex: 'name',
          render: (name: string, c) =>
            c.removedBy != null ? (
              <Typography.Text delete>
                {name} <Tag color="error">{t('catalog.browse.removed')}</Tag>
              </Typography.Text>
            ) : (
              name
            ),
        },
        { title: t('catalog.table.type'), dataIndex: 'nativeType', render: show },
        { title: t('catalog.table.nullable'), dataIndex: 'nullable', render: (n: boolean) => (n ? t('common.yes') : t('common.no')) },
        { title: t('catalog.table.default'), dataIndex: 'defaultValue', render: show },
        { title: t('catalog.browse.comment'), dataIndex: 'comment', render: show },
      ]}
    />
  );
}

/** The sync tasks that read or write the table, each linked to its page. */
function TaskUsesTable({ tasks }: { tasks: TaskUse[] }) {
  const t = useT();
  return (
    <Table
      rowKey={(u) => `${u.taskId}-${u.side}`}
      size="small"
      pagination={false}
      dataSource={tasks}
      data-testid="table-tasks"
      locale={{ emptyText: t('catalog.table.tasks.empty') }}
      columns={[
        {
          title: t('catalog.table.tasks.name'),
          dataIndex: 'name',
          render: (name: string, u) => <Link to={`/tasks/${u.taskId}`}>{name}</Link>,
        },
        {
          title: t('catalog.table.tasks.side'),
          dataIndex: 'side',
          width: 120,
          render: (side: TaskUse['side']) => (
            <Tag color={side === 'source' ? 'blue' : 'green'}>{t(`catalog.table.tasks.side.${side}`)}</Tag>
          ),
        },
        {
          title: t('catalog.table.tasks.mode'),
          dataIndex: 'mode',
          width: 120,
          render: (m: TaskUse['mode']) => t(`catalog.table.tasks.mode.${m}`),
        },
        { title: t('catalog.table.tasks.object'), dataIndex: 'object', render: (o: string) => <code>{o}</code> },
      ]}
    />
  );
}

function HistoryTable({ history }: { history: HistoryEntry[] }) {
  const t = useT();
  return (
    <Table<HistoryEntry>
      rowKey="version"
      size="small"
      pagination={false}
      dataSource={[...history].sort((a, b) => b.version - a.version)}
      data-testid="history"
      columns={[
        { title: t('catalog.browse.version'), dataIndex: 'version', width: 80, render: (v: number) => `v${v}` },
        {
          title: t('catalog.table.change'),
          dataIndex: 'change',
          width: 100,
          render: (c: string) => t(`catalog.table.change.${c}` as MessageKey),
        },
        { title: t('catalog.table.instance'), dataIndex: 'instanceId', width: 90, render: (i: number) => `#${i}` },
        { title: t('catalog.table.diff'), key: 'diff', render: (_, e) => <HistoryDiff entry={e} /> },
        { title: t('catalog.instances.at'), dataIndex: 'at', width: 170, render: formatTime },
      ]}
    />
  );
}

function CommonForm({ view, onSaved }: { view: TableView; onSaved: (v: TableView) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { canOperate } = useAuth();
  const [form] = Form.useForm<CommonAttributes>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const saved = await catalogApi.setCommon(view.table.id, {
        owner: values.owner || null,
        description: values.description || null,
        tags: values.tags ?? [],
        classification: values.classification || null,
      });
      setProblems([]);
      message.success(t('catalog.table.saved'));
      onSaved(saved);
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" initialValues={view.common} disabled={!canOperate} style={{ maxWidth: 600 }}>
      <Form.Item name="owner" label={t('catalog.table.owner')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="description" label={t('catalog.table.description')}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="tags" label={t('catalog.table.tags')}>
        <Select mode="tags" tokenSeparators={[',']} open={false} />
      </Form.Item>
      <Form.Item name="classification" label={t('catalog.table.classification')}>
        <Input maxLength={100} />
      </Form.Item>
      <ProblemAlert problems={problems} />
      {canOperate && (
        <Button type="primary" onClick={save} loading={busy}>
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
}

/** The control of one custom attribute; Form.Item gives it its id, value and onChange. */
function CustomField({
  attribute,
  ...control
}: {
  attribute: CustomAttribute;
  id?: string;
  value?: unknown;
  onChange?: (v: unknown) => void;
}) {
  const t = useT();
  const props = control as Record<string, unknown>;
  if (attribute.allowedValues.length) {
    return <Select allowClear {...props} options={attribute.allowedValues.map((v) => ({ value: v, label: v }))} />;
  }
  switch (attribute.type) {
    case 'number':
      return <InputNumber style={{ width: 200 }} {...props} />;
    case 'boolean':
      return (
        <Select
          allowClear
          {...props}
          options={[
            { value: true, label: t('common.yes') },
            { value: false, label: t('common.no') },
          ]}
        />
      );
    case 'date':
      return <Input placeholder={t('catalog.custom.datePlaceholder')} style={{ width: 200 }} {...props} />;
    default:
      return <Input maxLength={2000} {...props} />;
  }
}

/** The table's custom attributes, a field each as its meta-model defines it; checked by the server. */
function CustomForm({ view, onSaved }: { view: TableView; onSaved: (v: TableView) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { canOperate } = useAuth();
  const [form] = Form.useForm<{ values: Record<string, unknown> }>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  if (!view.customAttributes.length) return <Typography.Paragraph type="secondary">{t('catalog.custom.noneOnTable')}</Typography.Paragraph>;
  const save = async () => {
    const { values } = await form.validateFields();
    const set = Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    setBusy(true);
    try {
      const saved = await catalogApi.setCustom(view.table.id, set);
      setProblems([]);
      message.success(t('catalog.table.saved'));
      onSaved(saved);
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" initialValues={{ values: view.custom }} disabled={!canOperate} style={{ maxWidth: 600 }}>
      {view.customAttributes.map((a) => (
        <Form.Item
          key={a.name}
          name={['values', a.name]}
          label={a.name}
          extra={a.description}
          rules={a.required ? [{ required: true, message: t('form.required') }] : []}
        >
          <CustomField attribute={a} />
        </Form.Item>
      ))}
      <ProblemAlert problems={problems} />
      {canOperate && (
        <Button type="primary" onClick={save} loading={busy}>
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
}

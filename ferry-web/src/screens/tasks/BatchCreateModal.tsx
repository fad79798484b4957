import { useEffect, useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, InputNumber, Modal, Select, TreeSelect } from 'antd';
import { problemsOf, type FieldProblem } from '../../api/client';
import { connectorsApi, dataSourcesApi, type Connector, type DataSource } from '../../api/datasources';
import { tasksApi, type Folder } from '../../api/tasks';
import { ProblemAlert } from '../../components/problems';
import { useT } from '../../i18n';
import { useCatalog } from './wizard/useCatalog';
import { folderTree } from './FolderTree';

interface Values {
  sourceDatasourceId?: number;
  schema?: string;
  tables?: string[];
  targetDatasourceId?: number;
  targetSchema?: string;
  folderId?: number | null;
  namePattern: string;
  writeMode?: string;
  channels?: number;
}

/**
 * Many tables at once: one wizard task per picked source table, same-name mapping, into one
 * target data source. All are created or none; a problem names the table it is about.
 */
export function BatchCreateModal({
  open,
  folderId,
  folders,
  onClose,
  onCreated,
}: {
  open: boolean;
  folderId: number | null;
  folders: Folder[];
  onClose: () => void;
  onCreated: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [dataSources, setDataSources] = useState<DataSource[]>([]);
  const [connectors, setConnectors] = useState<Connector[]>([]);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const sourceId = Form.useWatch('sourceDatasourceId', form);
  const schema = Form.useWatch('schema', form);
  const targetId = Form.useWatch('targetDatasourceId', form);
  const picked = Form.useWatch('tables', form);
  const source = useCatalog(sourceId, schema);
  const target = useCatalog(targetId);
  const targetConnector = connectors.find((c) => c.name === dataSources.find((d) => d.id === targetId)?.connector);
  const writeModes = targetConnector?.roles.sink?.find((o) => o.name === 'writeMode')?.choices ?? [];

  useEffect(() => {
    if (!open) return;
    setProblems([]);
    form.resetFields();
    form.setFieldsValue({ folderId, namePattern: '{table}' });
    dataSourcesApi.list({ page: 0, size: 500 }).then(
      (p) => setDataSources(p.items),
      () => {},
    );
    connectorsApi.list().then(setConnectors, () => {});
  }, [open, folderId, form]);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const tables = v.tables!.map((name) => (v.schema ? `${v.schema}.${name}` : name));
    setBusy(true);
    setProblems([]);
    try {
      const created = await tasksApi.batchCreate({
        sourceDatasourceId: v.sourceDatasourceId!,
        targetDatasourceId: v.targetDatasourceId!,
        tables,
        folderId: v.folderId ?? null,
        namePattern: v.namePattern,
        targetTablePattern: v.targetSchema ? `${v.targetSchema}.{table}` : '{table}',
        writeMode: v.writeMode,
        settings: v.channels ? { channels: v.channels } : undefined,
      });
      message.success(t('batch.created', { count: created.length }));
      onCreated();
    } catch (e) {
      // tasks[3].name → the fourth table's name
      setProblems(
        problemsOf(e).map((p) => {
          const m = /^tasks\[(\d+)\]\.?(.*)$/.exec(p.field);
          return m ? { field: `${v.tables![Number(m[1])]}${m[2] ? ` · ${m[2]}` : ''}`, message: p.message } : p;
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  const dsOptions = dataSources.map((d) => ({ value: d.id, label: `${d.alias} (${d.connector})` }));
  const required = [{ required: true, message: t('form.required') }];

  return (
    <Modal
      open={open}
      width={720}
      title={t('task.batchCreate')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={submit}>
            {t('batch.submit', { count: picked?.length ?? 0 })}
          </Button>
        </Flex>
      }
    >
      <Alert type="info" showIcon title={t('batch.help')} style={{ marginBottom: 16 }} />
      <ProblemAlert problems={problems} />
      <Form form={form} layout="vertical">
        <Flex gap={16}>
          <Form.Item name="sourceDatasourceId" label={t('batch.source')} rules={required} style={{ flex: 1 }}>
            <Select options={dsOptions} onChange={() => form.setFieldsValue({ schema: undefined, tables: [] })} />
          </Form.Item>
          <Form.Item name="schema" label={t('wizard.schema')} style={{ flex: 1 }}>
            <Select
              allowClear
              showSearch
              options={source.schemas.map((s) => ({ value: s, label: s }))}
              onChange={() => form.setFieldsValue({ tables: [] })}
            />
          </Form.Item>
        </Flex>
        <Form.Item
          name="tables"
          label={
            <Flex gap={8} align="center">
              {t('batch.tables')}
              <Button
                size="small"
                type="link"
                disabled={!source.tables.length}
                onClick={() => form.setFieldsValue({ tables: source.tables })}
              >
                {t('batch.selectAll', { count: source.tables.length })}
              </Button>
            </Flex>
          }
          rules={required}
        >
          <Select mode="multiple" allowClear options={source.tables.map((s) => ({ value: s, label: s }))} maxTagCount="responsive" />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="targetDatasourceId" label={t('batch.target')} rules={required} style={{ flex: 1 }}>
            <Select options={dsOptions} />
          </Form.Item>
          <Form.Item name="targetSchema" label={t('wizard.schema')} style={{ flex: 1 }}>
            <Select allowClear showSearch options={target.schemas.map((s) => ({ value: s, label: s }))} />
          </Form.Item>
        </Flex>
        <Flex gap={16}>
          <Form.Item
            name="namePattern"
            label={t('batch.namePattern')}
            extra={t('batch.namePatternHelp')}
            rules={required}
            style={{ flex: 1 }}
          >
            <Input />
          </Form.Item>
          <Form.Item name="folderId" label={t('task.folder')} style={{ flex: 1 }}>
            <TreeSelect allowClear treeData={folderTree(folders)} placeholder={t('task.noFolder')} />
          </Form.Item>
        </Flex>
        <Flex gap={16}>
          <Form.Item name="writeMode" label={t('wizard.writeMode')} style={{ flex: 1 }}>
            <Select allowClear options={writeModes.map((m) => ({ value: m, label: m }))} placeholder="insert" />
          </Form.Item>
          <Form.Item name="channels" label={t('settings.channels')} style={{ flex: 1 }}>
            <InputNumber min={1} max={1024} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Spin,
  Steps,
  Switch,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, problemsOf, type FieldProblem } from '../../../api/client';
import { connectorsApi, dataSourcesApi, type ChangeRoles, type Connector, type DataSource } from '../../../api/datasources';
import { groupsApi, type ResourceGroup } from '../../../api/groups';
import { schedulesApi, type Schedule } from '../../../api/schedules';
import { foldersApi, tasksApi, type Folder, type Pair, type Task } from '../../../api/tasks';
import { PageHeader } from '../../../components/PageHeader';
import { applyProblems, ProblemAlert } from '../../../components/problems';
import { useT } from '../../../i18n';
import { formatTime } from '../../../components/format';
import type { MessageKey } from '../../../i18n/messages';
import { MappingCanvas, type MappingColumn } from '../mapping/MappingCanvas';
import { ScheduleForm } from '../schedule/ScheduleForm';
import { folderTree } from '../FolderTree';
import { useTaskActions } from '../useTaskActions';
import { useCatalog, type ColumnsOrigin } from './useCatalog';
import {
  CURSOR_SOURCES,
  formField,
  fromTask,
  isCdc,
  qualified,
  STEP_FIELDS,
  STEP_KEYS,
  stepOfField,
  toWizard,
  type StepKey,
  type WizardValues,
} from './wizardModel';

/**
 * A wizard task, created or edited in steps: basic info → source object → target object → field
 * mapping → settings → schedule → review and submit. The server's problems go back under the
 * field they name, and the wizard opens the step that holds it.
 */
export function TaskWizard() {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const params = useParams();
  const [search] = useSearchParams();
  const editId = params.id ? Number(params.id) : null;
  const [form] = Form.useForm<WizardValues>();
  const [step, setStep] = useState(0);
  const [loaded, setLoaded] = useState(editId == null);
  const [taskId, setTaskId] = useState<number | null>(editId);
  const [dataSources, setDataSources] = useState<DataSource[]>([]);
  const [connectors, setConnectors] = useState<Connector[]>([]);
  const [folders, setFolders] = useState<Folder[]>([]);
  const [groups, setGroups] = useState<ResourceGroup[]>([]);
  const [mapping, setMapping] = useState<Pair[]>([]);
  const [scheduled, setScheduled] = useState(false);
  const [hadSchedule, setHadSchedule] = useState(false);
  const [initialSchedule, setInitialSchedule] = useState<Schedule | null>(null);
  const [schedule, setSchedule] = useState<{ value: Schedule; valid: boolean } | null>(null);
  const [scheduleText, setScheduleText] = useState<string | null>(null);
  const [scheduleProblems, setScheduleProblems] = useState<FieldProblem[]>([]);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const actions = useTaskActions(() => {});
  // "Create table" follows whether the picked target table exists, until the person sets it.
  const followTable = useRef(false);
  // Counts the user's edits of the target's schema and table: an edit that ends on the table it
  // started from (cleared and typed again) must still make "create table" follow the catalog.
  const [tableEdits, setTableEdits] = useState(0);
  const editTable = () => {
    followTable.current = true;
    setTableEdits((n) => n + 1);
  };

  const source = Form.useWatch('source', form) ?? {};
  const target = Form.useWatch('target', form) ?? {};
  const sourceCatalog = useCatalog(source.datasourceId, source.schema, source.table);
  const targetCatalog = useCatalog(target.datasourceId, target.schema, target.table);
  const targetConnector = connectors.find((c) => c.name === dataSources.find((d) => d.id === target.datasourceId)?.connector);
  const sinkOptions = targetConnector?.roles.sink ?? [];
  const writeModes = sinkOptions.find((o) => o.name === 'writeMode')?.choices ?? [];
  const canCreateTable = sinkOptions.some((o) => o.name === 'createTable');
  // Sync modes: offered when the source's connector reads changes and the target's sink applies
  // them (which for a generic JDBC data source depends on its database: the server says).
  const sourceConnector = connectors.find((c) => c.name === dataSources.find((d) => d.id === source.datasourceId)?.connector);
  const [targetApplies, setTargetApplies] = useState<{ id: number; applies: boolean; roles?: ChangeRoles } | null>(null);
  useEffect(() => {
    const id = target.datasourceId;
    if (id == null) return;
    dataSourcesApi.changeRoles(id).then(
      (r) => setTargetApplies({ id, applies: r.appliesChanges, roles: r }),
      () => setTargetApplies({ id, applies: false }),
    );
  }, [target.datasourceId]);
  const targetRoles = targetApplies && targetApplies.id === target.datasourceId ? targetApplies.roles : undefined;
  // What the target's "table" is: a collection, an index, a file path (the server says).
  const objectOption = targetRoles?.objectOption ?? 'table';
  const syncModes = !!sourceConnector?.roles.changeSource && targetApplies?.id === target.datasourceId && targetApplies?.applies === true;
  const syncMode = Form.useWatch('syncMode', form);
  const cdc = syncModes && isCdc(syncMode);
  const needs = cdc ? (targetRoles?.changeNeeds ?? []) : [];
  // A batch task with a JDBC source may read only the rows past a cursor column each run.
  const cursorReads = !cdc && !!sourceConnector && CURSOR_SOURCES.has(sourceConnector.name);
  const incremental = Form.useWatch('incremental', form);
  // Shared mining: offered for a cdc task, on by default when the source's data source has it on.
  const sourceMining = dataSources.find((d) => d.id === source.datasourceId)?.sharedMining;
  const sourceMines = !!sourceMining?.enabled && !!sourceMining.logDatasource;
  const sharedMining = Form.useWatch('sharedMining', form);
  const miningDefaultFor = useRef<number | undefined>(undefined);
  useEffect(() => {
    const id = source.datasourceId;
    if (id == null || !dataSources.length || miningDefaultFor.current === id) return;
    // A stored task keeps its own choice for the source it was saved with.
    if (miningDefaultFor.current === undefined && form.getFieldValue('sharedMining') !== undefined) {
      miningDefaultFor.current = id;
      return;
    }
    miningDefaultFor.current = id;
    form.setFieldValue('sharedMining', sourceMines);
  }, [form, source.datasourceId, dataSources.length, sourceMines]);
  useEffect(() => {
    // Once both sides are known and cannot do cdc, the task is a batch copy.
    const known = sourceConnector && targetApplies?.id === target.datasourceId;
    if (known && !syncModes && isCdc(form.getFieldValue('syncMode'))) form.setFieldValue('syncMode', 'full');
  }, [form, sourceConnector, targetApplies, target.datasourceId, syncModes]);

  useEffect(() => {
    if (followTable.current && canCreateTable && target.table && targetCatalog.tablesLoaded) {
      form.setFieldValue(['target', 'createTable'], !targetCatalog.exists);
    }
  }, [form, canCreateTable, target.table, targetCatalog.tablesLoaded, targetCatalog.exists, tableEdits]);

  useEffect(() => {
    dataSourcesApi.list({ page: 0, size: 500 }).then(
      (p) => setDataSources(p.items),
      () => {},
    );
    connectorsApi.list().then(setConnectors, () => {});
    foldersApi.tree().then(setFolders, () => {});
    groupsApi.list().then(setGroups, () => {});
  }, []);

  useEffect(() => {
    if (editId == null) {
      const folderId = search.get('folderId');
      form.setFieldsValue({
        folderId: folderId ? Number(folderId) : undefined,
        target: { writeMode: 'insert' },
        syncMode: 'full',
        resourceGroup: 'default',
      });
      return;
    }
    (async () => {
      try {
        const task: Task = await tasksApi.get(editId);
        if (task.mode !== 'wizard' || !task.wizard) {
          navigate(`/tasks/${editId}/script`, { replace: true });
          return;
        }
        const { values, mapping: pairs } = fromTask(task);
        form.setFieldsValue(values);
        setMapping(pairs);
        const current = await schedulesApi.get(editId).catch(() => null);
        if (current?.schedule) {
          setInitialSchedule(current.schedule);
          setScheduled(true);
          setHadSchedule(true);
        }
      } catch (e) {
        message.error(problemsOf(e)[0].message);
      } finally {
        setLoaded(true);
      }
    })();
  }, [editId, form, navigate, message, search]);

  const sourceColumns: MappingColumn[] = useMemo(() => {
    const all = sourceCatalog.info?.columns ?? [];
    const picked = source.columns?.length ? all.filter((c) => source.columns!.includes(c.name)) : all;
    return picked.map((c) => ({ name: c.name, type: c.type, nativeType: c.nativeType }));
  }, [sourceCatalog.info, source.columns]);

  // A table the sink creates gets the incoming columns, with their types.
  const targetColumns: MappingColumn[] = useMemo(
    () =>
      targetCatalog.info
        ? targetCatalog.info.columns.map((c) => ({ name: c.name, type: c.type, nativeType: c.nativeType }))
        : target.createTable
          ? sourceColumns
          : [],
    [targetCatalog.info, target.createTable, sourceColumns],
  );

  const stepKey: StepKey = STEP_KEYS[step];

  const next = async () => {
    const fields = STEP_FIELDS[stepKey];
    if (fields) {
      try {
        await form.validateFields(fields);
      } catch {
        return;
      }
    }
    if (stepKey === 'schedule' && scheduled && schedule && !schedule.valid) return;
    setStep(step + 1);
  };

  const fail = (all: FieldProblem[], scheduleStep = false) => {
    if (scheduleStep) {
      setScheduleProblems(all);
      setStep(STEP_KEYS.indexOf('schedule'));
      return;
    }
    const rest = applyProblems(form, all, formField);
    setProblems(rest);
    const first = all.map((p) => STEP_KEYS.indexOf(stepOfField(p.field))).sort((a, b) => a - b)[0];
    setStep(first ?? STEP_KEYS.length - 1);
  };

  const submit = async () => {
    const values = form.getFieldsValue(true) as WizardValues;
    setProblems([]);
    setScheduleProblems([]);
    setSubmitting(true);
    let saved: Task;
    try {
      const request = {
        name: values.name,
        folderId: values.folderId ?? null,
        description: values.description,
        mode: 'wizard' as const,
        wizard: toWizard(values, mapping),
        resourceGroup: values.resourceGroup ?? 'default',
      };
      saved = taskId == null ? await tasksApi.create(request) : await tasksApi.update(taskId, request);
      setTaskId(saved.id);
    } catch (e) {
      setSubmitting(false);
      fail(problemsOf(e));
      return;
    }
    let offline = false;
    try {
      if (scheduled && schedule) offline = !(await schedulesApi.put(saved.id, schedule.value)).online;
      else if (hadSchedule) await schedulesApi.remove(saved.id);
    } catch (e) {
      setSubmitting(false);
      fail(e instanceof ApiError && e.problems.length ? e.problems : problemsOf(e), true);
      return;
    }
    setSubmitting(false);
    message.success(t('wizard.saved', { name: saved.name }));
    // A scheduled task that stays offline never fires: offer to put it online.
    if (offline) await actions.offerOnline(saved);
    navigate(`/tasks/${saved.id}`);
  };

  const dsOptions = dataSources.map((d) => ({ value: d.id, label: `${d.alias} (${d.connector})` }));
  const required = [{ required: true, message: t('form.required') }];
  const pane = (key: StepKey): React.CSSProperties => ({ display: stepKey === key ? undefined : 'none' });
  const values = form.getFieldsValue(true) as WizardValues;
  const aliasOf = (id?: number) => dataSources.find((d) => d.id === id)?.alias ?? '–';

  if (!loaded) return <Spin />;

  return (
    <>
      <PageHeader
        title={editId ? t('wizard.editTitle') : t('wizard.createTitle')}
        extra={<Button onClick={() => navigate('/tasks')}>{t('common.cancel')}</Button>}
      />
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 24 }}
        onChange={(s) => s < step && setStep(s)}
        items={STEP_KEYS.map((k) => ({ title: t(`wizard.step.${k}` as MessageKey) }))}
      />
      <Card>
        <Form form={form} layout="vertical" style={{ maxWidth: stepKey === 'mapping' || stepKey === 'schedule' ? undefined : 720 }}>
          <div style={pane('basic')}>
            <Form.Item name="name" label={t('task.name')} rules={required} extra={t('task.nameHelp')}>
              <Input maxLength={200} data-testid="wizard-name" />
            </Form.Item>
            <Form.Item name="folderId" label={t('task.folder')}>
              <TreeSelect allowClear treeData={folderTree(folders)} placeholder={t('task.noFolder')} treeDefaultExpandAll />
            </Form.Item>
            <Form.Item name="description" label={t('common.description')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </div>

          <div style={pane('source')}>
            {sourceCatalog.error && <Alert type="error" showIcon title={sourceCatalog.error} style={{ marginBottom: 16 }} />}
            <Form.Item name={['source', 'datasourceId']} label={t('wizard.dataSource')} rules={required}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={dsOptions}
                data-testid="wizard-source-ds"
                onChange={() => form.setFieldsValue({ source: { schema: undefined, table: undefined, columns: undefined } })}
              />
            </Form.Item>
            <Flex gap={16}>
              <Form.Item name={['source', 'schema']} label={t('wizard.schema')} style={{ flex: 1 }}>
                <Select
                  showSearch
                  allowClear
                  options={sourceCatalog.schemas.map((s) => ({ value: s, label: s }))}
                  data-testid="wizard-source-schema"
                  onChange={() => form.setFieldsValue({ source: { table: undefined, columns: undefined } })}
                />
              </Form.Item>
              <Form.Item name={['source', 'table']} label={t('wizard.table')} rules={required} style={{ flex: 1 }}>
                <Select
                  showSearch
                  options={sourceCatalog.tables.map((s) => ({ value: s, label: s }))}
                  data-testid="wizard-source-table"
                  onChange={() => form.setFieldsValue({ source: { columns: undefined } })}
                />
              </Form.Item>
            </Flex>
            <Form.Item name={['source', 'columns']} label={t('wizard.columns')} extra={t('wizard.columnsHelp')}>
              <Select
                mode="multiple"
                allowClear
                loading={sourceCatalog.loading}
                placeholder={t('wizard.allColumns')}
                options={(sourceCatalog.info?.columns ?? []).map((c) => ({ value: c.name, label: `${c.name} · ${c.type}` }))}
              />
            </Form.Item>
            <Form.Item name={['source', 'where']} label={t('wizard.where')} extra={t('wizard.whereHelp')}>
              <Input.TextArea
                autoSize={{ minRows: 2, maxRows: 6 }}
                style={{ fontFamily: 'monospace' }}
                placeholder="created_at >= '${bizdate}'"
              />
            </Form.Item>
            {cursorReads && (
              <>
                <Form.Item name={['incremental', 'cursor']} label={t('wizard.cursor')} extra={t('wizard.cursorHelp')}>
                  <Select
                    allowClear
                    showSearch
                    placeholder={t('wizard.cursorNone')}
                    loading={sourceCatalog.loading}
                    options={(sourceCatalog.info?.columns ?? []).map((c) => ({ value: c.name, label: `${c.name} · ${c.type}` }))}
                    data-testid="wizard-cursor"
                  />
                </Form.Item>
                {incremental?.cursor && (
                  <Flex gap={16}>
                    <Form.Item
                      name={['incremental', 'lookBack']}
                      label={t('cursor.lookBack')}
                      extra={t('wizard.lookBackHelp')}
                      style={{ flex: 1 }}
                    >
                      <Input placeholder="10m" data-testid="wizard-lookback" />
                    </Form.Item>
                    <Form.Item
                      name={['incremental', 'start']}
                      label={t('cursor.start')}
                      extra={t('wizard.cursorStartHelp')}
                      style={{ flex: 1 }}
                    >
                      <Input placeholder={t('cursor.placeholder')} data-testid="wizard-cursor-start" />
                    </Form.Item>
                  </Flex>
                )}
              </>
            )}
            {sourceCatalog.info && (
              <Typography.Text type="secondary">
                {t('wizard.tableSummary', {
                  columns: sourceCatalog.info.columns.length,
                  rows: sourceCatalog.info.rowEstimate ?? '?',
                  key: sourceCatalog.info.primaryKey.join(', ') || '–',
                })}{' '}
                <OriginNote origin={sourceCatalog.origin} testId="wizard-source-origin" />
              </Typography.Text>
            )}
          </div>

          <div style={pane('target')}>
            {targetCatalog.error && objectOption !== 'path' && (
              <Alert type="error" showIcon title={targetCatalog.error} style={{ marginBottom: 16 }} />
            )}
            <Form.Item name={['target', 'datasourceId']} label={t('wizard.dataSource')} rules={required}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={dsOptions}
                data-testid="wizard-target-ds"
                onChange={() => form.setFieldsValue({ target: { schema: undefined, table: undefined } })}
              />
            </Form.Item>
            <Flex gap={16}>
              <Form.Item name={['target', 'schema']} label={t('wizard.schema')} style={{ flex: 1 }}>
                <Select
                  showSearch
                  allowClear
                  options={targetCatalog.schemas.map((s) => ({ value: s, label: s }))}
                  data-testid="wizard-target-schema"
                  onChange={editTable}
                />
              </Form.Item>
              <Form.Item
                name={['target', 'table']}
                label={t(objectOption === 'table' ? 'wizard.table' : (`wizard.object.${objectOption}` as MessageKey))}
                rules={required}
                style={{ flex: 1 }}
                extra={
                  target.table && targetCatalog.tablesLoaded
                    ? t(targetCatalog.exists ? 'wizard.existingTable' : 'wizard.newTable')
                    : undefined
                }
              >
                <AutoComplete
                  options={targetCatalog.tables.map((s) => ({ value: s, label: s }))}
                  showSearch={{ filterOption: (input, option) => String(option?.value ?? '').includes(input) }}
                  onChange={editTable}
                  data-testid="wizard-target-table"
                />
              </Form.Item>
            </Flex>
            {syncModes && (
              <Form.Item name="syncMode" label={t('wizard.syncMode')} extra={t(`wizard.syncModeHelp.${syncMode ?? 'full'}` as MessageKey)}>
                <Radio.Group
                  data-testid="wizard-sync-mode"
                  optionType="button"
                  options={[
                    { value: 'full', label: t('wizard.syncMode.full') },
                    { value: 'incremental', label: t('wizard.syncMode.incremental') },
                    { value: 'full-incremental', label: t('wizard.syncMode.full-incremental') },
                  ]}
                />
              </Form.Item>
            )}
            {cdc && (
              <Form.Item
                name="sharedMining"
                label={t('wizard.sharedMining')}
                valuePropName="checked"
                extra={
                  sourceMines
                    ? t(sharedMining ? 'wizard.sharedMiningOn' : 'wizard.sharedMiningOff', {
                        store: `${sourceMining?.logDatasource} ${sourceMining?.logTable}`,
                      })
                    : t('wizard.sharedMiningUnavailable')
                }
              >
                <Switch disabled={!sourceMines && !sharedMining} data-testid="wizard-shared-mining" />
              </Form.Item>
            )}
            <Flex gap={16}>
              {!cdc && (
                <Form.Item name={['target', 'writeMode']} label={t('wizard.writeMode')} style={{ flex: 1 }}>
                  <Select options={writeModes.map((m) => ({ value: m, label: m }))} data-testid="wizard-write-mode" />
                </Form.Item>
              )}
              {canCreateTable && (
                <Form.Item
                  name={['target', 'createTable']}
                  label={t('wizard.createTable')}
                  valuePropName="checked"
                  style={{ flex: 1 }}
                  extra={t('wizard.createTableHelp')}
                >
                  <Switch data-testid="wizard-create-table" onChange={() => (followTable.current = false)} />
                </Form.Item>
              )}
            </Flex>
            {cdc && targetRoles?.changeOptions?.format === 'jsonl' && (
              <Alert
                type="info"
                showIcon
                title={t('wizard.changeRecords')}
                style={{ marginBottom: 16 }}
                data-testid="wizard-change-records"
              />
            )}
            {needs.includes('idColumns') && (
              <Form.Item name={['target', 'idColumns']} label={t('wizard.idColumns')} extra={t('wizard.idColumnsHelp')} rules={required}>
                <Select
                  mode="tags"
                  options={sourceColumns.map((c) => ({ value: c.name, label: c.name }))}
                  data-testid="wizard-id-columns"
                />
              </Form.Item>
            )}
            {needs.includes('rowKey') && (
              <Form.Item name={['target', 'rowKey']} label={t('wizard.rowKey')} extra={t('wizard.rowKeyHelp')} rules={required}>
                <Select mode="tags" options={sourceColumns.map((c) => ({ value: c.name, label: c.name }))} data-testid="wizard-row-key" />
              </Form.Item>
            )}
            <Form.Item name={['target', 'keys']} label={t('wizard.keys')} extra={t('wizard.keysHelp')}>
              <Select mode="tags" options={targetColumns.map((c) => ({ value: c.name, label: c.name }))} />
            </Form.Item>
          </div>

          <div style={pane('mapping')}>
            {cdc ? (
              <Alert type="info" showIcon title={t('wizard.mappingByName')} data-testid="wizard-mapping-cdc" />
            ) : sourceColumns.length === 0 || targetColumns.length === 0 ? (
              <Alert type="info" showIcon title={t('wizard.mappingNeedsColumns')} />
            ) : (
              <>
                <Typography.Paragraph type="secondary" data-testid="wizard-mapping-origin">
                  {t('wizard.origin.source')} <OriginNote origin={sourceCatalog.origin} />
                  {targetCatalog.info && (
                    <>
                      {' · '}
                      {t('wizard.origin.target')} <OriginNote origin={targetCatalog.origin} />
                    </>
                  )}
                </Typography.Paragraph>
                <MappingCanvas sourceColumns={sourceColumns} targetColumns={targetColumns} value={mapping} onChange={setMapping} />
              </>
            )}
            {!cdc && mapping.length === 0 && <Typography.Paragraph type="secondary">{t('wizard.mappingDefault')}</Typography.Paragraph>}
          </div>

          <div style={pane('settings')}>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name={['settings', 'channels']} label={t('settings.channels')} extra={t('settings.channelsHelp')}>
                  <InputNumber min={1} max={1024} style={{ width: '100%' }} data-testid="settings-channels" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name={['settings', 'errorLimit']} label={t('settings.errorLimit')} extra={t('settings.errorLimitHelp')}>
                  <InputNumber min={0} style={{ width: '100%' }} placeholder="0" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name={['settings', 'recordsPerSecond']} label={t('settings.recordsPerSecond')} extra={t('settings.unlimited')}>
                  <InputNumber min={1} style={{ width: '100%' }} data-testid="settings-rps" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name={['settings', 'bytesPerSecond']}
                  label={t('settings.bytesPerSecond')}
                  extra={t('settings.bytesHelp')}
                  rules={[{ pattern: /^\d+\s*(B|KB|MB|GB)?$/i, message: t('settings.bytesHelp') }]}
                >
                  <Input placeholder="10MB" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="resourceGroup" label={t('groups.choose')} extra={t('groups.chooseHelp')}>
                  <Select
                    data-testid="settings-group"
                    // Groups of nodes, and Flink groups (a default node submits their runs there).
                    options={groups.map((g) => ({
                      value: g.name,
                      label: `${g.name} (${t(`groups.kind.${g.kind}` as MessageKey)}${g.flinkAddress ? ` ${g.flinkAddress}` : ''})`,
                    }))}
                  />
                </Form.Item>
              </Col>
            </Row>
          </div>
        </Form>

        {stepKey === 'schedule' && (
          <>
            <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
              <Switch checked={scheduled} onChange={setScheduled} data-testid="wizard-schedule-enabled" />
              <Typography.Text>{t('wizard.scheduleEnabled')}</Typography.Text>
            </Flex>
            {scheduled ? (
              <ScheduleForm
                initial={schedule?.value ?? initialSchedule}
                taskId={taskId ?? undefined}
                serverProblems={scheduleProblems}
                onChange={(value, valid) => setSchedule({ value, valid })}
                onPreview={(p) => setScheduleText(p && `${p.description} (${p.cron})`)}
              />
            ) : (
              <Typography.Paragraph type="secondary">{t('wizard.noSchedule')}</Typography.Paragraph>
            )}
          </>
        )}

        {stepKey === 'review' && (
          <>
            <ProblemAlert problems={problems} />
            <Descriptions
              bordered
              size="small"
              column={1}
              data-testid="wizard-review"
              items={[
                { key: 'name', label: t('task.name'), children: values.name },
                {
                  key: 'source',
                  label: t('wizard.step.source'),
                  children: (
                    <>
                      <Tag color="blue">{aliasOf(values.source?.datasourceId)}</Tag>{' '}
                      {qualified(values.source?.schema, values.source?.table)}
                      {values.source?.columns?.length ? ` (${values.source.columns.join(', ')})` : ''}
                      {values.source?.where ? (
                        <div>
                          <Typography.Text code>WHERE {values.source.where}</Typography.Text>
                        </div>
                      ) : null}
                      {cursorReads && values.incremental?.cursor ? (
                        <div data-testid="wizard-review-cursor">
                          {t('wizard.cursorReview', {
                            cursor: values.incremental.cursor,
                            lookBack: values.incremental.lookBack || '–',
                            start: values.incremental.start || '–',
                          })}
                        </div>
                      ) : null}
                    </>
                  ),
                },
                {
                  key: 'target',
                  label: t('wizard.step.target'),
                  children: (
                    <>
                      <Tag color="green">{aliasOf(values.target?.datasourceId)}</Tag>{' '}
                      {qualified(values.target?.schema, values.target?.table)} · {values.target?.writeMode ?? 'insert'}
                      {values.target?.createTable ? ` · ${t('wizard.createTable')}` : ''}
                      {values.target?.keys?.length ? ` · ${t('wizard.keys')}: ${values.target.keys.join(', ')}` : ''}
                    </>
                  ),
                },
                {
                  key: 'mapping',
                  label: t('wizard.step.mapping'),
                  children: mapping.length ? mapping.map((p) => `${p.from} → ${p.to}`).join(', ') : t('wizard.mappingDefault'),
                },
                {
                  key: 'settings',
                  label: t('wizard.step.settings'),
                  children:
                    Object.entries(values.settings ?? {})
                      .filter(([, v]) => v != null && v !== '')
                      .map(([k, v]) => `${k}: ${v}`)
                      .join(', ') || '–',
                },
                {
                  key: 'schedule',
                  label: t('wizard.step.schedule'),
                  children:
                    scheduled && schedule
                      ? (scheduleText ?? <Typography.Text code>{JSON.stringify(schedule.value)}</Typography.Text>)
                      : t('wizard.noSchedule'),
                },
              ]}
            />
          </>
        )}

        <Flex justify="space-between" style={{ marginTop: 24 }}>
          <Button disabled={step === 0} onClick={() => setStep(step - 1)} data-testid="wizard-prev">
            {t('wizard.previous')}
          </Button>
          {stepKey === 'review' ? (
            <Button type="primary" loading={submitting} onClick={submit} data-testid="wizard-submit">
              {t('wizard.submit')}
            </Button>
          ) : (
            <Button type="primary" onClick={next} data-testid="wizard-next">
              {t('wizard.next')}
            </Button>
          )}
        </Flex>
      </Card>
    </>
  );
}

/** Says where a table's columns came from: the collected metadata catalog, or a live browse. */
function OriginNote({ origin, testId }: { origin: ColumnsOrigin | null; testId?: string }) {
  const t = useT();
  if (!origin) return null;
  return (
    <span data-testid={testId} data-origin={origin.from}>
      {origin.from === 'catalog'
        ? t('wizard.origin.catalog', { at: formatTime(origin.collectedAt), version: origin.version })
        : t('wizard.origin.live')}
    </span>
  );
}

import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Collapse, Drawer, Flex, Form, Input, Select, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import type { FieldProblem } from '../../api/client';
import { problemsOf } from '../../api/client';
import { dataSourcesApi, type Connector, type DataSource, type DataSourceRequest, type SharedMiningSetting } from '../../api/datasources';
import { applyProblems, ProblemAlert } from '../../components/problems';
import { useT } from '../../i18n';
import { connectionOptions, OptionField, optionsFromForm, optionsToForm } from './OptionField';
import { SharedMiningFields } from './SharedMiningFields';

interface Props {
  /** the data source to edit; null to create one */
  dataSource: DataSource | null;
  connectors: Connector[];
  open: boolean;
  onClose: () => void;
  /** after every successful save */
  onSaved: (saved: DataSource) => void;
}

interface Values {
  alias: string;
  connector: string;
  description?: string;
  options?: Record<string, unknown>;
  sharedMining?: SharedMiningSetting;
}

type TestOutcome = { ok: true } | { ok: false; problems: FieldProblem[] } | null;

/**
 * Create or edit a data source: the connector's declared options as fields (required marks,
 * descriptions, secrets masked), saved with the server's field problems under each field, and a
 * connection test whose problems land under the option at fault.
 */
export function DataSourceForm({ dataSource, connectors, open, onClose, onSaved }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [current, setCurrent] = useState<DataSource | null>(dataSource);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [test, setTest] = useState<TestOutcome>(null);
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [moreOpen, setMoreOpen] = useState(false);
  const outcome = useRef<HTMLDivElement>(null);
  const connectorName = Form.useWatch('connector', form);
  const connector = connectors.find((c) => c.name === connectorName);
  const declared = useMemo(() => (connector ? connectionOptions(connector.roles) : []), [connector]);
  // Options without a default are the ones a connection usually needs; the rest fold away.
  const main = declared.filter((o) => o.required || o.defaultValue == null);
  const more = declared.filter((o) => !main.includes(o));
  // A problem with a folded option unfolds them, so that the message is seen.
  const unfoldFor = (fields: FieldProblem[]) => {
    if (fields.some((p) => more.some((o) => p.field === `options.${o.name}`))) setMoreOpen(true);
  };

  useEffect(() => {
    if (!open) return;
    setCurrent(dataSource);
    setProblems([]);
    setTest(null);
    setMoreOpen(false);
    form.resetFields();
    if (dataSource) {
      const c = connectors.find((x) => x.name === dataSource.connector);
      form.setFieldsValue({
        alias: dataSource.alias,
        connector: dataSource.connector,
        description: dataSource.description ?? undefined,
        options: c ? optionsToForm(connectionOptions(c.roles), dataSource.options) : {},
        sharedMining: dataSource.sharedMining ?? { enabled: false },
      });
    }
  }, [open, dataSource, connectors, form]);

  /** Problems of an earlier save or test go before new ones come. */
  const clearProblems = () => {
    setProblems([]);
    form.setFields(
      [
        ...declared.map((o) => ['options', o.name]),
        ['alias'],
        ['connector'],
        ...['enabled', 'logDatasource', 'logTable', 'retentionHours'].map((f) => ['sharedMining', f]),
      ].map((name) => ({ name, errors: [] })),
    );
  };

  const save = async (): Promise<DataSource | null> => {
    clearProblems();
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return null;
    }
    const { options, badJson } = optionsFromForm(declared, values.options);
    if (badJson.length) {
      form.setFields(badJson.map((name) => ({ name: ['options', name], errors: [t('ds.badJson')] })));
      return null;
    }
    const request: DataSourceRequest = {
      alias: values.alias,
      connector: values.connector,
      description: values.description,
      options,
      // Only a connector that reads a change log shows the switch; otherwise it stays as it is.
      sharedMining:
        connector?.roles.changeSource && values.sharedMining
          ? { ...values.sharedMining, enabled: !!values.sharedMining.enabled }
          : undefined,
    };
    try {
      const saved = current ? await dataSourcesApi.update(current.id, request) : await dataSourcesApi.create(request);
      setCurrent(saved);
      onSaved(saved);
      return saved;
    } catch (e) {
      unfoldFor(problemsOf(e));
      setProblems(applyProblems(form, problemsOf(e)));
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    setTest(null);
    const saved = await save();
    setBusy(null);
    if (saved) {
      message.success(t('ds.saved', { alias: saved.alias }));
      onClose();
    }
  };

  // A test's outcome shows above the form, wherever the form was scrolled to.
  useEffect(() => {
    if (test) outcome.current?.scrollIntoView({ block: 'nearest' });
  }, [test]);

  const onTest = async () => {
    setBusy('test');
    setTest(null);
    try {
      const saved = await save();
      if (!saved) return;
      const result = await dataSourcesApi.test(saved.id);
      if (result.ok) {
        setTest({ ok: true });
        return;
      }
      const asFields = result.problems.map((p) => ({ field: `options.${p.option}`, message: p.message }));
      unfoldFor(asFields);
      const rest = applyProblems(form, asFields).map((p) => ({ ...p, field: p.field.replace(/^options\./, '') }));
      setTest({ ok: false, problems: rest });
    } catch (e) {
      setTest({ ok: false, problems: problemsOf(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      destroyOnHidden
      title={current ? t('ds.editTitle', { alias: current.alias }) : t('ds.createTitle')}
      extra={
        <Flex gap={8}>
          <Button onClick={onTest} loading={busy === 'test'} disabled={!connector} data-testid="ds-test">
            {t('ds.saveAndTest')}
          </Button>
          <Button type="primary" onClick={onSave} loading={busy === 'save'} data-testid="ds-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <ProblemAlert problems={problems} />
      <div ref={outcome} />
      {test?.ok && (
        <Alert
          type="success"
          showIcon
          icon={<CheckCircleOutlined />}
          title={t('ds.testOk')}
          style={{ marginBottom: 16 }}
          data-testid="ds-test-ok"
        />
      )}
      {test && !test.ok && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="ds-test-failed"
          title={t('ds.testFailed')}
          description={
            test.problems.length ? (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {test.problems.map((p, i) => (
                  <li key={i}>
                    {p.field && p.field !== 'connection' ? <code>{p.field}</code> : null} {p.message}
                  </li>
                ))}
              </ul>
            ) : (
              t('ds.testSeeFields')
            )
          }
        />
      )}
      <Form form={form} layout="vertical" onValuesChange={() => setTest(null)}>
        <Form.Item name="connector" label={t('ds.connector')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            showSearch
            placeholder={t('ds.pickConnector')}
            // Nothing to pick before the connectors arrived: a click then would find no option.
            disabled={!connectors.length}
            loading={!connectors.length}
            data-testid="ds-connector"
            options={connectors.map((c) => ({ value: c.name, label: c.name, title: c.description }))}
            optionRender={(o) => (
              <Flex vertical>
                <span>{o.value}</span>
                <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                  {connectors.find((c) => c.name === o.value)?.description}
                </Typography.Text>
              </Flex>
            )}
          />
        </Form.Item>
        <Form.Item name="alias" label={t('ds.alias')} extra={t('ds.aliasHelp')} rules={[{ required: true, message: t('form.required') }]}>
          <Input maxLength={200} data-testid="ds-alias" />
        </Form.Item>
        <Form.Item name="description" label={t('common.description')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        {connector && (
          <>
            <Typography.Paragraph type="secondary">{connector.description}</Typography.Paragraph>
            {main.map((o) => (
              <OptionField key={o.name} option={o} />
            ))}
            {more.length > 0 && (
              <Collapse
                ghost
                activeKey={moreOpen ? ['more'] : []}
                onChange={(keys) => setMoreOpen(keys.includes('more'))}
                items={[
                  {
                    key: 'more',
                    label: t('ds.moreOptions', { count: more.length }),
                    forceRender: true,
                    children: more.map((o) => <OptionField key={o.name} option={o} />),
                  },
                ]}
              />
            )}
            {connector.roles.changeSource && <SharedMiningFields dataSource={current} connectors={connectors} />}
          </>
        )}
      </Form>
    </Drawer>
  );
}

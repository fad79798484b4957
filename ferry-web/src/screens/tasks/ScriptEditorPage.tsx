import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, Input, Segmented, Space, TreeSelect, Typography } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { parseDocument, stringify } from 'yaml';
import { problemsOf, type FieldProblem } from '../../api/client';
import { foldersApi, tasksApi, type Folder } from '../../api/tasks';
import { PageHeader } from '../../components/PageHeader';
import { applyProblems } from '../../components/problems';
import { useT } from '../../i18n';
import { folderTree } from './FolderTree';
import { ScriptEditor } from './ScriptEditor';
import { TemplatePicker } from './TemplatePicker';

type Format = 'yaml' | 'json';

interface Syntax {
  data?: unknown;
  errors: { line: number; message: string }[];
}

/** The script's own syntax, checked as it is typed: YAML (JSON being YAML too), with line numbers. */
function checkSyntax(text: string): Syntax {
  const doc = parseDocument(text, { prettyErrors: true });
  const errors = doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ?? 0, message: e.message.split('\n')[0] }));
  return errors.length ? { errors } : { data: doc.toJS(), errors };
}

/**
 * A script task: its job YAML or JSON in an editor with line numbers, checked as typed, saved
 * with the server's validation (problems naming `source.table`, `settings.channels`...), and
 * validated live against the stores on demand. A new one starts from the template of a source and
 * a sink the person picks.
 */
export function ScriptEditorPage() {
  const t = useT();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const params = useParams();
  const [taskId, setTaskId] = useState<number | null>(params.id ? Number(params.id) : null);
  const [form] = Form.useForm<{ name: string; folderId?: number | null; description?: string }>();
  const [folders, setFolders] = useState<Folder[]>([]);
  const [script, setScript] = useState('');
  // The last template put in the editor: a new one replaces it silently, edits only when confirmed.
  const [template, setTemplate] = useState('');
  const [format, setFormat] = useState<Format>('yaml');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [validated, setValidated] = useState<boolean | null>(null);
  const [busy, setBusy] = useState<'save' | 'validate' | null>(null);
  const syntax = useMemo(() => checkSyntax(script), [script]);

  useEffect(() => {
    foldersApi.tree().then(setFolders, () => {});
    if (taskId == null) {
      const folderId = search.get('folderId');
      form.setFieldsValue({ folderId: folderId ? Number(folderId) : undefined });
      return;
    }
    tasksApi.get(taskId).then(
      (task) => {
        form.setFieldsValue({ name: task.name, folderId: task.folderId, description: task.description ?? undefined });
        setScript(task.script);
        setFormat(task.script.trim().startsWith('{') ? 'json' : 'yaml');
      },
      (e) => message.error(problemsOf(e)[0].message),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load once per task
  }, []);

  const applyTemplate = (next: string) => {
    const replace = () => {
      setTemplate(next);
      setScript(next);
      setFormat('yaml');
    };
    if (script.trim() === '' || script === template) replace();
    else modal.confirm({ title: t('template.confirmReplace'), okText: t('template.replace'), onOk: replace });
  };

  const switchFormat = (next: Format) => {
    if (syntax.errors.length) return;
    setScript(next === 'json' ? JSON.stringify(syntax.data, null, 2) + '\n' : stringify(syntax.data));
    setFormat(next);
  };

  const save = async (): Promise<number | null> => {
    let values;
    try {
      values = await form.validateFields();
    } catch {
      return null;
    }
    setProblems([]);
    setValidated(null);
    const request = { ...values, folderId: values.folderId ?? null, mode: 'script' as const, script };
    try {
      const saved = taskId == null ? await tasksApi.create(request) : await tasksApi.update(taskId, request);
      setTaskId(saved.id);
      return saved.id;
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    const id = await save();
    setBusy(null);
    if (id != null) {
      message.success(t('script.saved'));
      navigate(`/tasks/${id}`);
    }
  };

  const onValidate = async () => {
    setBusy('validate');
    try {
      const id = await save();
      if (id == null) return;
      const result = await tasksApi.validate(id);
      setValidated(result.ok);
      setProblems(result.problems);
    } catch (e) {
      setProblems(problemsOf(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageHeader
        title={taskId == null ? t('script.createTitle') : t('script.editTitle')}
        extra={
          <>
            <Button onClick={() => navigate(taskId == null ? '/tasks' : `/tasks/${taskId}`)}>{t('common.cancel')}</Button>
            <Button loading={busy === 'validate'} disabled={syntax.errors.length > 0} onClick={onValidate} data-testid="script-validate">
              {t('script.saveAndValidate')}
            </Button>
            <Button type="primary" loading={busy === 'save'} disabled={syntax.errors.length > 0} onClick={onSave} data-testid="script-save">
              {t('common.save')}
            </Button>
          </>
        }
      />
      <Card>
        <Form form={form} layout="vertical" style={{ maxWidth: 960 }}>
          <Flex gap={16}>
            <Form.Item name="name" label={t('task.name')} rules={[{ required: true, message: t('form.required') }]} style={{ flex: 1 }}>
              <Input maxLength={200} data-testid="script-name" />
            </Form.Item>
            <Form.Item name="folderId" label={t('task.folder')} style={{ flex: 1 }}>
              <TreeSelect allowClear treeData={folderTree(folders)} placeholder={t('task.noFolder')} />
            </Form.Item>
          </Flex>
          <Form.Item name="description" label={t('common.description')}>
            <Input />
          </Form.Item>
        </Form>
        <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
          <Space>
            <Typography.Text strong>{t('task.script')}</Typography.Text>
            <Segmented<Format>
              value={format}
              onChange={switchFormat}
              options={[
                { value: 'yaml', label: 'YAML' },
                { value: 'json', label: 'JSON' },
              ]}
              disabled={syntax.errors.length > 0}
            />
          </Space>
          <Typography.Text type="secondary">{t('script.help')}</Typography.Text>
        </Flex>
        <TemplatePicker initial={taskId == null} onTemplate={applyTemplate} />
        <ScriptEditor value={script} onChange={setScript} errorLines={syntax.errors.map((e) => e.line)} />
        <div style={{ marginTop: 12 }} data-testid="script-messages">
          {syntax.errors.map((e, i) => (
            <Alert
              key={`s${i}`}
              type="error"
              showIcon
              title={t('script.syntaxError', { line: e.line, message: e.message })}
              style={{ marginBottom: 8 }}
            />
          ))}
          {problems.map((p, i) => (
            <Alert
              key={`p${i}`}
              type="error"
              showIcon
              style={{ marginBottom: 8 }}
              title={
                <>
                  {p.field && <Typography.Text code>{p.field}</Typography.Text>} {p.message}
                </>
              }
            />
          ))}
          {validated && <Alert type="success" showIcon title={t('task.valid')} />}
        </div>
      </Card>
    </>
  );
}

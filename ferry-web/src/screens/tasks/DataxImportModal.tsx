import { useEffect, useState } from 'react';
import { Alert, App, Button, Flex, Form, Modal, Select, TreeSelect, Typography } from 'antd';
import { problemsOf, type FieldProblem } from '../../api/client';
import { dataSourcesApi, type DataSource } from '../../api/datasources';
import { tasksApi, type Folder } from '../../api/tasks';
import { ProblemAlert } from '../../components/problems';
import { useT } from '../../i18n';
import { folderTree } from './FolderTree';

/** A picked file's text (FileReader: File.text() is not everywhere). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

interface Values {
  sourceDatasourceId?: number | null;
  targetDatasourceId?: number | null;
  folderId?: number | null;
}

/**
 * DataX job files (JSON) imported as script tasks, one per file, into a folder: the server
 * translates each and connects its reader and writer through the data sources picked here. All
 * are imported or none; a problem names the file and the JSON path it is about.
 */
export function DataxImportModal({
  open,
  folderId,
  folders,
  onClose,
  onImported,
}: {
  open: boolean;
  folderId: number | null;
  folders: Folder[];
  onClose: () => void;
  onImported: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [dataSources, setDataSources] = useState<DataSource[]>([]);
  const [files, setFiles] = useState<{ name: string; content: string }[]>([]);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setProblems([]);
    setFiles([]);
    form.resetFields();
    form.setFieldsValue({ folderId });
    dataSourcesApi.list({ page: 0, size: 500 }).then(
      (p) => setDataSources(p.items),
      () => {},
    );
  }, [open, folderId, form]);

  const pick = async (list: FileList | null) => {
    const picked = await Promise.all(Array.from(list ?? []).map(async (f) => ({ name: f.name, content: await readText(f) })));
    setFiles(picked);
    setProblems([]);
  };

  const submit = async () => {
    const v = form.getFieldsValue();
    if (!files.length) {
      setProblems([{ field: t('datax.files'), message: t('form.required') }]);
      return;
    }
    setBusy(true);
    setProblems([]);
    try {
      const created = await tasksApi.importDatax({
        folderId: v.folderId ?? null,
        sourceDatasourceId: v.sourceDatasourceId ?? null,
        targetDatasourceId: v.targetDatasourceId ?? null,
        files,
      });
      message.success(t('datax.imported', { count: created.length }));
      onImported();
    } catch (e) {
      // files[2].job.content[0]… → the third file's name and the path in it
      setProblems(
        problemsOf(e).map((p) => {
          const m = /^files\[(\d+)\]\.?(.*)$/.exec(p.field);
          return m ? { field: `${files[Number(m[1])]?.name ?? m[1]}${m[2] ? ` · ${m[2]}` : ''}`, message: p.message } : p;
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  const dsOptions = dataSources.map((d) => ({ value: d.id, label: `${d.alias} (${d.connector})` }));

  return (
    <Modal
      open={open}
      width={720}
      title={t('datax.import')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={submit} data-testid="datax-import-submit">
            {t('datax.submit', { count: files.length })}
          </Button>
        </Flex>
      }
    >
      <Alert type="info" showIcon title={t('datax.help')} style={{ marginBottom: 16 }} />
      <ProblemAlert problems={problems} />
      <Form form={form} layout="vertical">
        <Form.Item label={t('datax.files')} required>
          <Flex gap={8} align="center">
            <input
              type="file"
              accept=".json,application/json"
              multiple
              aria-label={t('datax.pick')}
              data-testid="datax-files"
              onChange={(e) => void pick(e.target.files)}
            />
            <Typography.Text type="secondary">{t('datax.picked', { count: files.length })}</Typography.Text>
          </Flex>
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="sourceDatasourceId" label={t('datax.source')} style={{ flex: 1 }}>
            <Select allowClear options={dsOptions} placeholder={t('datax.noDataSource')} />
          </Form.Item>
          <Form.Item name="targetDatasourceId" label={t('datax.target')} style={{ flex: 1 }}>
            <Select allowClear options={dsOptions} placeholder={t('datax.noDataSource')} />
          </Form.Item>
        </Flex>
        <Form.Item name="folderId" label={t('task.folder')}>
          <TreeSelect allowClear treeData={folderTree(folders)} placeholder={t('task.noFolder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

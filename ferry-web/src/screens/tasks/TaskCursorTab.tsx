import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Input, Popconfirm, Space, Typography } from 'antd';
import { problemsOf } from '../../api/client';
import { tasksApi, type TaskCursor } from '../../api/tasks';
import { useAuth } from '../../auth/AuthProvider';
import { formatTime } from '../../components/format';
import { useI18n } from '../../i18n';

/**
 * An incremental task's committed cursor (docs/incremental.md): the value its next run reads past,
 * set by hand or reset (then the next run reads every row) by an operator.
 */
export function TaskCursorTab({ taskId }: { taskId: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { canOperate } = useAuth();
  const [cursor, setCursor] = useState<TaskCursor | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => tasksApi.cursor(taskId).then(setCursor, (e) => setError(problemsOf(e)[0].message)), [taskId]);
  useEffect(() => {
    load();
  }, [load]);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!cursor) return null;

  const save = async () => {
    if (editing === null) return;
    setSaving(true);
    try {
      setCursor(await tasksApi.setCursor(taskId, editing, cursor.column ?? cursor.incremental?.cursor));
      setEditing(null);
      message.success(t('cursor.saved'));
    } catch (e) {
      message.error(problemsOf(e)[0].message);
    } finally {
      setSaving(false);
    }
  };

  const reset = async () => {
    try {
      setCursor(await tasksApi.resetCursor(taskId));
      message.success(t('cursor.resetDone'));
    } catch (e) {
      message.error(problemsOf(e)[0].message);
    }
  };

  const inc = cursor.incremental;
  return (
    <>
      {!inc && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('cursor.none')} />}
      <Descriptions
        size="small"
        column={2}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'column', label: t('cursor.column'), children: inc?.cursor ?? cursor.column ?? '–' },
          { key: 'lookBack', label: t('cursor.lookBack'), children: inc?.lookBack ?? '–' },
          { key: 'start', label: t('cursor.start'), children: inc?.start ?? '–' },
          {
            key: 'value',
            label: t('cursor.value'),
            children:
              editing !== null ? (
                <Space.Compact>
                  <Input
                    value={editing}
                    onChange={(e) => setEditing(e.target.value)}
                    placeholder={t('cursor.placeholder')}
                    data-testid="cursor-input"
                    style={{ width: 260 }}
                  />
                  <Button type="primary" loading={saving} onClick={save} data-testid="cursor-save">
                    {t('common.save')}
                  </Button>
                  <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
                </Space.Compact>
              ) : (
                <Typography.Text code data-testid="cursor-value">
                  {cursor.value ?? t('cursor.empty')}
                </Typography.Text>
              ),
          },
          {
            key: 'by',
            label: t('cursor.committedBy'),
            children: cursor.value === null ? '–' : (cursor.runKey ?? t('cursor.byHand')),
          },
          { key: 'updated', label: t('common.updated'), children: cursor.updatedAt ? formatTime(cursor.updatedAt) : '–' },
        ]}
      />
      <Typography.Paragraph type="secondary">{t('cursor.help')}</Typography.Paragraph>
      {canOperate && editing === null && (
        <Space>
          <Button onClick={() => setEditing(cursor.value ?? '')} data-testid="cursor-edit" disabled={!inc && !cursor.column}>
            {t('cursor.edit')}
          </Button>
          <Popconfirm title={t('cursor.confirmReset')} onConfirm={reset}>
            <Button danger disabled={cursor.value === null} data-testid="cursor-reset">
              {t('cursor.reset')}
            </Button>
          </Popconfirm>
        </Space>
      )}
    </>
  );
}

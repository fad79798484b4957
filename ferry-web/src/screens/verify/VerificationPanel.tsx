import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Flex, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { problemsOf } from '../../api/client';
import { verificationsApi, type Verification, type VerificationDifference, type VerifySchedule } from '../../api/verifications';
import { useAuth } from '../../auth/AuthProvider';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, formatTime } from '../../components/format';
import { usePaged } from '../../components/usePaged';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

/** Equal, differs, running or failed: what a verification found, in its colour. */
export function VerificationTag({ v }: { v: Verification }) {
  const t = useT();
  if (v.state === 'RUNNING') return <Tag color="processing">{t('verify.running')}</Tag>;
  if (v.state === 'FAILED') return <Tag color="error">{t('verify.failed')}</Tag>;
  return v.equal ? (
    <Tag color="success" data-testid="verify-equal">
      {t('verify.equal')}
    </Tag>
  ) : (
    <Tag color="error" data-testid="verify-differs">
      {t('verify.differs')}
    </Tag>
  );
}

const shown = (value: string | null | undefined) => (value === undefined ? '' : value === null ? 'NULL' : `'${value}'`);

/** One verification: how, counts, missing / extra / different rows and the first of them. */
export function VerificationDetail({ v }: { v: Verification }) {
  const t = useT();
  const { canReadRows } = useAuth();
  return (
    <>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'result', label: t('verify.result'), children: <VerificationTag v={v} /> },
          { key: 'mode', label: t('verify.mode'), children: t(`verify.mode.${v.mode}` as MessageKey) },
          { key: 'method', label: t('verify.method'), children: v.method ?? '–' },
          { key: 'trigger', label: t('verify.trigger'), children: t(`verify.trigger.${v.trigger}` as MessageKey) },
          { key: 'started', label: t('run.started'), children: `${formatTime(v.startedAt)} · ${v.startedBy}` },
          { key: 'ended', label: t('verify.ended'), children: v.endedAt ? formatTime(v.endedAt) : '–' },
          { key: 'source', label: t('verify.sourceRows'), children: v.sourceRows == null ? '–' : formatCount(v.sourceRows) },
          { key: 'target', label: t('verify.targetRows'), children: v.targetRows == null ? '–' : formatCount(v.targetRows) },
          {
            key: 'differences',
            label: t('verify.differences'),
            children:
              v.mode === 'content' && v.state === 'SUCCEEDED'
                ? t('verify.counts', { missing: v.missing ?? 0, extra: v.extra ?? 0, different: v.different ?? 0 })
                : '–',
          },
        ]}
      />
      {v.message && <Alert type="error" showIcon style={{ marginTop: 8 }} title={v.message} />}
      {v.notes.map((n, i) => (
        <Typography.Paragraph key={i} type="secondary" style={{ margin: '8px 0 0' }}>
          {n}
        </Typography.Paragraph>
      ))}
      {v.sample.length > 0 && (
        <>
          <Flex justify="space-between" align="center" style={{ margin: '12px 0 4px' }}>
            <Typography.Text strong>{t('verify.sample', { count: v.sample.length })}</Typography.Text>
            <Button size="small" icon={<DownloadOutlined />} href={verificationsApi.reportUrl(v.id)} data-testid="verify-report">
              {t('verify.downloadReport')}
            </Button>
          </Flex>
          {!canReadRows && (
            <Typography.Paragraph type="secondary" style={{ margin: '0 0 8px' }}>
              {t('verify.valuesNotGranted')}
            </Typography.Paragraph>
          )}
          <Table<VerificationDifference>
            size="small"
            rowKey={(d) => d.kind + JSON.stringify(d.key)}
            dataSource={v.sample}
            pagination={false}
            data-testid="verify-sample"
            columns={[
              {
                title: t('verify.kind'),
                dataIndex: 'kind',
                width: 120,
                render: (k: VerificationDifference['kind']) => <Tag>{t(`verify.kind.${k}` as MessageKey)}</Tag>,
              },
              {
                title: t('verify.key'),
                dataIndex: 'key',
                width: 200,
                render: (key: VerificationDifference['key']) => (
                  <Typography.Text code>
                    {Object.entries(key)
                      .map(([k, value]) => `${k}=${value ?? 'NULL'}`)
                      .join(', ')}
                  </Typography.Text>
                ),
              },
              {
                title: t('verify.columns'),
                dataIndex: 'columns',
                render: (columns: VerificationDifference['columns']) =>
                  columns.map((c) => (
                    <div key={c.column}>
                      <Typography.Text strong>{c.column}</Typography.Text>
                      {'source' in c && (
                        <Typography.Text>
                          {': '}
                          {shown(c.source)} → {shown(c.target)}
                        </Typography.Text>
                      )}
                    </div>
                  )),
              },
            ]}
          />
        </>
      )}
    </>
  );
}

/**
 * Starts a verification (Verify) and follows it until it ends, then calls `onDone` with it; the
 * button is busy meanwhile.
 */
export function useVerify(onDone: (v: Verification) => void) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const start = async (begin: () => Promise<Verification>) => {
    setBusy(true);
    try {
      let v = await begin();
      onDone(v);
      while (v.state === 'RUNNING') {
        await new Promise((r) => setTimeout(r, 1000));
        v = await verificationsApi.get(v.id);
      }
      onDone(v);
      if (v.state === 'FAILED') message.error(t('verify.failedMessage', { message: v.message ?? '' }), 8);
      else if (v.equal) message.success(t('verify.equalMessage'));
      else message.warning(t('verify.differsMessage', { missing: v.missing ?? 0, extra: v.extra ?? 0, different: v.different ?? 0 }), 8);
    } catch (e) {
      message.error(problemsOf(e)[0].message, 8);
    } finally {
      setBusy(false);
    }
  };
  return { busy, start };
}

/** The Verify button: compares the target with the source, every row by key. */
export function VerifyButton({ busy, onClick }: { busy: boolean; onClick: () => void }) {
  const t = useT();
  return (
    <Popconfirm title={t('verify.confirm')} onConfirm={onClick}>
      <Button icon={<SafetyCertificateOutlined />} loading={busy} data-testid="verify">
        {t('verify.action')}
      </Button>
    </Popconfirm>
  );
}

/** A task's verifications, newest first, each opening its detail; and its verification schedule. */
export function TaskVerificationsTab({ taskId, version }: { taskId: number; version: number }) {
  const t = useT();
  const { canOperate } = useAuth();
  const list = usePaged((q) => verificationsApi.list({ page: q.page, size: q.size, taskId }), { taskId, version }, { refreshMillis: 5000 });
  return (
    <>
      <VerifyScheduleForm taskId={taskId} editable={canOperate} />
      <Table<Verification>
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={list.pagination}
        locale={{ emptyText: <EmptyState text={t('verify.none')} /> }}
        expandable={{ expandedRowRender: (v) => <VerificationDetail v={v} /> }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          { title: t('verify.result'), key: 'result', width: 120, render: (_, v) => <VerificationTag v={v} /> },
          {
            title: t('verify.trigger'),
            dataIndex: 'trigger',
            width: 120,
            render: (k: Verification['trigger']) => t(`verify.trigger.${k}` as MessageKey),
          },
          {
            title: t('verify.mode'),
            dataIndex: 'mode',
            width: 100,
            render: (m: Verification['mode']) => t(`verify.mode.${m}` as MessageKey),
          },
          {
            title: t('verify.differences'),
            key: 'differences',
            render: (_, v) =>
              v.mode === 'content' && v.state === 'SUCCEEDED'
                ? t('verify.counts', { missing: v.missing ?? 0, extra: v.extra ?? 0, different: v.different ?? 0 })
                : v.state === 'SUCCEEDED'
                  ? t('verify.rowCounts', { source: v.sourceRows ?? '–', target: v.targetRows ?? '–' })
                  : (v.message ?? ''),
          },
          { title: t('run.started'), dataIndex: 'startedAt', width: 180, render: formatTime },
        ]}
      />
    </>
  );
}

function VerifyScheduleForm({ taskId, editable }: { taskId: number; editable: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const [schedule, setSchedule] = useState<VerifySchedule | null>(null);
  const [cron, setCron] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    verificationsApi.schedule(taskId).then(
      (s) => {
        setSchedule(s);
        setCron(s.cron);
      },
      () => setSchedule(null),
    );
  }, [taskId]);

  const save = async () => {
    try {
      const s = await verificationsApi.setSchedule(taskId, { cron });
      setSchedule(s);
      setError(null);
      message.success(t('verify.scheduleSaved'));
    } catch (e) {
      setError(problemsOf(e)[0].message);
    }
  };
  const remove = async () => {
    try {
      await verificationsApi.removeSchedule(taskId);
      setSchedule(null);
      setCron('');
      message.success(t('verify.scheduleRemoved'));
    } catch (e) {
      message.error(problemsOf(e)[0].message);
    }
  };

  return (
    <Flex vertical gap={4} style={{ marginBottom: 12 }}>
      <Typography.Text>
        {schedule ? t('verify.scheduledAt', { cron: schedule.cron, zone: schedule.zone ?? '' }) : t('verify.unscheduled')}
      </Typography.Text>
      {editable && (
        <Space wrap>
          <Input
            style={{ width: 260 }}
            value={cron}
            placeholder="0 30 2 * * ?"
            onChange={(e) => setCron(e.target.value)}
            status={error ? 'error' : undefined}
            data-testid="verify-cron"
          />
          <Button onClick={save} disabled={!cron.trim()}>
            {t('verify.scheduleSave')}
          </Button>
          {schedule && <Button onClick={remove}>{t('verify.scheduleRemove')}</Button>}
        </Space>
      )}
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Typography.Text type="secondary">{t('verify.cronHelp')}</Typography.Text>
    </Flex>
  );
}

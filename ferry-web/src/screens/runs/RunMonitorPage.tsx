import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Col, Flex, Popconfirm, Progress, Row, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { PauseOutlined, CaretRightOutlined, StopOutlined, RedoOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { ApiError, problemsOf } from '../../api/client';
import { useLiveMessages, type ProgressMessage } from '../../api/live';
import { FINAL_RUN_STATES, runsApi, type DirtyRow, type Run } from '../../api/runs';
import { verificationsApi } from '../../api/verifications';
import { useAuth } from '../../auth/AuthProvider';
import { EmptyState } from '../../components/EmptyState';
import { formatBytes, formatCount, formatDuration, formatRate, formatTime } from '../../components/format';
import { LiveChart } from '../../components/LiveChart';
import { StateTag } from '../../components/StateTag';
import { usePaged } from '../../components/usePaged';
import { useT } from '../../i18n';
import { ChangesPanel } from './ChangesPanel';
import { RunLog } from './RunLog';
import { useRerun } from './useRerun';
import { VerificationDetail, VerificationTag, VerifyButton, useVerify } from '../verify/VerificationPanel';

/** Points a chart keeps: the saved history (at most 240) and what arrives live. */
const MAX_POINTS = 600;

type Point = { at: number; rows: number; mb: number };

/**
 * One run, live: state, progress with ETA, rows/s and MB/s charts, splits, log tail and dirty
 * rows, fed by the WebSocket; pause, resume, stop and rerun take effect on screen at once.
 */
export function RunMonitorPage() {
  const t = useT();
  const { message } = App.useApp();
  const { canOperate, canReadRows } = useAuth();
  const id = Number(useParams().id);
  const [run, setRun] = useState<Run | null>(null);
  const [progress, setProgress] = useState<ProgressMessage | null>(null);
  const [points, setPoints] = useState<Point[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rerun = useRerun();
  // A Verify of the run shows as its newest verification while it runs and once it ended.
  const verify = useVerify((v) => setRun((old) => old && { ...old, verification: v }));

  const load = useCallback(() => runsApi.get(id).then(setRun, (e) => setError(problemsOf(e)[0].message)), [id]);

  useEffect(() => {
    setRun(null);
    setProgress(null);
    setPoints([]);
    load();
    // The last saved progress: splits and speeds of a run that ended, a starting point otherwise;
    // with the speeds since the run started, which the charts show before what arrives live.
    runsApi.progress(id).then(
      (p) => {
        setProgress((live) => live ?? p);
        const past: Point[] = (p.history?.points ?? []).map(([at, rows, bytes]) => ({ at, rows, mb: bytes / 1048576 }));
        if (past.length) {
          const last = past[past.length - 1].at;
          setPoints((live) => [...past, ...live.filter((x) => x.at > last)].slice(-MAX_POINTS));
        }
      },
      () => {},
    );
  }, [load, id]);

  // The socket carries the figures; an occasional read keeps the stored fields (end time, message).
  const final = run ? FINAL_RUN_STATES.includes(run.state) : false;
  useEffect(() => {
    if (final) return;
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [final, load]);

  useLiveMessages((m) => {
    if (m.type !== 'progress' || m.runId !== id) return;
    setProgress((old) => ({ ...old, ...m }));
    setRun(
      (old) =>
        old && {
          ...old,
          state: m.state,
          recordsRead: m.recordsRead,
          recordsWritten: m.recordsWritten,
          bytesWritten: m.bytesWritten,
          dirtyRecords: m.dirtyRecords,
          percent: m.percent ?? old.percent,
        },
    );
    if (m.recordsPerSecond != null) {
      setPoints((old) =>
        [...old, { at: Date.now(), rows: m.recordsPerSecond!, mb: m.mbPerSecond ?? (m.bytesPerSecond ?? 0) / 1048576 }].slice(-MAX_POINTS),
      );
    }
    if (FINAL_RUN_STATES.includes(m.state)) load();
  });

  const control = async (name: string, action: () => Promise<Run>) => {
    setBusy(name);
    try {
      setRun(await action());
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e), 8);
      load();
    } finally {
      setBusy(null);
    }
  };

  if (error) return <EmptyState text={error} action={<Link to="/history">{t('nav.history')}</Link>} />;
  if (!run) return null;

  const percent = run.state === 'SUCCEEDED' ? 100 : (progress?.percent ?? run.percent ?? 0);
  const status =
    run.state === 'FAILED' ? 'exception' : run.state === 'SUCCEEDED' ? 'success' : run.state === 'RUNNING' ? 'active' : 'normal';
  const live = !final && progress;
  const running = run.state === 'RUNNING';
  const splits = progress?.splits ?? [];
  const changes = progress?.changes ?? run.changes;

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Flex align="center" gap={12} wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('run.title', { id: run.id })} · {run.taskId ? <Link to={`/tasks/${run.taskId}`}>{run.taskName}</Link> : run.taskName}
          </Typography.Title>
          <StateTag state={run.state} />
          {run.runKey && (
            <Typography.Text type="secondary" copyable>
              {run.runKey}
            </Typography.Text>
          )}
          {run.rerunOf && <Tag>{t('run.rerunOf', { id: run.rerunOf })}</Tag>}
        </Flex>
        {canOperate && (
          <Space>
            {run.state === 'RUNNING' && (
              <Button
                icon={<PauseOutlined />}
                loading={busy === 'pause'}
                onClick={() => control('pause', () => runsApi.pause(id))}
                data-testid="run-pause"
              >
                {t('run.pause')}
              </Button>
            )}
            {run.state === 'PAUSED' && (
              <Button
                type="primary"
                icon={<CaretRightOutlined />}
                loading={busy === 'resume'}
                onClick={() => control('resume', () => runsApi.resume(id))}
                data-testid="run-resume"
              >
                {t('run.resume')}
              </Button>
            )}
            {!final && (
              <Popconfirm
                title={t('run.confirmStop', { id })}
                okButtonProps={{ danger: true }}
                onConfirm={() => control('stop', () => runsApi.stop(id))}
              >
                <Button danger icon={<StopOutlined />} loading={busy === 'stop'} data-testid="run-stop">
                  {t('run.stop')}
                </Button>
              </Popconfirm>
            )}
            {final && (
              <Button icon={<RedoOutlined />} onClick={() => rerun(run)} data-testid="run-rerun">
                {t('run.rerun')}
              </Button>
            )}
            {final && <VerifyButton busy={verify.busy} onClick={() => verify.start(() => verificationsApi.verifyRun(id))} />}
          </Space>
        )}
      </Flex>

      <Card style={{ marginBottom: 16 }}>
        <Flex align="center" gap={24} wrap>
          <div style={{ flex: 1, minWidth: 300 }}>
            <Progress
              percent={Math.round(percent * 10) / 10}
              status={status}
              data-testid="run-progress"
              format={(p) => `${p?.toFixed(1)} %`}
            />
          </div>
          <Typography.Text type="secondary" data-testid="run-eta">
            {running && progress?.etaMillis != null
              ? t('run.eta', { eta: formatDuration(progress.etaMillis) })
              : final
                ? t('run.endedAt', { time: formatTime(run.endedAt) })
                : ''}
          </Typography.Text>
        </Flex>
        {run.message && (
          <Typography.Paragraph
            type={run.state === 'FAILED' ? 'danger' : 'secondary'}
            style={{ margin: '8px 0 0' }}
            data-testid="run-message"
          >
            {run.message}
          </Typography.Paragraph>
        )}
        <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
          <Col xs={12} md={6} xl={3}>
            <Statistic title={t('run.rowsRead')} value={formatCount(run.recordsRead)} />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic title={t('run.rowsWritten')} value={formatCount(run.recordsWritten)} data-testid="run-rows-written" />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic
              title={t('run.dirtyRows')}
              value={formatCount(run.dirtyRecords)}
              styles={{ content: run.dirtyRecords ? { color: '#cf1322' } : undefined }}
            />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic title={t('run.dataWritten')} value={formatBytes(run.bytesWritten)} />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic title={t('run.rowsPerSecond')} value={formatRate(live ? progress.recordsPerSecond : run.recordsPerSecond)} />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic title="MB/s" value={formatRate(live ? progress.mbPerSecond : (run.bytesPerSecond ?? 0) / 1048576)} />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic
              title={t('run.duration')}
              value={formatDuration(live && progress.elapsedMillis != null ? progress.elapsedMillis : run.durationMillis)}
            />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic
              title={t('run.splits')}
              value={progress?.splitsTotal ? `${progress.splitsDone ?? 0} / ${progress.splitsTotal}` : '–'}
            />
          </Col>
        </Row>
      </Card>

      {changes && <ChangesPanel changes={changes} live={!final} />}

      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('run.rowsPerSecond')}>
            {points.length ? (
              <LiveChart series={[{ name: t('run.rowsPerSecond'), points: points.map((p) => [p.at, p.rows]), color: '#1677ff' }]} />
            ) : (
              <EmptyState text={t(final ? 'run.noHistory' : 'run.chartsLive')} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="MB/s">
            {points.length ? (
              <LiveChart unit="MB/s" series={[{ name: 'MB/s', points: points.map((p) => [p.at, p.mb]), color: '#52c41a' }]} />
            ) : (
              <EmptyState text={t(final ? 'run.noHistory' : 'run.chartsLive')} />
            )}
          </Card>
        </Col>
      </Row>

      <Card size="small">
        <Tabs
          items={[
            { key: 'log', label: t('run.log'), children: <RunLog runId={id} follow={!final} /> },
            {
              key: 'splits',
              label: t('run.splitsTab', { count: splits.length }),
              children: (
                <Table
                  size="small"
                  rowKey="id"
                  dataSource={splits}
                  pagination={splits.length > 20 ? { pageSize: 20 } : false}
                  locale={{ emptyText: <EmptyState text={t('run.noSplits')} /> }}
                  columns={[
                    { title: t('run.split'), dataIndex: 'id' },
                    { title: t('run.state'), dataIndex: 'state', render: (s: string) => <Tag>{s}</Tag> },
                    { title: t('run.rowsWritten'), dataIndex: 'recordsWritten', align: 'right', render: formatCount },
                  ]}
                />
              ),
            },
            {
              key: 'verification',
              label: (
                <span data-testid="run-verification-tab">
                  {t('verify.tab')} {run.verification && <VerificationTag v={run.verification} />}
                </span>
              ),
              children: run.verification ? <VerificationDetail v={run.verification} /> : <EmptyState text={t('verify.noneForRun')} />,
            },
            {
              key: 'dirty',
              label: t('run.dirtyTab', { count: run.dirtyRecords }),
              // Dirty rows hold row data: without the grant the server refuses them (403), so the
              // tab says why instead of loading them.
              children: canReadRows ? <DirtyRows runId={id} count={run.dirtyRecords} /> : <EmptyState text={t('run.dirtyNotGranted')} />,
            },
          ]}
        />
      </Card>
    </>
  );
}

function DirtyRows({ runId, count }: { runId: number; count: number }) {
  const t = useT();
  const list = usePaged((q) => runsApi.dirty(runId, q), { runId, count });
  if (count === 0) return <EmptyState text={t('run.noDirty')} />;
  return (
    <Table<DirtyRow>
      size="small"
      rowKey={(_, i) => String(i)}
      loading={list.loading}
      dataSource={list.items}
      pagination={list.pagination}
      columns={[
        { title: t('dirty.time'), dataIndex: 'time', width: 180, render: formatTime },
        { title: t('dirty.location'), dataIndex: 'location', width: 160 },
        { title: t('dirty.column'), dataIndex: 'column', width: 120 },
        { title: t('dirty.value'), dataIndex: 'value', width: 160, ellipsis: true, render: (v: unknown) => (v == null ? '' : String(v)) },
        { title: t('dirty.reason'), dataIndex: 'reason' },
        {
          title: t('dirty.row'),
          dataIndex: 'row',
          ellipsis: true,
          render: (r: unknown) => (r ? <Typography.Text code>{JSON.stringify(r)}</Typography.Text> : null),
        },
      ]}
    />
  );
}

import { useEffect, useRef, useState } from 'react';
import { Card, Col, Flex, List, Row, Segmented, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useLiveMessages, type ServerMessage } from '../../api/live';
import { monitoringApi, type Timeline } from '../../api/monitoring';
import { runsApi, type Run, type RunState } from '../../api/runs';
import { EmptyState } from '../../components/EmptyState';
import { formatBytes, formatRate, formatTime } from '../../components/format';
import { HistoryChart } from '../../components/HistoryChart';
import { LiveChart } from '../../components/LiveChart';
import { LoadGauge } from '../../components/LoadGauge';
import { StateTag } from '../../components/StateTag';
import { useT } from '../../i18n';

const STATES: RunState[] = ['RUNNING', 'QUEUED', 'PAUSED', 'SUCCEEDED', 'FAILED', 'STOPPED'];
const COLORS: Partial<Record<RunState, string>> = { RUNNING: '#1677ff', PAUSED: '#faad14', SUCCEEDED: '#52c41a', FAILED: '#ff4d4f' };
const MAX_POINTS = 180;
const PERIODS = [24, 168, 720];

/** The server at a glance: runs by state, live rows/s of all runs, recent failures, CPU and heap. */
export function DashboardPage() {
  const t = useT();
  const [counts, setCounts] = useState<Partial<Record<RunState, number>>>({});
  const [failures, setFailures] = useState<Run[]>([]);
  const [server, setServer] = useState<ServerMessage | null>(null);
  const [rows, setRows] = useState<[number, number][]>([]);
  const [cpu, setCpu] = useState<{ process: [number, number][]; system: [number, number][] }>({ process: [], system: [] });
  // Each executing run's latest rows/s; the server's tick (every second) sums them into the chart.
  const rates = useRef(new Map<number, { rate: number; at: number }>());
  const [hours, setHours] = useState(24);
  const [timeline, setTimeline] = useState<Timeline | null>(null);

  useEffect(() => {
    const load = () => monitoringApi.history(hours).then(setTimeline, () => {});
    load();
    const timer = setInterval(load, 60_000);
    return () => clearInterval(timer);
  }, [hours]);

  useEffect(() => {
    const load = () => {
      Promise.all(STATES.map((s) => runsApi.list({ state: s, page: 0, size: 1 }).then((p) => [s, p.total] as const)))
        .then((pairs) => setCounts(Object.fromEntries(pairs)))
        .catch(() => {});
      runsApi.list({ state: 'FAILED', page: 0, size: 5 }).then(
        (p) => setFailures(p.items),
        () => {},
      );
    };
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, []);

  useLiveMessages((m) => {
    const now = Date.now();
    if (m.type === 'progress') {
      if (m.state === 'RUNNING' && m.recordsPerSecond != null) rates.current.set(m.runId, { rate: m.recordsPerSecond, at: now });
      else rates.current.delete(m.runId);
    } else if (m.type === 'server') {
      setServer(m);
      let total = 0;
      rates.current.forEach((r, runId) => {
        if (now - r.at > 3000) rates.current.delete(runId);
        else total += r.rate;
      });
      setRows((old) => [...old, [now, total] as [number, number]].slice(-MAX_POINTS));
      setCpu((old) => ({
        process: [...old.process, [now, 100 * (m.processCpuLoad ?? 0)] as [number, number]].slice(-MAX_POINTS),
        system: [...old.system, [now, 100 * (m.systemCpuLoad ?? 0)] as [number, number]].slice(-MAX_POINTS),
      }));
    }
  });

  const heapPercent = server && server.heapMax > 0 ? (100 * server.heapUsed) / server.heapMax : 0;
  const currentRows = rows.length ? rows[rows.length - 1][1] : 0;

  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.dashboard')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {STATES.map((s) => (
          <Col key={s} xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic
                title={<StateTag state={s} />}
                value={counts[s] ?? '–'}
                styles={{ content: { color: COLORS[s] } }}
                data-testid={`count-${s}`}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={16}>
          <Card
            size="small"
            title={t('dashboard.totalRows')}
            extra={
              <Typography.Text strong>
                {formatRate(currentRows)} {t('dashboard.rowsPerSecond')}
              </Typography.Text>
            }
          >
            <LiveChart series={[{ name: t('dashboard.rowsPerSecond'), points: rows, color: '#1677ff' }]} height={260} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('dashboard.server')} style={{ height: '100%' }}>
            {server ? (
              <Flex vertical gap={12}>
                <Flex justify="space-around">
                  <Flex vertical align="center">
                    <LoadGauge percent={100 * (server.processCpuLoad ?? 0)} testId="cpu-process" />
                    <Typography.Text type="secondary">{t('dashboard.processCpu')}</Typography.Text>
                  </Flex>
                  <Flex vertical align="center">
                    <LoadGauge percent={100 * (server.systemCpuLoad ?? 0)} testId="cpu-system" />
                    <Typography.Text type="secondary">{t('dashboard.systemCpu', { cores: server.availableProcessors })}</Typography.Text>
                  </Flex>
                </Flex>
                <div>
                  <Typography.Text type="secondary">
                    {t('dashboard.heap', { used: formatBytes(server.heapUsed), max: formatBytes(server.heapMax) })}
                  </Typography.Text>
                  <LoadGauge type="line" percent={heapPercent} testId="heap" />
                </div>
                <Row>
                  <Col span={8}>
                    <Statistic title={t('dashboard.executing')} value={server.runsExecuting} />
                  </Col>
                  <Col span={8}>
                    <Statistic title={t('dashboard.queued')} value={server.runsQueued} />
                  </Col>
                  <Col span={8}>
                    <Statistic title={t('dashboard.threads')} value={server.threads} />
                  </Col>
                </Row>
              </Flex>
            ) : (
              <EmptyState text={t('dashboard.waiting')} />
            )}
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col span={24}>
          <Card
            size="small"
            title={t('monitoring.history')}
            extra={
              <Segmented
                size="small"
                value={hours}
                onChange={(v) => setHours(v as number)}
                options={PERIODS.map((h) => ({
                  value: h,
                  label: h <= 24 ? t('monitoring.hours', { hours: h }) : t('monitoring.days', { days: h / 24 }),
                }))}
              />
            }
          >
            <HistoryChart buckets={timeline?.buckets ?? []} />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('dashboard.failures')}>
            <List
              dataSource={failures}
              locale={{ emptyText: <EmptyState text={t('dashboard.noFailures')} /> }}
              renderItem={(r) => (
                <List.Item extra={<Typography.Text type="secondary">{formatTime(r.endedAt ?? r.createdAt)}</Typography.Text>}>
                  <List.Item.Meta
                    title={
                      <Link to={`/runs/${r.id}`}>
                        #{r.id} · {r.taskName}
                      </Link>
                    }
                    description={
                      <Typography.Text type="danger" ellipsis={{ tooltip: r.message }}>
                        {r.message ?? '–'}
                      </Typography.Text>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('dashboard.cpu')}>
            <LiveChart
              unit="%"
              max={100}
              series={[
                { name: t('dashboard.processCpu'), points: cpu.process, color: '#1677ff' },
                { name: t('dashboard.systemCpuShort'), points: cpu.system, color: '#722ed1' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}

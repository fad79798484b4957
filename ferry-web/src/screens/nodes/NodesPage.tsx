import { useEffect, useState } from 'react';
import { Card, Col, Empty, Flex, Row, Segmented, Select, Tag, Typography } from 'antd';
import { nodesApi, type ClusterNode, type NodeSample } from '../../api/nodes';
import { formatTime } from '../../components/format';
import { LiveChart } from '../../components/LiveChart';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';

const HOURS = [1, 6, 24, 168];

/** The server nodes, and one node's CPU, memory and runs over the last hours (its saved samples). */
export function NodesPage() {
  const t = useT();
  const [nodes, setNodes] = useState<ClusterNode[]>([]);
  const [node, setNode] = useState<string>();
  const [hours, setHours] = useState(6);
  const [samples, setSamples] = useState<NodeSample[]>([]);

  useEffect(() => {
    nodesApi.list().then((list) => {
      setNodes(list);
      setNode((current) => current ?? list.find((n) => n.alive)?.node ?? list[0]?.node);
    });
  }, []);

  useEffect(() => {
    if (!node) return;
    const load = () => nodesApi.samples(node, hours).then(setSamples, () => {});
    load();
    const timer = setInterval(load, 60_000);
    return () => clearInterval(timer);
  }, [node, hours]);

  const at = (s: NodeSample) => new Date(s.at).getTime();
  const percent = (v: number | null) => (v == null || Number.isNaN(v) ? 0 : v * 100);
  const mb = (v: number) => v / (1024 * 1024);
  const current = nodes.find((n) => n.node === node);

  return (
    <>
      <PageHeader
        title={t('nav.nodes')}
        extra={
          <>
            <Select
              style={{ minWidth: 240 }}
              value={node}
              onChange={setNode}
              options={nodes.map((n) => ({
                value: n.node,
                label: `${n.node}${n.group ? ` · ${n.group}` : ''}${n.alive ? '' : ` (${t('nodes.down')})`}`,
              }))}
              data-testid="node-select"
            />
            <Segmented
              value={hours}
              onChange={(v) => setHours(v as number)}
              options={HOURS.map((h) => ({ value: h, label: t('nodes.hours', { hours: h }) }))}
            />
          </>
        }
      />
      {current && (
        <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
          <Tag color={current.alive ? 'green' : 'red'}>{current.alive ? t('nodes.alive') : t('nodes.down')}</Tag>
          {current.group && (
            <Typography.Text data-testid="node-group">
              {t('nodes.group')}: <Tag>{current.group}</Tag>
            </Typography.Text>
          )}
          <Typography.Text type="secondary">
            {t('nodes.heartbeat')}: {formatTime(current.heartbeatAt)}
          </Typography.Text>
        </Flex>
      )}
      {samples.length === 0 ? (
        <Empty description={t('nodes.noSamples')} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card title={t('nodes.cpu')} size="small">
              <LiveChart
                unit="%"
                max={100}
                series={[
                  { name: t('dashboard.processCpu'), points: samples.map((s) => [at(s), percent(s.processCpu)]) },
                  { name: t('dashboard.systemCpuShort'), points: samples.map((s) => [at(s), percent(s.systemCpu)]) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('nodes.memory')} size="small">
              <LiveChart
                unit="MB"
                series={[
                  { name: t('nodes.heap'), points: samples.map((s) => [at(s), mb(s.heapUsed)]) },
                  { name: t('nodes.rss'), points: samples.filter((s) => s.rss >= 0).map((s) => [at(s), mb(s.rss)]) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('nodes.runs')} size="small">
              <LiveChart
                series={[
                  { name: t('dashboard.executing'), points: samples.map((s) => [at(s), s.runsExecuting]) },
                  { name: t('dashboard.queued'), points: samples.map((s) => [at(s), s.runsQueued]) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('dashboard.threads')} size="small">
              <LiveChart series={[{ name: t('dashboard.threads'), points: samples.map((s) => [at(s), s.threads]) }]} />
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}

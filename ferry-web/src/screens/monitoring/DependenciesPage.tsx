import { useEffect, useMemo, useState } from 'react';
import { Button, Card, Drawer, Flex, Space, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { problemsOf } from '../../api/client';
import { useLiveMessages } from '../../api/live';
import { monitoringApi, type DependencyGraph, type GraphNode } from '../../api/monitoring';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { StateTag } from '../../components/StateTag';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { InstancesTable } from '../history/InstancesTable';
import { DependencyChart, STATE_COLORS } from './DependencyChart';

/**
 * The scheduled tasks and the upstream tasks they wait for (seed 003), each coloured by its latest
 * instance; a click shows the task's instances with their logs and rerun.
 */
export function DependenciesPage() {
  const t = useT();
  const [graph, setGraph] = useState<DependencyGraph | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<number | null>(null);

  const load = () =>
    monitoringApi.dependencies().then((g) => {
      setGraph(g);
      setError(null);
    }, setError);
  useEffect(() => {
    load();
  }, []);
  // An instance that changes state recolours its node.
  useLiveMessages((m) => m.type === 'instance' && load());

  const stateLabel = (n: GraphNode) => (n.latestState ? t(`state.${n.latestState}` as MessageKey) : t('deps.noInstance'));
  const node = graph?.nodes.find((n) => n.taskId === selected);
  const filter = useMemo(() => ({ taskId: selected ?? undefined }), [selected]);

  return (
    <>
      <PageHeader
        title={t('nav.dependencies')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={load}>
            {t('sync.refresh')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('deps.intro')}</Typography.Paragraph>
      {error != null && (
        <Typography.Paragraph type="danger" role="alert">
          {problemsOf(error)[0].message}
        </Typography.Paragraph>
      )}
      <Card size="small">
        {graph && graph.nodes.length ? (
          <>
            <Flex gap={8} wrap style={{ marginBottom: 8 }}>
              {Object.entries(STATE_COLORS).map(([state, color]) => (
                <Tag key={state} color={color}>
                  {t(`state.${state}` as MessageKey)}
                </Tag>
              ))}
              <Tag>{t('deps.noInstance')}</Tag>
            </Flex>
            <DependencyChart graph={graph} stateLabel={stateLabel} onSelect={setSelected} />
            <Flex gap={4} wrap data-testid="dependency-nodes" style={{ marginTop: 8 }}>
              {graph.nodes.map((n) => (
                <Button
                  key={n.taskId}
                  size="small"
                  type={n.taskId === selected ? 'primary' : 'default'}
                  onClick={() => setSelected(n.taskId)}
                >
                  {n.name}
                </Button>
              ))}
            </Flex>
          </>
        ) : (
          <EmptyState text={t('deps.empty')} />
        )}
      </Card>
      <Drawer
        open={node != null}
        size={900}
        onClose={() => setSelected(null)}
        title={
          node && (
            <Space>
              <Link to={`/tasks/${node.taskId}`}>{node.name}</Link>
              {node.latestState && <StateTag state={node.latestState} />}
              {!node.online && <Tag>{t(node.scheduled ? 'deps.offline' : 'deps.unscheduled')}</Tag>}
            </Space>
          )
        }
      >
        {node && (
          <>
            <Typography.Paragraph type="secondary">
              {t('deps.upstream')}:{' '}
              {graph!.edges
                .filter((e) => e.taskId === node.taskId)
                .map((e) => graph!.nodes.find((n) => n.taskId === e.upstreamTaskId)?.name)
                .join(', ') || '–'}
            </Typography.Paragraph>
            <InstancesTable filter={filter} showTask={false} />
          </>
        )}
      </Drawer>
    </>
  );
}

import { useRef } from 'react';
import { Card, Col, Progress, Row, Statistic, Table, Tag, Typography } from 'antd';
import type { ChangeFigures, ChangeTable } from '../../api/live';
import { formatCount, formatDuration, formatRate } from '../../components/format';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

/** Changes per second of each table, from two consecutive figures. */
export function changeRates(
  before: { at: number; changes: ChangeFigures } | null,
  now: { at: number; changes: ChangeFigures },
): Map<string, number> {
  const rates = new Map<string, number>();
  if (!before || now.at <= before.at) return rates;
  const seconds = (now.at - before.at) / 1000;
  const old = new Map(before.changes.tables.map((t) => [t.table, applied(t)]));
  for (const t of now.changes.tables) {
    const was = old.get(t.table);
    if (was != null) rates.set(t.table, Math.max(0, applied(t) - was) / seconds);
  }
  return rates;
}

function applied(t: ChangeTable): number {
  return t.inserts + t.updates + t.deletes;
}

/**
 * A `kind: cdc` run's figures: phase, the log position of its last checkpoint, lag, changes applied,
 * and per table its snapshot and the inserts, updates and deletes flushed to the target. While the
 * run is live, each table's changes per second come from the figures' growth between messages.
 */
export function ChangesPanel({ changes, live }: { changes: ChangeFigures; live: boolean }) {
  const t = useT();
  const previous = useRef<{ at: number; changes: ChangeFigures } | null>(null);
  const rates = useRef<Map<string, number>>(new Map());
  if (previous.current?.changes !== changes) {
    const now = { at: Date.now(), changes };
    rates.current = live ? changeRates(previous.current, now) : new Map();
    previous.current = now;
  }
  return (
    <Card size="small" title={t('cdc.title')} style={{ marginBottom: 16 }} data-testid="cdc-panel">
      <Row gutter={[16, 16]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={6}>
          <Statistic
            title={t('cdc.phase')}
            valueRender={() => (
              <Tag color={changes.phase === 'STREAMING' ? 'green' : 'blue'} data-testid="cdc-phase">
                {t(`cdc.phase.${changes.phase}` as MessageKey)}
              </Tag>
            )}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('cdc.lag')} valueRender={() => <span data-testid="cdc-lag">{formatDuration(changes.lagMillis)}</span>} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('cdc.applied')} value={formatCount(changes.changesApplied)} />
        </Col>
        <Col xs={24} md={6}>
          <Statistic
            title={t('cdc.position')}
            valueRender={() => (
              <Typography.Text copyable={!!changes.position} data-testid="cdc-position">
                {changes.position ?? '–'}
              </Typography.Text>
            )}
          />
        </Col>
      </Row>
      <Table<ChangeTable>
        size="small"
        rowKey="table"
        dataSource={changes.tables}
        pagination={changes.tables.length > 20 ? { pageSize: 20 } : false}
        columns={[
          { title: t('cdc.table'), dataIndex: 'table' },
          {
            title: t('cdc.snapshot'),
            dataIndex: 'snapshot',
            render: (_: unknown, row) =>
              row.snapshot === 'RUNNING' && row.snapshotPercent >= 0 ? (
                <Progress percent={Math.round(row.snapshotPercent * 10) / 10} size="small" style={{ minWidth: 120 }} />
              ) : (
                <Tag color={row.snapshot === 'DONE' ? 'green' : undefined}>
                  {row.snapshot ? t(`cdc.snapshot.${row.snapshot}` as MessageKey) : '–'}
                </Tag>
              ),
          },
          { title: t('cdc.snapshotRows'), dataIndex: 'snapshotRows', align: 'right', render: formatCount },
          { title: t('cdc.inserts'), dataIndex: 'inserts', align: 'right', render: formatCount },
          { title: t('cdc.updates'), dataIndex: 'updates', align: 'right', render: formatCount },
          { title: t('cdc.deletes'), dataIndex: 'deletes', align: 'right', render: formatCount },
          {
            title: t('cdc.perSecond'),
            key: 'rate',
            align: 'right',
            render: (_: unknown, row) => (rates.current.has(row.table) ? formatRate(rates.current.get(row.table)) : '–'),
          },
          { title: t('cdc.lag'), dataIndex: 'lagMillis', align: 'right', render: (ms: number) => formatDuration(ms) },
        ]}
      />
    </Card>
  );
}

import { useRef, useState } from 'react';
import { Button, Flex, Tag, Tooltip, Typography } from 'antd';
import { ClearOutlined, LinkOutlined, WarningOutlined } from '@ant-design/icons';
import type { Pair } from '../../../api/tasks';
import { useT } from '../../../i18n';
import { compatibility, type Compatibility } from './typeCompatibility';

export interface MappingColumn {
  name: string;
  /** Ferry's type, e.g. int64 or decimal(12,2) */
  type?: string;
  nativeType?: string;
}

interface Props {
  sourceColumns: MappingColumn[];
  targetColumns: MappingColumn[];
  value: Pair[];
  onChange: (pairs: Pair[]) => void;
}

// Fixed geometry: line ends follow from row indexes alone, with no layout measuring.
const COLUMN_WIDTH = 300;
const GAP = 180;
const HEADER = 40;
const ROW = 36;
const WIDTH = COLUMN_WIDTH * 2 + GAP;

const rowCenter = (index: number) => HEADER + index * ROW + ROW / 2;

const COLORS: Record<Compatibility, string> = { ok: '#1677ff', lossy: '#fa8c16', incompatible: '#ff4d4f' };

/** Pairs ordered as the target's columns, each target column fed by at most one source column. */
export function link(pairs: Pair[], from: string, to: string, targetColumns: MappingColumn[]): Pair[] {
  const next = [...pairs.filter((p) => p.to !== to), { from, to }];
  const order = (name: string) => targetColumns.findIndex((c) => c.name === name);
  return next.sort((a, b) => order(a.to) - order(b.to));
}

/**
 * Links every target column to the source column of the same name (exact, else ignoring case);
 * links of target columns without such a source column stay.
 */
export function sameNameMapping(pairs: Pair[], sourceColumns: MappingColumn[], targetColumns: MappingColumn[]): Pair[] {
  let next = pairs;
  for (const target of targetColumns) {
    const source =
      sourceColumns.find((s) => s.name === target.name) ?? sourceColumns.find((s) => s.name.toLowerCase() === target.name.toLowerCase());
    if (source) next = link(next, source.name, target.name, targetColumns);
  }
  return next;
}

/**
 * The field-mapping canvas: source columns on the left, target columns on the right, a line per
 * link. "Same-name mapping" links all equal names; drag from a source column to a target column
 * (or click one, then the other) to link; click a line to unlink. Each column shows its type; a
 * link between types that cannot convert is red, one that may lose data orange.
 */
export function MappingCanvas({ sourceColumns, targetColumns, value, onChange }: Props) {
  const t = useT();
  const canvas = useRef<HTMLDivElement>(null);
  const [dragFrom, setDragFrom] = useState<string | null>(null);
  const [pointer, setPointer] = useState<{ x: number; y: number } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const sourceIndex = (name: string) => sourceColumns.findIndex((c) => c.name === name);
  const targetIndex = (name: string) => targetColumns.findIndex((c) => c.name === name);
  const typeOf = (columns: MappingColumn[], name: string) => columns.find((c) => c.name === name)?.type;
  const compat = (p: Pair) => compatibility(typeOf(sourceColumns, p.from), typeOf(targetColumns, p.to));
  const shown = value.filter((p) => sourceIndex(p.from) >= 0 && targetIndex(p.to) >= 0);
  const height = HEADER + Math.max(sourceColumns.length, targetColumns.length, 1) * ROW;
  const flagged = shown.filter((p) => compat(p) === 'incompatible').length;

  const connect = (from: string, to: string) => {
    onChange(link(value, from, to, targetColumns));
    setSelected(null);
  };

  const endDrag = () => {
    setDragFrom(null);
    setPointer(null);
  };

  const onMouseMove = (e: React.MouseEvent) => {
    if (!dragFrom || !canvas.current) return;
    const box = canvas.current.getBoundingClientRect();
    setPointer({ x: e.clientX - box.left, y: e.clientY - box.top });
  };

  const curve = (y1: number, x2: number, y2: number) =>
    `M ${COLUMN_WIDTH} ${y1} C ${COLUMN_WIDTH + GAP / 2} ${y1}, ${x2 - GAP / 2} ${y2}, ${x2} ${y2}`;

  const cell = (active: boolean): React.CSSProperties => ({
    height: ROW,
    padding: '0 12px',
    borderBottom: '1px solid #f0f0f0',
    background: active ? '#e6f4ff' : undefined,
    cursor: 'pointer',
    userSelect: 'none',
  });

  const columnType = (c: MappingColumn) => (
    <Tooltip title={c.nativeType}>
      <Tag style={{ marginInlineEnd: 0 }}>{c.type ?? '?'}</Tag>
    </Tooltip>
  );

  return (
    <div>
      <Flex gap={8} align="center" style={{ marginBottom: 12 }} wrap>
        <Button
          icon={<LinkOutlined />}
          onClick={() => onChange(sameNameMapping(value, sourceColumns, targetColumns))}
          data-testid="mapping-same-name"
        >
          {t('mapping.sameName')}
        </Button>
        <Button icon={<ClearOutlined />} onClick={() => onChange([])} disabled={!value.length} data-testid="mapping-clear">
          {t('mapping.clear')}
        </Button>
        <Typography.Text type="secondary">{t('mapping.hint')}</Typography.Text>
      </Flex>
      <div
        ref={canvas}
        style={{ position: 'relative', width: WIDTH, height, border: '1px solid #f0f0f0', borderRadius: 8, overflow: 'hidden' }}
        onMouseMove={onMouseMove}
        onMouseUp={endDrag}
        onMouseLeave={endDrag}
        data-testid="mapping-canvas"
      >
        <div style={{ position: 'absolute', left: 0, top: 0, width: COLUMN_WIDTH }}>
          <Flex align="center" style={{ height: HEADER, padding: '0 12px', background: '#fafafa', fontWeight: 600 }}>
            {t('mapping.source', { count: sourceColumns.length })}
          </Flex>
          {sourceColumns.map((c) => (
            <Flex
              key={c.name}
              align="center"
              justify="space-between"
              gap={8}
              style={cell(selected === c.name || dragFrom === c.name)}
              data-testid={`source-col-${c.name}`}
              onMouseDown={(e) => {
                e.preventDefault();
                setDragFrom(c.name);
              }}
              onClick={() => setSelected(selected === c.name ? null : c.name)}
            >
              <Typography.Text ellipsis>{c.name}</Typography.Text>
              <Flex gap={8} align="center">
                {columnType(c)}
                <span style={{ width: 10, height: 10, borderRadius: 5, background: '#1677ff', display: 'inline-block' }} />
              </Flex>
            </Flex>
          ))}
        </div>
        <div style={{ position: 'absolute', left: COLUMN_WIDTH + GAP, top: 0, width: COLUMN_WIDTH }}>
          <Flex align="center" style={{ height: HEADER, padding: '0 12px', background: '#fafafa', fontWeight: 600 }}>
            {t('mapping.target', { count: targetColumns.length })}
          </Flex>
          {targetColumns.map((c) => {
            const pair = shown.find((p) => p.to === c.name);
            const state = pair ? compat(pair) : 'ok';
            return (
              <Flex
                key={c.name}
                align="center"
                justify="space-between"
                gap={8}
                style={cell(false)}
                data-testid={`target-col-${c.name}`}
                data-compat={pair ? state : undefined}
                onMouseUp={() => {
                  if (dragFrom) connect(dragFrom, c.name);
                  endDrag();
                }}
                onClick={() => selected && connect(selected, c.name)}
              >
                <Flex gap={8} align="center" style={{ minWidth: 0 }}>
                  <span
                    style={{
                      width: 10,
                      height: 10,
                      borderRadius: 5,
                      background: pair ? COLORS[state] : '#d9d9d9',
                      display: 'inline-block',
                      flex: 'none',
                    }}
                  />
                  <Typography.Text ellipsis>{c.name}</Typography.Text>
                </Flex>
                <Flex gap={6} align="center">
                  {pair && state !== 'ok' && (
                    <Tooltip
                      title={t(state === 'incompatible' ? 'mapping.incompatible' : 'mapping.lossy', {
                        from: typeOf(sourceColumns, pair.from) ?? '?',
                        to: c.type ?? '?',
                      })}
                    >
                      <WarningOutlined style={{ color: COLORS[state] }} data-testid={`flag-${c.name}`} aria-label={state} />
                    </Tooltip>
                  )}
                  {columnType(c)}
                </Flex>
              </Flex>
            );
          })}
        </div>
        <svg width={WIDTH} height={height} style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none' }}>
          {shown.map((p) => {
            const state = compat(p);
            const d = curve(rowCenter(sourceIndex(p.from)), COLUMN_WIDTH + GAP, rowCenter(targetIndex(p.to)));
            return (
              <g key={`${p.from}->${p.to}`}>
                <path
                  d={d}
                  fill="none"
                  stroke={COLORS[state]}
                  strokeWidth={2}
                  strokeDasharray={state === 'incompatible' ? '6 4' : undefined}
                />
                <path
                  d={d}
                  fill="none"
                  stroke="transparent"
                  strokeWidth={12}
                  style={{ pointerEvents: 'stroke', cursor: 'pointer' }}
                  data-testid={`link-${p.from}-${p.to}`}
                  data-compat={state}
                  onClick={() => onChange(value.filter((x) => x !== p))}
                >
                  <title>{t('mapping.unlink', { from: p.from, to: p.to })}</title>
                </path>
              </g>
            );
          })}
          {dragFrom && pointer && (
            <path
              d={curve(rowCenter(sourceIndex(dragFrom)), pointer.x, pointer.y)}
              fill="none"
              stroke="#1677ff"
              strokeWidth={2}
              strokeDasharray="4 4"
            />
          )}
        </svg>
      </div>
      <Typography.Paragraph type={flagged ? 'danger' : 'secondary'} style={{ marginTop: 8 }} data-testid="mapping-summary">
        {value.length
          ? t('mapping.summary', { linked: shown.length, total: targetColumns.length }) +
            (flagged ? ` · ${t('mapping.flagged', { count: flagged })}` : '')
          : t('mapping.none')}
      </Typography.Paragraph>
    </div>
  );
}

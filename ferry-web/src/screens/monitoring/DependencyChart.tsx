import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { GraphChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { DependencyGraph, GraphNode } from '../../api/monitoring';
import { layers } from './layers';

echarts.use([GraphChart, TooltipComponent, CanvasRenderer]);

/** The colour of a node: its latest instance's state. */
export const STATE_COLORS: Record<string, string> = {
  SUCCEEDED: '#52c41a',
  FAILED: '#ff4d4f',
  TIMED_OUT: '#ff4d4f',
  RUNNING: '#1677ff',
  WAITING: '#faad14',
  STOPPED: '#8c8c8c',
  SKIPPED: '#bfbfbf',
};
const NONE = '#d9d9d9';

/** The tasks as boxes in dependency columns, arrows from upstream to downstream; a click selects. */
export function DependencyChart({
  graph,
  stateLabel,
  onSelect,
}: {
  graph: DependencyGraph;
  stateLabel: (n: GraphNode) => string;
  onSelect: (taskId: number) => void;
}) {
  const places = layers(graph);
  const rows = Math.max(1, ...[...places.values()].map((p) => p.row + 1));
  return (
    <ReactEChartsCore
      echarts={echarts}
      notMerge
      style={{ height: Math.max(320, rows * 80 + 80) }}
      onEvents={{
        click: (e: { dataType?: string; data?: { id?: string } }) => e.dataType === 'node' && e.data?.id && onSelect(Number(e.data.id)),
      }}
      option={{
        animation: false,
        tooltip: { formatter: (p: { dataType: string; data: { tip?: string } }) => (p.dataType === 'node' ? (p.data.tip ?? '') : '') },
        series: [
          {
            type: 'graph',
            layout: 'none',
            roam: true,
            symbol: 'roundRect',
            symbolSize: [180, 40],
            edgeSymbol: ['none', 'arrow'],
            edgeSymbolSize: 10,
            label: { show: true, color: '#fff', width: 168, overflow: 'truncate' },
            lineStyle: { color: '#8c8c8c', width: 1.5, curveness: 0.1 },
            data: graph.nodes.map((n) => {
              const p = places.get(n.taskId)!;
              return {
                id: String(n.taskId),
                name: n.name,
                x: p.column * 260,
                y: p.row * 80,
                tip: `${n.name} · ${stateLabel(n)}`,
                itemStyle: { color: n.latestState ? (STATE_COLORS[n.latestState] ?? NONE) : NONE, opacity: n.online ? 1 : 0.6 },
                label: { color: n.latestState ? '#fff' : '#262626' },
              };
            }),
            links: graph.edges.map((e) => ({ source: String(e.upstreamTaskId), target: String(e.taskId) })),
          },
        ],
      }}
    />
  );
}

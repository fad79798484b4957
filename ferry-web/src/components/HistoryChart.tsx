import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { HistoryBucket } from '../api/monitoring';
import { useT } from '../i18n';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/** Runs that ended per interval (stacked by result) and the rows they wrote (line, right axis). */
export function HistoryChart({ buckets, height = 260 }: { buckets: HistoryBucket[]; height?: number }) {
  const t = useT();
  const at = (b: HistoryBucket) => new Date(b.start).getTime();
  const bars = (name: string, color: string, value: (b: HistoryBucket) => number) => ({
    name,
    type: 'bar',
    stack: 'runs',
    color,
    data: buckets.map((b) => [at(b), value(b)]),
  });
  return (
    <ReactEChartsCore
      echarts={echarts}
      notMerge
      style={{ height }}
      option={{
        animation: false,
        grid: { left: 48, right: 64, top: 32, bottom: 28 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'time', splitLine: { show: false }, axisLabel: { hideOverlap: true } },
        yAxis: [
          { type: 'value', min: 0, minInterval: 1, name: t('monitoring.runs') },
          { type: 'value', min: 0, name: t('monitoring.rows'), splitLine: { show: false } },
        ],
        series: [
          bars(t('state.SUCCEEDED'), '#52c41a', (b) => b.succeeded),
          bars(t('state.FAILED'), '#ff4d4f', (b) => b.failed),
          bars(t('state.STOPPED'), '#bfbfbf', (b) => b.stopped),
          {
            name: t('monitoring.rowsWritten'),
            type: 'line',
            yAxisIndex: 1,
            color: '#1677ff',
            showSymbol: false,
            data: buckets.map((b) => [at(b), b.recordsWritten]),
          },
        ],
      }}
    />
  );
}

import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface Series {
  name: string;
  /** [epoch millis, value] */
  points: [number, number][];
  color?: string;
}

/** For points all at one time, a minute's axis around it (else ECharts spans days). */
function around(series: Series[]): { min?: number; max?: number } {
  const times = series.flatMap((s) => s.points.map((p) => p[0]));
  if (!times.length || Math.min(...times) !== Math.max(...times)) return {};
  return { min: times[0] - 30_000, max: times[0] + 30_000 };
}

/** A time line of live figures (rows/s, MB/s, CPU...), redrawn as points arrive. */
export function LiveChart({ series, height = 220, unit, max }: { series: Series[]; height?: number; unit?: string; max?: number }) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      notMerge={false}
      lazyUpdate
      style={{ height }}
      option={{
        animation: false,
        grid: { left: 56, right: 16, top: series.length > 1 ? 32 : 16, bottom: 28 },
        legend: series.length > 1 ? { top: 0 } : undefined,
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${Number(v).toFixed(1)}${unit ? ` ${unit}` : ''}` },
        xAxis: {
          type: 'time',
          ...around(series),
          minInterval: 1000,
          splitLine: { show: false },
          axisLabel: { formatter: '{HH}:{mm}:{ss}', hideOverlap: true },
        },
        yAxis: { type: 'value', min: 0, max, axisLabel: { formatter: (v: number) => `${v}${unit && unit.length <= 2 ? unit : ''}` } },
        series: series.map((s) => ({
          name: s.name,
          type: 'line',
          // A lone point (a run shorter than a second) draws no line: show it as a dot.
          showSymbol: s.points.length < 2,
          areaStyle: { opacity: 0.12 },
          color: s.color,
          data: s.points,
        })),
      }}
    />
  );
}

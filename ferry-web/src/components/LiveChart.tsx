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
          minInterval: 1000,
          splitLine: { show: false },
          axisLabel: { formatter: '{HH}:{mm}:{ss}', hideOverlap: true },
        },
        yAxis: { type: 'value', min: 0, max, axisLabel: { formatter: (v: number) => `${v}${unit && unit.length <= 2 ? unit : ''}` } },
        series: series.map((s) => ({
          name: s.name,
          type: 'line',
          showSymbol: false,
          areaStyle: { opacity: 0.12 },
          color: s.color,
          data: s.points,
        })),
      }}
    />
  );
}

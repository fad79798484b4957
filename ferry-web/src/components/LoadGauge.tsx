import { Progress } from 'antd';

/** A load's colour by its level: blue while it is low, orange from 60 %, red from 85 %. */
export function loadColor(percent: number): string {
  return percent >= 85 ? '#ff4d4f' : percent >= 60 ? '#faad14' : '#1677ff';
}

/**
 * A load (CPU, heap) in percent as a gauge or a bar, coloured by its level. The status stays
 * "normal" and the text is the number: a load at 100 % is no success, so never a green tick.
 */
export function LoadGauge({ percent, type = 'dashboard', testId }: { percent: number; type?: 'dashboard' | 'line'; testId?: string }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <Progress
      type={type}
      size={type === 'dashboard' ? 110 : undefined}
      percent={value}
      status="normal"
      strokeColor={loadColor(value)}
      format={(p) => `${p}%`}
      data-testid={testId}
      data-level={value >= 85 ? 'high' : value >= 60 ? 'raised' : 'low'}
    />
  );
}

import { act, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { LiveMessage, ServerMessage } from '../../api/live';
import { renderScreen } from '../../test-utils';
import { DashboardPage } from './DashboardPage';

let deliver: (m: LiveMessage) => void = () => {};
vi.mock('../../api/live', () => ({
  useLiveMessages: (handler: (m: LiveMessage) => void) => {
    deliver = handler;
  },
}));
vi.mock('../../api/runs', () => ({ runsApi: { list: async () => ({ items: [], total: 0, page: 0, size: 1 }) } }));
// Charts draw on a canvas, which jsdom does not have.
vi.mock('../../components/LiveChart', () => ({ LiveChart: () => <div /> }));
vi.mock('../../components/HistoryChart', () => ({ HistoryChart: () => <div /> }));
vi.mock('../../api/monitoring', () => ({ monitoringApi: { history: async () => ({ bucketMinutes: 30, buckets: [] }) } }));

const server = (processCpuLoad: number, systemCpuLoad: number, heapUsed: number): ServerMessage => ({
  type: 'server',
  time: '2030-01-01T00:00:00Z',
  processCpuLoad,
  systemCpuLoad,
  availableProcessors: 2,
  heapUsed,
  heapMax: 1000,
  threads: 40,
  runsExecuting: 1,
  runsQueued: 0,
});

describe('DashboardPage', () => {
  it('draws a load at 100 % as a full, red gauge with its number, never a green tick', async () => {
    renderScreen(<DashboardPage />);
    act(() => deliver(server(1, 0.42, 1000)));
    for (const id of ['cpu-process', 'heap']) {
      const gauge = await screen.findByTestId(id);
      expect(gauge).toHaveClass('ant-progress-status-normal');
      expect(gauge).not.toHaveClass('ant-progress-status-success');
      expect(gauge.querySelector('.anticon-check, .anticon-check-circle')).toBeNull();
      expect(gauge).toHaveTextContent('100%');
      expect(gauge).toHaveAttribute('data-level', 'high');
      expect(gauge.innerHTML).toContain('#ff4d4f');
    }
    const system = screen.getByTestId('cpu-system');
    expect(system).toHaveTextContent('42%');
    expect(system).toHaveAttribute('data-level', 'low');

    act(() => deliver(server(0.7, 0.9, 100)));
    expect(screen.getByTestId('cpu-process')).toHaveAttribute('data-level', 'raised');
    expect(screen.getByTestId('cpu-process').innerHTML).toContain('#faad14');
    expect(screen.getByTestId('cpu-system')).toHaveAttribute('data-level', 'high');
  });
});

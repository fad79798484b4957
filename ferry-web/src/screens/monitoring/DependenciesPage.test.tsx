import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../../test-utils';
import { DependenciesPage } from './DependenciesPage';

vi.mock('../../api/live', () => ({ useLiveMessages: () => {} }));
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => ({ canOperate: true, isAdmin: false }) }));
// The graph draws on a canvas, which jsdom does not have; the node buttons select as a click on it does.
vi.mock('./DependencyChart', () => ({ DependencyChart: () => <div />, STATE_COLORS: { FAILED: '#f00' } }));
const listed: unknown[] = [];
vi.mock('../../api/runs', () => ({
  instancesApi: {
    list: async (q: unknown) => {
      listed.push(q);
      return {
        items: [
          {
            id: 90,
            taskId: 2,
            taskName: 'load',
            plannedTime: '2030-01-01T03:00:00Z',
            trigger: 'schedule',
            state: 'FAILED',
            attempt: 1,
            runId: 5,
            node: 'n1',
            createdAt: '2030-01-01T03:00:00Z',
            startedAt: '2030-01-01T03:00:00Z',
            endedAt: '2030-01-01T03:01:00Z',
            durationMillis: 60000,
            recordsWritten: 0,
            message: 'upstream broke',
          },
        ],
        total: 1,
        page: 0,
        size: 20,
      };
    },
  },
}));
vi.mock('../../api/monitoring', () => ({
  monitoringApi: {
    dependencies: async () => ({
      nodes: [
        {
          taskId: 1,
          name: 'extract',
          scheduled: true,
          online: true,
          latestInstanceId: 80,
          latestState: 'SUCCEEDED',
          latestPlannedTime: null,
        },
        { taskId: 2, name: 'load', scheduled: true, online: true, latestInstanceId: 90, latestState: 'FAILED', latestPlannedTime: null },
      ],
      edges: [{ upstreamTaskId: 1, taskId: 2 }],
    }),
  },
}));

describe('DependenciesPage', () => {
  it('opens a task with what it waits for and its instances', async () => {
    renderScreen(<DependenciesPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'load' }));
    expect(await screen.findByText('Waits for: extract')).toBeInTheDocument();
    expect(await screen.findByText('upstream broke')).toBeInTheDocument();
    expect(listed).toContainEqual(expect.objectContaining({ taskId: 2 }));
  });
});

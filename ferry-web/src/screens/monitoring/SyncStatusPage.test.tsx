import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../../test-utils';
import { SyncStatusPage } from './SyncStatusPage';

vi.mock('../../api/monitoring', () => ({
  monitoringApi: {
    syncStatus: async () => [
      {
        datasourceId: 1,
        alias: 'orders-db',
        connector: 'mysql',
        status: 'FAILING',
        lastSyncAt: '2030-01-01T01:00:00Z',
        tasks: [
          {
            taskId: 7,
            taskName: 'orders nightly',
            side: 'source',
            lastRunId: 42,
            lastState: 'FAILED',
            lastEndedAt: '2030-01-02T01:00:00Z',
            lastRecordsWritten: 1200,
            lastMessage: 'Connection refused',
            lastSucceededAt: '2030-01-01T01:00:00Z',
            running: true,
          },
        ],
      },
      { datasourceId: 2, alias: 'spare', connector: 'postgresql', status: 'UNUSED', lastSyncAt: null, tasks: [] },
    ],
  },
}));

describe('SyncStatusPage', () => {
  it('shows each data source with its status, and its tasks with their latest run', async () => {
    renderScreen(<SyncStatusPage />);
    const failing = (await screen.findByText('orders-db')).closest('tr')!;
    expect(within(failing).getByText('Failing')).toHaveAttribute('data-status', 'FAILING');
    const unused = screen.getByText('spare').closest('tr')!;
    expect(within(unused).getByText('Unused')).toBeInTheDocument();

    fireEvent.click(within(failing).getByRole('button'));
    const task = (await screen.findByText('orders nightly')).closest('tr')!;
    expect(within(task).getByText('Source')).toBeInTheDocument();
    expect(within(task).getByText('Failed').closest('a')).toHaveAttribute('href', '/runs/42');
    expect(within(task).getByText('Connection refused')).toBeInTheDocument();
    expect(within(task).getByText('Running')).toBeInTheDocument();
  });

  it('speaks Chinese', async () => {
    renderScreen(<SyncStatusPage />, { lang: 'zh' });
    expect(await screen.findByText('同步失败')).toBeInTheDocument();
    expect(screen.getByText('未使用')).toBeInTheDocument();
  });
});

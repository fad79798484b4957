import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../../test-utils';
import type { MiningRun, MiningSample } from '../../api/mining';
import type { Series } from '../../components/LiveChart';
import { MiningPage } from './MiningPage';

let role = { canOperate: true, isAdmin: false };
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => role }));
vi.mock('../../components/LiveChart', () => ({
  LiveChart: ({ series }: { series: Series[] }) => <div data-testid="chart">{series[0].points.map((p) => p[1]).join(',')}</div>,
}));

const run = (over: Partial<MiningRun>): MiningRun => ({
  id: 1,
  name: 'shop-mining',
  source: 'shop',
  miningLog: 'meta-pg mining_shop',
  state: 'RUNNING',
  node: 'node-a',
  tables: ['shop.orders', 'shop.items'],
  position: 'binlog.000003:1234',
  head: 420,
  eventsAppended: 400,
  eventsPerSecond: 12.5,
  lagMillis: 1500,
  failure: null,
  retentionHours: 72,
  tableEvents: { 'shop.orders': 390, 'shop.items': 10 },
  storeBytes: 2 * 1024 * 1024,
  startAt: null,
  readPerSecond: 30,
  neededBy: 'orders-sync',
  neededDropsAt: '2026-12-10T08:00:00Z',
  writeThreads: 1,
  fillUpdates: false,
  ...over,
});

const sample = (over: Partial<MiningSample>): MiningSample => ({
  at: '2026-12-07T08:00:00Z',
  node: 'node-a',
  eventsAppended: 400,
  appendedPerSecond: 12.5,
  readPerSecond: 30,
  lagMillis: 1500,
  head: 420,
  storeBytes: 2_000_000,
  tableEvents: { 'shop.orders': 390, 'shop.items': 10 },
  ...over,
});

const api = vi.hoisted(() => ({
  list: vi.fn(),
  stop: vi.fn(),
  start: vi.fn(),
  edit: vi.fn(),
  history: vi.fn(),
}));
vi.mock('../../api/mining', () => ({ miningApi: api }));
// The table panel (MiningTablesPanel.test.tsx tests its stop and resume).
vi.mock('../../api/miningTables', () => ({
  miningTablesApi: {
    list: () =>
      Promise.resolve([
        { table: 'shop.items', state: 'CAPTURING', events: 10, stoppedAt: null, stoppedHead: null, tasks: [] },
        { table: 'shop.orders', state: 'CAPTURING', events: 390, stoppedAt: null, stoppedHead: null, tasks: [] },
      ]),
  },
}));

/** The list's row of a mining run (its name also titles the selected one's figures). */
async function row(name: string): Promise<HTMLElement> {
  const cells = await screen.findAllByText(name);
  return cells.map((c) => c.closest('tr')).find((r) => r != null) as HTMLElement;
}

describe('MiningPage', () => {
  beforeEach(() => {
    role = { canOperate: true, isAdmin: false };
    api.list.mockReset().mockResolvedValue([run({}), run({ id: 2, name: 'crm-mining', source: 'crm', state: 'STOPPED', node: null })]);
    api.stop.mockReset().mockResolvedValue(run({ state: 'STOPPED' }));
    api.start.mockReset().mockResolvedValue(run({}));
    api.edit.mockReset().mockResolvedValue(run({ id: 2, state: 'STOPPED' }));
    api.history
      .mockReset()
      .mockResolvedValue([
        sample({ at: '2026-12-07T08:00:00Z' }),
        sample({ at: '2026-12-07T08:00:10Z', appendedPerSecond: 20, lagMillis: 500, storeBytes: 2_100_000 }),
      ]);
  });

  it('lists the mining runs with their figures and the selected one by table', async () => {
    renderScreen(<MiningPage />);
    expect(await row('shop-mining')).toBeInTheDocument();
    expect(screen.getByText('Running')).toBeInTheDocument();
    expect(screen.getByText('Stopped')).toBeInTheDocument();
    expect(screen.getByText('node-a')).toBeInTheDocument();
    expect(within(await row('shop-mining')).getByText('2 MB')).toBeInTheDocument();
    expect(screen.getAllByText('72 h')).toHaveLength(2);
    expect(await screen.findByText('shop.orders')).toBeInTheDocument();
    expect(screen.getByText('390')).toBeInTheDocument();
    expect(screen.getByText('binlog.000003:1234')).toBeInTheDocument();
    // What its tasks read, and the task furthest behind with when the retention drops its events.
    expect(screen.getByText('Read by tasks/s')).toBeInTheDocument();
    expect(within(await row('shop-mining')).getByText('30')).toBeInTheDocument();
    expect(screen.getByText(/orders-sync: its retention drops an event this task still needs/)).toBeInTheDocument();
    // The charts, from the samples the server keeps: events per second, latency in seconds and
    // the log's size in MB, over the last hour until another window is picked.
    await waitFor(() => expect(screen.getAllByTestId('chart').map((c) => c.textContent)).toEqual(['12.5,20', '1.5,0.5', '2,2.1']));
    const [id, from] = api.history.mock.calls[0];
    expect(id).toBe(1);
    expect(Date.now() - Date.parse(from)).toBeGreaterThanOrEqual(60 * 60_000);
    expect(Date.now() - Date.parse(from)).toBeLessThan(61 * 60_000);
    fireEvent.click(screen.getByText('24 h'));
    await waitFor(() => expect(Date.now() - Date.parse(api.history.mock.calls.at(-1)?.[1])).toBeGreaterThanOrEqual(24 * 60 * 60_000));
  });

  it('says when the server has no samples in the window', async () => {
    api.history.mockReset().mockResolvedValue([]);
    renderScreen(<MiningPage />);
    expect(await screen.findByText(/The server samples a mining run every 10 seconds/)).toBeInTheDocument();
    expect(screen.queryByTestId('chart')).not.toBeInTheDocument();
  });

  it('stops a running one after a confirmation, and edits only a stopped one', async () => {
    renderScreen(<MiningPage />);
    const running = await row('shop-mining');
    expect(within(running).getByRole('button', { name: 'Edit' })).toBeDisabled();
    fireEvent.click(within(running).getByRole('button', { name: 'Stop' }));
    expect(await screen.findByText(/Its tasks wait/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(api.stop).toHaveBeenCalledWith(1));

    const stopped = await row('crm-mining');
    fireEvent.click(within(stopped).getByRole('button', { name: 'Edit' }));
    const retention = await screen.findByLabelText('Log retention (hours)');
    fireEvent.change(retention, { target: { value: '48' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'OK' }).at(-1) as HTMLElement);
    await waitFor(() =>
      expect(api.edit).toHaveBeenCalledWith(2, { name: 'crm-mining', retentionHours: 48, writeThreads: 1, fillUpdates: false }),
    );
    fireEvent.click(within(stopped).getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(api.start).toHaveBeenCalledWith(2));
  });

  it('shows an edited start time as pending until the next start', async () => {
    api.list
      .mockReset()
      .mockResolvedValue([run({ state: 'STOPPED', startAt: '2026-12-07T08:00:00Z', neededBy: null, neededDropsAt: null })]);
    renderScreen(<MiningPage />);
    expect(await screen.findByText(/At its next start it reads the source log again from/)).toBeInTheDocument();
    expect(screen.getByText('Every task is at the head of the log')).toBeInTheDocument();
    fireEvent.click(within(await row('shop-mining')).getByRole('button', { name: 'Edit' }));
    expect(await screen.findByText(/a later time skips the changes in between/)).toBeInTheDocument();
    fireEvent.click(screen.getAllByRole('button', { name: 'OK' }).at(-1) as HTMLElement);
    await waitFor(() =>
      expect(api.edit).toHaveBeenCalledWith(1, {
        name: 'shop-mining',
        retentionHours: 72,
        startAt: '2026-12-07T08:00:00.000Z',
        writeThreads: 1,
        fillUpdates: false,
      }),
    );
  });

  it('edits the write threads and the filling of update events of a stopped one', async () => {
    api.list.mockReset().mockResolvedValue([run({ state: 'STOPPED', writeThreads: 2, neededBy: null, neededDropsAt: null })]);
    renderScreen(<MiningPage />);
    fireEvent.click(within(await row('shop-mining')).getByRole('button', { name: 'Edit' }));
    const threads = await screen.findByLabelText('Write threads');
    expect(threads).toHaveValue('2');
    fireEvent.change(threads, { target: { value: '4' } });
    fireEvent.click(screen.getByRole('switch', { name: 'Fill complete fields of update events' }));
    fireEvent.click(screen.getAllByRole('button', { name: 'OK' }).at(-1) as HTMLElement);
    await waitFor(() =>
      expect(api.edit).toHaveBeenCalledWith(1, { name: 'shop-mining', retentionHours: 72, writeThreads: 4, fillUpdates: true }),
    );
  });

  it('shows a viewer no actions', async () => {
    role = { canOperate: false, isAdmin: false };
    renderScreen(<MiningPage />);
    expect(await row('shop-mining')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Stop' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument();
  });
});

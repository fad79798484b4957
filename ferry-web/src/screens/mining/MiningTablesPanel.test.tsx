import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../../test-utils';
import type { MiningRun } from '../../api/mining';
import type { MiningTable } from '../../api/miningTables';
import { MiningTablesPanel } from './MiningTablesPanel';

let role = { canOperate: true, isAdmin: false };
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => role }));

const api = vi.hoisted(() => ({
  list: vi.fn(),
  stopPreview: vi.fn(),
  stop: vi.fn(),
  resumePreview: vi.fn(),
  resume: vi.fn(),
}));
vi.mock('../../api/miningTables', () => ({ miningTablesApi: api }));

const run = { id: 7, name: 'shop-mining', state: 'RUNNING' } as MiningRun;
const orders: MiningTable = {
  table: 'shop.orders',
  state: 'CAPTURING',
  events: 1234,
  stoppedAt: null,
  stoppedHead: null,
  tasks: [{ id: 3, name: 'orders-to-warehouse' }],
};
const items: MiningTable = {
  table: 'shop.items',
  state: 'STOPPED',
  events: 55,
  stoppedAt: 'binlog.000004:880 +12 rows',
  stoppedHead: 4711,
  tasks: [{ id: 4, name: 'items-to-lake' }],
};

async function row(name: string): Promise<HTMLElement> {
  const cells = await screen.findAllByText(name);
  return cells.map((c) => c.closest('tr')).find((r) => r != null) as HTMLElement;
}

describe('MiningTablesPanel', () => {
  beforeEach(() => {
    role = { canOperate: true, isAdmin: false };
    api.list.mockReset().mockResolvedValue([items, orders]);
    api.stopPreview.mockReset().mockResolvedValue({ table: 'shop.orders', tasks: orders.tasks });
    api.stop.mockReset().mockResolvedValue({ ...orders, state: 'STOPPING' });
    api.resumePreview.mockReset();
    api.resume.mockReset().mockResolvedValue({ ...items, state: 'RESUMING' });
  });

  it('lists the tables with their event counts and states', async () => {
    renderScreen(<MiningTablesPanel run={run} />);
    const ordersRow = await row('shop.orders');
    expect(within(ordersRow).getByText('1,234')).toBeInTheDocument();
    expect(within(ordersRow).getByText('Mining')).toBeInTheDocument();
    expect(within(ordersRow).getByText('orders-to-warehouse')).toBeInTheDocument();
    expect(within(await row('shop.items')).getByText('Stopped')).toBeInTheDocument();
    expect(api.list).toHaveBeenCalledWith(7);
  });

  it('shows the tasks a stop affects and stops only once confirmed', async () => {
    renderScreen(<MiningTablesPanel run={run} />);
    fireEvent.click(within(await row('shop.orders')).getByRole('button', { name: 'Stop mining' }));
    expect((await screen.findAllByText('Stop mining shop.orders?')).length).toBeGreaterThan(0);
    expect(screen.getByText(/These tasks read it: they wait/)).toBeInTheDocument();
    expect(screen.getAllByText('orders-to-warehouse').length).toBeGreaterThan(1);
    expect(api.stop).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(api.stop).toHaveBeenCalledWith(7, 'shop.orders'));
  });

  it('resumes a stopped table from the Stopped tab, saying when its changes are lost', async () => {
    api.resumePreview.mockResolvedValue({
      table: 'shop.items',
      stoppedAt: items.stoppedAt,
      stoppedHead: 4711,
      fromStop: false,
      message: "the source's log no longer holds binlog.000004:880 +12 rows: ...",
      tasks: items.tasks,
    });
    renderScreen(<MiningTablesPanel run={run} />);
    fireEvent.click(await screen.findByText('Stopped (1)'));
    const stopped = await row('binlog.000004:880 +12 rows');
    expect(within(stopped).getByText('#4,711')).toBeInTheDocument();
    fireEvent.click(within(stopped).getByRole('button', { name: 'Resume mining' }));
    expect(await screen.findByText(/fail with mining.offset-expired/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(api.resume).toHaveBeenCalledWith(7, 'shop.items'));
  });

  it('shows a viewer no stop or resume', async () => {
    role = { canOperate: false, isAdmin: false };
    renderScreen(<MiningTablesPanel run={run} />);
    expect(await row('shop.orders')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Stop mining' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resume mining' })).not.toBeInTheDocument();
  });
});

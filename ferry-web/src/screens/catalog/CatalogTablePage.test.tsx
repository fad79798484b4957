import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../api/client';
import { describe, expect, it, vi } from 'vitest';
import type { CommonAttributes, TableView } from '../../api/catalog';
import { renderScreen } from '../../test-utils';
import { CatalogTablePage } from './CatalogTablePage';

vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => ({ canOperate: true }) }));

const view: TableView = {
  table: {
    id: 5,
    dataSourceId: 7,
    database: 'sales',
    name: 'orders',
    kind: 'table',
    comment: 'one row per order',
    version: 2,
    addedBy: 11,
    changedBy: 12,
    removedBy: null,
    updatedAt: '2026-12-02T02:30:00Z',
  },
  dataSource: 'shop-mariadb',
  model: 'mysql',
  customAttributes: [
    {
      id: 1,
      model: 'mysql',
      name: 'sensitivity',
      type: 'string',
      required: true,
      allowedValues: ['public', 'secret'],
      description: 'who may read it',
      createdAt: '',
      updatedAt: '',
    },
    {
      id: 2,
      model: 'mysql',
      name: 'retentionDays',
      type: 'number',
      required: false,
      allowedValues: [],
      description: null,
      createdAt: '',
      updatedAt: '',
    },
  ],
  custom: { sensitivity: 'public' },
  common: { owner: 'ana', description: null, tags: ['pii'], classification: null },
  technical: { engine: 'InnoDB', primaryKey: ['id'] },
  stats: { rowEstimate: 1200 },
  columns: [
    {
      id: 1,
      name: 'id',
      ordinal: 1,
      nativeType: 'bigint',
      nullable: false,
      defaultValue: null,
      comment: null,
      attributes: { key: 'PRI' },
      addedBy: 11,
      changedBy: null,
      removedBy: null,
    },
    {
      id: 2,
      name: 'note',
      ordinal: 2,
      nativeType: 'varchar(20)',
      nullable: true,
      defaultValue: null,
      comment: null,
      attributes: {},
      addedBy: 11,
      changedBy: null,
      removedBy: 12,
    },
    {
      id: 3,
      name: 'amount',
      ordinal: 3,
      nativeType: 'decimal(12,2)',
      nullable: true,
      defaultValue: '0.00',
      comment: 'gross',
      attributes: {},
      addedBy: 12,
      changedBy: null,
      removedBy: null,
    },
  ],
  tasks: [
    { taskId: 4, name: 'orders-to-pg', mode: 'wizard', side: 'source', object: 'orders' },
    { taskId: 9, name: 'load-orders', mode: 'script', side: 'sink', object: 'sales.orders' },
  ],
  history: [
    { version: 1, instanceId: 11, change: 'ADDED', detail: null, at: '2026-12-01T02:30:00Z' },
    {
      version: 2,
      instanceId: 12,
      change: 'CHANGED',
      detail: { columnsAdded: ['amount'], columnsChanged: [], columnsRemoved: ['note'], attributesChanged: ['comment'] },
      at: '2026-12-02T02:30:00Z',
    },
  ],
};
const setCommon = vi.fn(async (_: number, common: CommonAttributes) => ({ ...view, common }));
const setCustom = vi.fn();
const table = vi.fn(async (): Promise<TableView> => view);
vi.mock('../../api/catalog', async (original) => ({
  ...(await original<typeof import('../../api/catalog')>()),
  catalogApi: {
    table: () => table(),
    setCommon: (id: number, c: CommonAttributes) => setCommon(id, c),
    setCustom: (id: number, values: Record<string, unknown>) => setCustom(id, values),
  },
}));

describe('CatalogTablePage', () => {
  it('shows the columns, removed ones marked, and the technical attributes', async () => {
    renderScreen(<CatalogTablePage />, { route: '/catalog/tables/5', path: 'catalog/tables/:id' });
    expect(await screen.findByText('shop-mariadb / sales / orders')).toBeInTheDocument();
    expect(screen.getByText('decimal(12,2)')).toBeInTheDocument();
    expect(screen.getByText('note').closest('del')).not.toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: 'Technical attributes' }));
    expect(await screen.findByText('InnoDB')).toBeInTheDocument();
  });

  it("shows the schema history with each version's difference from the one before", async () => {
    renderScreen(<CatalogTablePage />, { route: '/catalog/tables/5', path: 'catalog/tables/:id' });
    fireEvent.click(await screen.findByRole('tab', { name: 'Schema history' }));
    const diff = await screen.findByTestId('diff-v2');
    expect(diff).toHaveTextContent('Columns added: amount');
    expect(diff).toHaveTextContent('Columns removed: note');
    expect(diff).toHaveTextContent('Table attributes changed: comment');
    expect(screen.queryByTestId('diff-v1')).toBeNull();
  });

  it('lists the sync tasks that read or write the table, each linked to its page', async () => {
    renderScreen(<CatalogTablePage />, { route: '/catalog/tables/5', path: 'catalog/tables/:id' });
    fireEvent.click(await screen.findByRole('tab', { name: 'Sync tasks (2)' }));
    const uses = await screen.findByTestId('table-tasks');
    expect(uses).toHaveTextContent('orders-to-pg');
    expect(uses).toHaveTextContent('Reads (source)');
    expect(uses).toHaveTextContent('Wizard');
    expect(uses).toHaveTextContent('load-orders');
    expect(uses).toHaveTextContent('Writes (target)');
    expect(uses).toHaveTextContent('sales.orders');
    expect(screen.getByRole('link', { name: 'load-orders' })).toHaveAttribute('href', '/tasks/9');
  });

  it('says so when no task uses the table', async () => {
    table.mockResolvedValueOnce({ ...view, tasks: [] });
    renderScreen(<CatalogTablePage />, { route: '/catalog/tables/5', path: 'catalog/tables/:id', lang: 'zh' });
    fireEvent.click(await screen.findByRole('tab', { name: '同步任务 (0)' }));
    expect(await screen.findByText(/没有读写此表的同步任务/)).toBeInTheDocument();
  });

  it('saves the common attributes', async () => {
    renderScreen(<CatalogTablePage />, { route: '/catalog/tables/5', path: 'catalog/tables/:id', lang: 'zh' });
    fireEvent.click(await screen.findByRole('tab', { name: '通用属性' }));
    fireEvent.change(await screen.findByLabelText('负责人'), { target: { value: 'bo' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(setCommon).toHaveBeenCalledWith(5, { owner: 'bo', description: null, tags: ['pii'], classification: null }));
    expect(await screen.findByText('属性已保存')).toBeInTheDocument();
  });

  it("sets the custom attributes its model defines; the server's refusal shows under the attribute it names", async () => {
    setCustom.mockRejectedValueOnce(
      new ApiError(400, 'invalid', [{ field: 'values.retentionDays', message: "the custom attribute 'retentionDays' takes a number" }]),
    );
    setCustom.mockImplementationOnce(async (_: number, values: Record<string, unknown>) => ({ ...view, custom: values }));
    renderScreen(<CatalogTablePage />, { route: '/catalog/tables/5', path: 'catalog/tables/:id' });
    fireEvent.click(await screen.findByRole('tab', { name: 'Custom attributes' }));
    expect(await screen.findByText('who may read it')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('retentionDays'), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText("the custom attribute 'retentionDays' takes a number")).toBeInTheDocument();
    expect(setCustom).toHaveBeenCalledWith(5, { sensitivity: 'public', retentionDays: 30 });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Attributes saved')).toBeInTheDocument();
  });
});

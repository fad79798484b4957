import { fireEvent, screen, waitFor } from '@testing-library/react';
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
vi.mock('../../api/catalog', async (original) => ({
  ...(await original<typeof import('../../api/catalog')>()),
  catalogApi: { table: async () => view, setCommon: (id: number, c: CommonAttributes) => setCommon(id, c) },
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

  it('saves the common attributes', async () => {
    renderScreen(<CatalogTablePage />, { route: '/catalog/tables/5', path: 'catalog/tables/:id', lang: 'zh' });
    fireEvent.click(await screen.findByRole('tab', { name: '通用属性' }));
    fireEvent.change(await screen.findByLabelText('负责人'), { target: { value: 'bo' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(setCommon).toHaveBeenCalledWith(5, { owner: 'bo', description: null, tags: ['pii'], classification: null }));
    expect(await screen.findByText('属性已保存')).toBeInTheDocument();
  });
});

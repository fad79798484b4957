import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TableSummary } from '../../api/catalog';
import { renderScreen } from '../../test-utils';
import { CatalogBrowseTab } from './CatalogBrowseTab';

const orders: TableSummary = {
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
};
const search = vi.fn(async (q: string) => ({
  tables: { items: q === 'ord' ? [orders] : [], total: q === 'ord' ? 1 : 0, page: 0, size: 50 },
  columns: {
    items: [
      {
        tableId: 5,
        dataSource: 'shop-mariadb',
        database: 'sales',
        table: 'orders',
        column: 'order_id',
        nativeType: 'bigint',
        comment: null,
      },
    ],
    total: 1,
    page: 0,
    size: 50,
  },
}));
vi.mock('../../api/catalog', async (original) => ({
  ...(await original<typeof import('../../api/catalog')>()),
  catalogApi: {
    sources: async () => [{ dataSourceId: 7, dataSource: 'shop-mariadb', connector: 'mysql', tables: 1 }],
    databases: async () => [{ name: 'sales', tables: 1 }],
    tables: async () => [orders],
    search: (q: string) => search(q),
  },
}));

describe('CatalogBrowseTab', () => {
  it('browses data source → database → tables, each table a link to its page', async () => {
    renderScreen(<CatalogBrowseTab />);
    fireEvent.click(await screen.findByText('shop-mariadb (1)'));
    // the expander of the source
    fireEvent.click(document.querySelector('.ant-tree-switcher')!);
    fireEvent.click(await screen.findByText('sales (1)'));
    const link = await screen.findByRole('link', { name: 'orders' });
    expect(link).toHaveAttribute('href', '/catalog/tables/5');
    expect(screen.getByText('one row per order')).toBeInTheDocument();
  });

  it('searches tables and columns across all sources', async () => {
    renderScreen(<CatalogBrowseTab />, { lang: 'zh' });
    const box = await screen.findByRole('searchbox', { name: /按名称、注释或标签检索/ });
    fireEvent.change(box, { target: { value: 'ord' } });
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 13 });
    await waitFor(() => expect(search).toHaveBeenCalledWith('ord'));
    expect(await screen.findByRole('tab', { name: '数据表 (1)' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: '数据字段 (1)' }));
    expect(await screen.findByText('order_id')).toBeInTheDocument();
  });
});

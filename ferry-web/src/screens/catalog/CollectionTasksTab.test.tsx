import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CollectionInstance, CollectionTask, CollectionTaskRequest } from '../../api/catalog';
import { renderScreen } from '../../test-utils';
import { CollectionTasksTab } from './CollectionTasksTab';

let role = { canOperate: true, isAdmin: false };
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => role }));

const instance: CollectionInstance = {
  id: 11,
  taskId: 3,
  trigger: 'CREATION',
  state: 'PARTIAL',
  node: 'node-a',
  startedAt: '2026-12-01T02:30:00Z',
  endedAt: '2026-12-01T02:30:04Z',
  databases: 2,
  tables: 40,
  columns: 800,
  tablesAdded: 40,
  tablesChanged: 0,
  tablesRemoved: 0,
  columnsAdded: 800,
  columnsChanged: 0,
  columnsRemoved: 0,
  message: null,
};
const task: CollectionTask = {
  id: 3,
  name: 'sales catalog',
  dataSourceId: 7,
  dataSource: 'shop-mariadb',
  connector: 'mysql',
  model: 'mysql',
  cycle: 'WEEK',
  day: 1,
  time: '02:30',
  cron: '0 30 2 ? * MON',
  zone: 'UTC',
  includes: null,
  excludes: null,
  createdAt: '2026-12-01T02:30:00Z',
  updatedAt: '2026-12-01T02:30:00Z',
  nextFireTime: '2026-12-07T02:30:00Z',
  lastInstance: instance,
};

const api = vi.hoisted(() => ({
  tasks: vi.fn(),
  createTask: vi.fn(),
  updateCron: vi.fn(),
  removeTask: vi.fn(),
  sync: vi.fn(),
  instances: vi.fn(),
  instance: vi.fn(),
}));
vi.mock('../../api/catalog', async (original) => ({
  ...(await original<typeof import('../../api/catalog')>()),
  catalogApi: {
    ...api,
    models: async () => [
      {
        id: 'mysql',
        name: 'MySQL / MariaDB',
        nameZh: 'MySQL / MariaDB',
        connectors: ['mysql'],
        reader: 'MYSQL',
        technical: [],
        common: [],
      },
      {
        id: 'generic',
        name: 'Any connector with a catalog',
        nameZh: '任意带目录的连接器',
        connectors: [],
        reader: 'CATALOG_SPI',
        technical: [],
        common: [],
      },
    ],
  },
}));
vi.mock('../../api/datasources', () => ({
  dataSourcesApi: {
    list: async () => ({
      items: [
        { id: 7, alias: 'shop-mariadb', connector: 'mysql', description: null, options: {}, createdAt: '', updatedAt: '' },
        { id: 8, alias: 'dw-pg', connector: 'postgresql', description: null, options: {}, createdAt: '', updatedAt: '' },
      ],
      total: 2,
      page: 0,
      size: 500,
    }),
  },
}));

async function choose(field: string, option: string) {
  const control = screen.getByTestId(`field-${field}`);
  await waitFor(() => expect(control).not.toHaveClass('ant-select-disabled'));
  fireEvent.mouseDown(within(control).getByRole('combobox'));
  const titled = await screen.findAllByTitle(option);
  fireEvent.click(titled.find((el) => el.classList.contains('ant-select-item-option')) ?? titled[titled.length - 1]);
}

describe('CollectionTasksTab', () => {
  beforeEach(() => {
    role = { canOperate: true, isAdmin: false };
    for (const f of Object.values(api)) f.mockReset();
    api.tasks.mockResolvedValue({ items: [task], total: 1, page: 0, size: 20 });
    api.instances.mockResolvedValue({ items: [instance], total: 1, page: 0, size: 20 });
    api.instance.mockResolvedValue({
      instance,
      errors: [{ id: 1, object: 'sales.secret', code: 'catalog.unreadable', message: 'SELECT command denied', at: '2026-12-01T02:30:03Z' }],
    });
  });

  it('lists the tasks with their rule and cron, and searches by data-source name', async () => {
    renderScreen(<CollectionTasksTab />);
    expect(await screen.findByText('sales catalog')).toBeInTheDocument();
    expect(screen.getByText('0 30 2 ? * MON')).toBeInTheDocument();
    expect(screen.getByText('Weekly 02:30')).toBeInTheDocument();
    expect(screen.getByText('Partial')).toBeInTheDocument();
    fireEvent.change(screen.getByRole('searchbox', { name: /Search by data source/ }), { target: { value: 'shop' } });
    fireEvent.keyDown(screen.getByRole('searchbox', { name: /Search by data source/ }), { key: 'Enter', keyCode: 13 });
    await waitFor(() => expect(api.tasks).toHaveBeenLastCalledWith(expect.objectContaining({ q: 'shop' })));
  });

  it('creates a task: the data source of the chosen type, its model, and the cron made of the cycle and time', async () => {
    api.createTask.mockImplementation(async (r: CollectionTaskRequest) => ({ task: { ...task, name: r.name }, instance }));
    renderScreen(<CollectionTasksTab />);
    fireEvent.click(await screen.findByRole('button', { name: /New collection task/ }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Task name'), { target: { value: 'shop nightly' } });
    await choose('connector', 'mysql');
    await choose('dataSourceId', 'shop-mariadb');
    await waitFor(() => expect(within(dialog).getByTestId('field-model')).toHaveTextContent('MySQL / MariaDB'));
    expect(within(dialog).getByTestId('generated-cron')).toHaveTextContent('0 0 2 * * ?');
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Monthly' }));
    fireEvent.change(await within(dialog).findByRole('spinbutton'), { target: { value: '15' } });
    await waitFor(() => expect(within(dialog).getByTestId('generated-cron')).toHaveTextContent('0 0 2 15 * ?'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() =>
      expect(api.createTask).toHaveBeenCalledWith({
        name: 'shop nightly',
        dataSourceId: 7,
        model: 'mysql',
        cycle: 'month',
        day: 15,
        time: '02:00',
        includes: undefined,
        excludes: undefined,
      }),
    );
    expect(await screen.findByText('Task shop nightly created; its first collection started')).toBeInTheDocument();
  });

  it('shows the server refusal under the field it names', async () => {
    api.createTask.mockRejectedValue(
      new (await import('../../api/client')).ApiError(400, 'invalid', [{ field: 'name', message: 'at most 200 characters' }]),
    );
    renderScreen(<CollectionTasksTab />);
    fireEvent.click(await screen.findByRole('button', { name: /New collection task/ }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Task name'), { target: { value: 'x' } });
    await choose('connector', 'mysql');
    await choose('dataSourceId', 'shop-mariadb');
    await waitFor(() => expect(within(dialog).getByTestId('field-model')).toHaveTextContent('MySQL / MariaDB'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(await within(dialog).findByText('at most 200 characters')).toBeInTheDocument();
  });

  it('edits only the cron expression, syncs now, deletes after a confirmation', async () => {
    api.updateCron.mockResolvedValue({ ...task, cron: '0 0 3 * * ?' });
    api.sync.mockResolvedValue({ task, instance });
    api.removeTask.mockResolvedValue(undefined);
    renderScreen(<CollectionTasksTab />);
    fireEvent.click(await screen.findByRole('button', { name: /Edit/ }));
    const dialog = await screen.findByRole('dialog');
    const inputs = within(dialog).getAllByRole('textbox');
    expect(inputs.filter((i) => !(i as HTMLInputElement).disabled)).toHaveLength(1);
    fireEvent.change(within(dialog).getByLabelText('Cron expression'), { target: { value: '0 0 3 * * ?' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(api.updateCron).toHaveBeenCalledWith(3, '0 0 3 * * ?'));

    fireEvent.click(screen.getByRole('button', { name: /Sync now/ }));
    await waitFor(() => expect(api.sync).toHaveBeenCalledWith(3));

    fireEvent.click(screen.getByRole('button', { name: /Delete/ }));
    expect(await screen.findByText(/Its instances and their error logs go with it/)).toBeInTheDocument();
    expect(api.removeTask).not.toHaveBeenCalled();
    const confirm = screen.getAllByRole('button', { name: 'Delete' }).find((b) => b.closest('.ant-popover'));
    fireEvent.click(confirm!);
    await waitFor(() => expect(api.removeTask).toHaveBeenCalledWith(3));
  });

  it("shows a task's instances with duration and counts, and an instance's error log", async () => {
    renderScreen(<CollectionTasksTab />);
    fireEvent.click(await screen.findByRole('button', { name: /Instances/ }));
    expect(await screen.findByText('Instances of sales catalog')).toBeInTheDocument();
    expect(await screen.findByText('Creation')).toBeInTheDocument();
    expect(screen.getByText('4.0s')).toBeInTheDocument();
    expect(screen.getByText('2 / 40 / 800')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /Error log/ }));
    expect(await screen.findByText('SELECT command denied')).toBeInTheDocument();
    expect(screen.getByText('sales.secret')).toBeInTheDocument();
    expect(screen.getByText('catalog.unreadable')).toBeInTheDocument();
  });

  it('syncs and prunes, after a confirmation, the tables its patterns do not cover', async () => {
    api.sync.mockResolvedValue({ task, instance });
    renderScreen(<CollectionTasksTab />);
    fireEvent.click(await screen.findByTestId('catalog-prune-3'));
    expect(await screen.findByText(/do not cover \(collected under wider patterns or by another task\)/)).toBeInTheDocument();
    expect(api.sync).not.toHaveBeenCalled();
    fireEvent.click(screen.getAllByRole('button', { name: 'OK' }).find((b) => b.closest('.ant-popover'))!);
    await waitFor(() => expect(api.sync).toHaveBeenCalledWith(3, { removeUncovered: true }));
  });

  it('lets an operator answer the removal guard: sync again and remove them', async () => {
    api.sync.mockResolvedValue({ task, instance });
    api.instance.mockResolvedValue({
      instance: { ...instance, message: null },
      errors: [
        {
          id: 2,
          object: null,
          code: 'catalog.removal-guard',
          message: 'the run would remove 12 of 15 tables; it removed none',
          at: '2026-12-01T02:30:03Z',
        },
      ],
    });
    renderScreen(<CollectionTasksTab />);
    fireEvent.click(await screen.findByRole('button', { name: /Instances/ }));
    expect(await screen.findByText('Creation', {}, { timeout: 10_000 })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /Error log/ }));
    expect(await screen.findByTestId('catalog-removal-guard', {}, { timeout: 10_000 })).toHaveTextContent('removed nothing');
    fireEvent.click(screen.getByTestId('catalog-confirm-removals'));
    fireEvent.click((await screen.findAllByRole('button', { name: 'OK' })).find((b) => b.closest('.ant-popover'))!);
    await waitFor(() => expect(api.sync).toHaveBeenCalledWith(3, { confirmRemovals: true }));
  });

  it('in Chinese, and a viewer gets no buttons that change anything', async () => {
    role = { canOperate: false, isAdmin: false };
    renderScreen(<CollectionTasksTab />, { lang: 'zh' });
    expect(await screen.findByText('sales catalog')).toBeInTheDocument();
    expect(screen.getByText('每周 02:30')).toBeInTheDocument();
    expect(screen.getByText('部分成功')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /查看实例/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /新增同步任务/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /立即同步/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /同步并清理/ })).toBeNull();
  });
});

import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connector, DataSource, OptionDecl, TableInfo } from '../../../api/datasources';
import type { Task, TaskRequest } from '../../../api/tasks';
import { renderScreen } from '../../../test-utils';
import { TaskWizard } from './TaskWizard';

const option = (name: string, choices: string[] = []): OptionDecl => ({
  name,
  label: null,
  type: choices.length ? 'enum' : 'string',
  description: name,
  defaultValue: null,
  required: false,
  secret: false,
  choices,
});
const CONNECTORS: Connector[] = [
  { name: 'mysql', description: '', roles: { source: [option('table'), option('where')], changeSource: [option('tables')] } },
  {
    name: 'postgresql',
    description: '',
    roles: { sink: [option('table'), option('writeMode', ['insert', 'upsert']), option('createTable'), option('keys')] },
  },
  { name: 'elasticsearch', description: '', roles: { sink: [option('index'), option('idColumns'), option('idFromKey')] } },
];
const dataSource = (id: number, alias: string, connector: string): DataSource => ({
  id,
  alias,
  connector,
  description: null,
  options: {},
  createdAt: '',
  updatedAt: '',
});
const ORDERS: TableInfo = {
  schema: 'shop',
  name: 'orders',
  columns: [{ name: 'id', nativeType: 'BIGINT', type: 'int64', nullable: false, comment: null }],
  primaryKey: ['id'],
  rowEstimate: 10,
  comment: null,
};
/** A saved task into a new table, created by the sink ("create table" on). */
const TASK: Task = {
  id: 5,
  name: 'copy',
  folderId: null,
  description: null,
  mode: 'wizard',
  wizard: {
    source: { datasourceId: 1, table: 'shop.orders', options: null },
    target: { datasourceId: 2, table: 'public.orders_copy', writeMode: 'insert', options: { createTable: true } },
    mapping: null,
    settings: null,
  },
  script: '',
  createdAt: '',
  updatedAt: '',
  online: false,
  scheduled: false,
  scheduleDescription: null,
  resourceGroup: 'etl',
};

const update = vi.fn();
/** The task the wizard edits. */
let current: Task = TASK;
vi.mock('../../../api/datasources', () => ({
  connectorsApi: { list: async () => CONNECTORS },
  dataSourcesApi: {
    list: async () => ({
      items: [dataSource(1, 'maria', 'mysql'), dataSource(2, 'pg', 'postgresql'), dataSource(3, 'es', 'elasticsearch')],
      total: 3,
      page: 0,
      size: 500,
    }),
    schemas: async (id: number) => (id === 1 ? ['shop'] : ['public']),
    tables: async (id: number) => (id === 1 ? ['orders'] : ['orders', 'customers']),
    table: async () => ORDERS,
    changeRoles: async (id: number) =>
      id === 3
        ? { changeSource: false, appliesChanges: true, objectOption: 'index', changeOptions: {}, changeNeeds: ['idColumns'] }
        : { changeSource: id === 1, appliesChanges: id === 2, objectOption: 'table', changeOptions: {}, changeNeeds: [] },
  },
}));
// The metadata catalog collected maria's shop.orders (with a column the live browse above lacks);
// nothing of pg.
vi.mock('../../../api/catalog', async () => {
  const { ApiError } = await import('../../../api/client');
  return {
    catalogApi: {
      collected: async (id: number, database: string, name: string) => {
        if (id === 1 && database === 'shop' && name === 'orders') {
          return {
            tableId: 40,
            schema: 'shop',
            name: 'orders',
            columns: [
              { name: 'id', nativeType: 'bigint', type: 'bigint', nullable: false, comment: null },
              { name: 'amount', nativeType: 'decimal(12,2)', type: 'decimal(12,2)', nullable: true, comment: null },
            ],
            primaryKey: ['id'],
            rowEstimate: 12,
            comment: null,
            version: 3,
            collectedAt: '2026-12-07T02:30:00Z',
          };
        }
        if (id === 3) throw new ApiError(503, 'the metadata store is unavailable', [], null); // browsed live too
        return undefined; // not collected (204)
      },
    },
  };
});
vi.mock('../../../api/tasks', () => ({
  tasksApi: { get: async () => current, update: (id: number, request: TaskRequest) => update(id, request) },
  foldersApi: { tree: async () => [] },
}));
vi.mock('../../../api/groups', () => ({
  groupsApi: {
    list: async () => [
      { id: 1, name: 'default', kind: 'nodes', flinkAddress: null, description: null, createdAt: '', updatedAt: '', tasks: 0 },
      { id: 2, name: 'etl', kind: 'nodes', flinkAddress: null, description: null, createdAt: '', updatedAt: '', tasks: 1 },
      { id: 3, name: 'big', kind: 'flink', flinkAddress: 'flink-jm:8081', description: null, createdAt: '', updatedAt: '', tasks: 0 },
    ],
  },
}));
vi.mock('../../../api/schedules', () => ({
  schedulesApi: { get: async () => ({ schedule: null, online: false, cron: null, description: null, nextFireTimes: [] }) },
}));

const createTable = () => screen.getByTestId('wizard-create-table');
const tableInput = () => document.querySelector<HTMLInputElement>('#target_table')!;

/** Types a table name letter by letter, as a person does: o, or, ord... each a change. */
function typeTable(name: string) {
  for (let i = 0; i <= name.length; i++) fireEvent.change(tableInput(), { target: { value: name.slice(0, i) } });
}

describe('TaskWizard: create table', () => {
  beforeEach(() => {
    update.mockReset();
    update.mockImplementation(async (id: number, request: TaskRequest) => ({ ...TASK, ...request, id }));
  });

  it('follows whether the target table exists, and the person’s own choice', async () => {
    renderScreen(<TaskWizard />, { route: '/tasks/5/edit', path: 'tasks/:id/edit' });
    await waitFor(() => expect(document.querySelector<HTMLInputElement>('#name')?.value).toBe('copy'));
    for (const step of ['Source', 'Target']) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent(step));
    }
    await screen.findByText('Not in the catalog: a new table.');
    // As saved: the stored choice stands until the table changes.
    expect(createTable()).toHaveAttribute('aria-checked', 'true');

    // An existing table, typed letter by letter (o, or, ord… are no tables): off.
    typeTable('orders');
    await screen.findByText('The table exists: the rows go into it.');
    await waitFor(() => expect(createTable()).toHaveAttribute('aria-checked', 'false'));

    // A new one: on.
    typeTable('orders_2024');
    await waitFor(() => expect(createTable()).toHaveAttribute('aria-checked', 'true'));

    // The person turns it off: it stays off for this table.
    fireEvent.click(createTable());
    expect(createTable()).toHaveAttribute('aria-checked', 'false');

    // Another existing table: off, and saved so.
    typeTable('customers');
    await waitFor(() => expect(createTable()).toHaveAttribute('aria-checked', 'false'));
    for (const step of ['Field mapping', 'Settings', 'Schedule', 'Review']) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent(step));
    }
    fireEvent.click(screen.getByTestId('wizard-submit'));
    await waitFor(() => expect(update).toHaveBeenCalled());
    const target = (update.mock.calls[0][1] as TaskRequest).wizard!.target;
    expect(target.table).toBe('public.customers');
    expect(target.options?.createTable).toBeUndefined();
    // The task stays in its resource group.
    expect((update.mock.calls[0][1] as TaskRequest).resourceGroup).toBe('etl');
  }, 90_000); // a long walk through the wizard: slow in jsdom on a small, busy machine
});

describe('TaskWizard: resource group', () => {
  beforeEach(() => {
    current = TASK;
    update.mockReset();
    update.mockImplementation(async (id: number, request: TaskRequest) => ({ ...TASK, ...request, id }));
  });

  it('offers the Flink groups beside the groups of nodes, and saves the choice', async () => {
    renderScreen(<TaskWizard />, { route: '/tasks/5/edit', path: 'tasks/:id/edit' });
    await waitFor(() => expect(document.querySelector<HTMLInputElement>('#name')?.value).toBe('copy'));
    for (const step of ['Source', 'Target', 'Field mapping', 'Settings']) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent(step));
    }
    fireEvent.mouseDown(within(screen.getByTestId('settings-group')).getByRole('combobox'));
    const flink = await screen.findAllByTitle('big (Flink cluster flink-jm:8081)');
    expect(screen.getAllByTitle('etl (Ferry nodes)').length).toBeGreaterThan(0);
    fireEvent.click(flink.find((el) => el.classList.contains('ant-select-item-option')) ?? flink[flink.length - 1]);
    for (const step of ['Schedule', 'Review']) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent(step));
    }
    fireEvent.click(screen.getByTestId('wizard-submit'));
    await waitFor(() => expect(update).toHaveBeenCalled());
    expect((update.mock.calls[0][1] as TaskRequest).resourceGroup).toBe('big');
  }, 90_000);
});

describe('TaskWizard: sync mode', () => {
  beforeEach(() => {
    current = TASK;
    update.mockReset();
    update.mockImplementation(async (id: number, request: TaskRequest) => ({ ...TASK, ...request, id }));
  });

  it('offers full + incremental from a change source into a sink that applies changes', async () => {
    renderScreen(<TaskWizard />, { route: '/tasks/5/edit', path: 'tasks/:id/edit' });
    await waitFor(() => expect(document.querySelector<HTMLInputElement>('#name')?.value).toBe('copy'));
    for (const step of ['Source', 'Target']) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent(step));
    }
    expect(await screen.findByText('Sync mode')).toBeInTheDocument();
    expect(screen.getByText('Copies the table once (a batch run).')).toBeInTheDocument();
    expect(screen.getByTestId('wizard-write-mode')).toBeInTheDocument();
    fireEvent.click(screen.getByText('Full + incremental'));
    // changes are applied by key: no write mode to pick
    await waitFor(() => expect(screen.queryByTestId('wizard-write-mode')).toBeNull());
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(await screen.findByTestId('wizard-mapping-cdc')).toBeInTheDocument();
    for (const step of ['Settings', 'Schedule', 'Review']) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent(step));
    }
    fireEvent.click(screen.getByTestId('wizard-submit'));
    await waitFor(() => expect(update).toHaveBeenCalled());
    const wizard = (update.mock.calls[0][1] as TaskRequest).wizard!;
    expect(wizard.syncMode).toBe('full-incremental');
    expect(wizard.target.writeMode).toBeNull();
    expect(wizard.mapping).toBeNull();
    expect(wizard.source).toEqual({ datasourceId: 1, table: 'shop.orders', options: null });
  }, 90_000);

  it('asks a cdc task into an index for the id columns its changes are applied by', async () => {
    current = {
      ...TASK,
      wizard: { ...TASK.wizard!, target: { datasourceId: 3, table: 'orders', writeMode: null, options: null }, syncMode: 'incremental' },
    };
    renderScreen(<TaskWizard />, { route: '/tasks/5/edit', path: 'tasks/:id/edit' });
    await waitFor(() => expect(document.querySelector<HTMLInputElement>('#name')?.value).toBe('copy'));
    for (const step of ['Source', 'Target']) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent(step));
    }
    expect(await screen.findByText('Index')).toBeInTheDocument();
    expect(await screen.findByTestId('wizard-id-columns')).toBeInTheDocument();
    // Required: the step does not go on without them.
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(await screen.findByText('Required')).toBeInTheDocument();
    expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent('Target');
    const ids = document.querySelector<HTMLInputElement>('#target_idColumns')!;
    fireEvent.change(ids, { target: { value: 'id' } });
    fireEvent.keyDown(ids, { key: 'Enter', code: 'Enter', keyCode: 13 });
    for (const step of ['Field mapping', 'Settings', 'Schedule', 'Review']) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent(step));
    }
    fireEvent.click(screen.getByTestId('wizard-submit'));
    await waitFor(() => expect(update).toHaveBeenCalled());
    const wizard = (update.mock.calls[0][1] as TaskRequest).wizard!;
    expect(wizard.syncMode).toBe('incremental');
    expect(wizard.target).toEqual({ datasourceId: 3, table: 'orders', writeMode: null, options: { idColumns: ['id'] } });
  }, 90_000);
});

describe('TaskWizard: field mapping from the metadata catalog', () => {
  beforeEach(() => {
    current = {
      ...TASK,
      wizard: { ...TASK.wizard!, target: { datasourceId: 2, table: 'public.orders', writeMode: 'insert', options: null } },
    };
  });

  it('takes a collected table’s columns from the catalog, browses the others live, and says which', async () => {
    renderScreen(<TaskWizard />, { route: '/tasks/5/edit', path: 'tasks/:id/edit' });
    await waitFor(() => expect(document.querySelector<HTMLInputElement>('#name')?.value).toBe('copy'));
    fireEvent.click(screen.getByTestId('wizard-next'));
    const origin = await screen.findByTestId('wizard-source-origin');
    expect(origin).toHaveAttribute('data-origin', 'catalog');
    expect(origin).toHaveTextContent(/Columns from the metadata catalog \(v3, collected .+\)/);
    // 2 columns: the catalog's, not the live browse's 1
    expect(screen.getByText(/^2 columns, about 12 rows, key: id/)).toBeInTheDocument();
    for (const step of ['Target', 'Field mapping']) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent(step));
    }
    const mapping = await screen.findByTestId('wizard-mapping-origin');
    expect(mapping).toHaveTextContent('Source: Columns from the metadata catalog');
    expect(mapping).toHaveTextContent('Target: Columns read live from the data source (the table is not in the metadata catalog).');
    expect(screen.getAllByText('amount').length).toBeGreaterThan(0);
  }, 90_000);
});

describe('TaskWizard: incremental reads by a cursor column', () => {
  beforeEach(() => {
    current = { ...TASK, wizard: { ...TASK.wizard!, incremental: { cursor: 'id', lookBack: '5' } } };
    update.mockReset();
    update.mockImplementation(async (id: number, request: TaskRequest) => ({ ...TASK, ...request, id }));
  });

  it('shows a batch task’s cursor on the source step, and saves the edited look-back', async () => {
    renderScreen(<TaskWizard />, { route: '/tasks/5/edit', path: 'tasks/:id/edit' });
    await waitFor(() => expect(document.querySelector<HTMLInputElement>('#name')?.value).toBe('copy'));
    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent('Source'));
    expect(await screen.findByText('Incremental by cursor column')).toBeInTheDocument();
    const lookBack = await screen.findByTestId('wizard-lookback');
    expect(lookBack).toHaveValue('5');
    fireEvent.change(lookBack, { target: { value: '100' } });
    for (const step of ['Target', 'Field mapping', 'Settings', 'Schedule', 'Review']) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(document.querySelector('.ant-steps-item-process')).toHaveTextContent(step));
    }
    expect(screen.getByTestId('wizard-review-cursor')).toHaveTextContent('Incremental: rows past the cursor id (look-back 100, start –)');
    fireEvent.click(screen.getByTestId('wizard-submit'));
    await waitFor(() => expect(update).toHaveBeenCalled());
    const wizard = (update.mock.calls[0][1] as TaskRequest).wizard!;
    expect(wizard.incremental).toEqual({ cursor: 'id', lookBack: '100' });
  }, 90_000);
});

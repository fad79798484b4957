import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Connector, DataSource, TemplateSide } from '../../api/datasources';
import { renderScreen } from '../../test-utils';
import { ScriptEditorPage } from './ScriptEditorPage';

const ds = (id: number, alias: string, connector: string): DataSource => ({
  id,
  alias,
  connector,
  description: null,
  options: {},
  createdAt: '',
  updatedAt: '',
});
const connector = (name: string, roles: ('source' | 'sink')[]): Connector => ({
  name,
  description: '',
  roles: Object.fromEntries(roles.map((r) => [r, []])),
});
const side = (s: TemplateSide) => ('datasource' in s ? s.datasource : s.connector);
const jobTemplate = vi.fn(async (source: TemplateSide, sink: TemplateSide) => `# from ${side(source)} to ${side(sink)}\nsource: {}\n`);
vi.mock('../../api/datasources', () => ({
  dataSourcesApi: {
    list: async () => ({ items: [ds(1, 'maria-src', 'mysql'), ds(2, 'pg-dst', 'postgresql')], total: 2, page: 0, size: 500 }),
  },
  connectorsApi: {
    list: async () => [
      connector('mysql', ['source', 'sink']),
      connector('postgresql', ['source', 'sink']),
      connector('blackhole', ['sink']),
    ],
    jobTemplate: (source: TemplateSide, sink: TemplateSide) => jobTemplate(source, sink),
  },
}));
vi.mock('../../api/tasks', () => ({ foldersApi: { tree: async () => [] }, tasksApi: {} }));

const editor = () => screen.getByTestId('script-editor') as HTMLTextAreaElement;

describe('ScriptEditorPage', () => {
  it('starts from the template of the picked source and target', async () => {
    renderScreen(<ScriptEditorPage />, { route: '/tasks/new-script', path: 'tasks/new-script' });
    await waitFor(() => expect(editor().value).toBe('# from maria-src to pg-dst\nsource: {}\n'));
    expect(jobTemplate).toHaveBeenCalledWith({ datasource: 'maria-src' }, { datasource: 'pg-dst' });

    // Another target: a new template replaces the untouched one.
    fireEvent.mouseDown(within(screen.getByTestId('template-sink')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('blackhole'));
    await waitFor(() => expect(editor().value).toBe('# from maria-src to blackhole\nsource: {}\n'));
    expect(jobTemplate).toHaveBeenLastCalledWith({ datasource: 'maria-src' }, { connector: 'blackhole' });

    // An edited script is replaced only when the person agrees.
    fireEvent.change(editor(), { target: { value: 'source: {datasource: maria-src}\n' } });
    fireEvent.click(screen.getByTestId('template-apply'));
    expect(await screen.findAllByText('Replace the script with the template? Your changes to it are lost.')).not.toHaveLength(0);
    expect(editor().value).toBe('source: {datasource: maria-src}\n');
    fireEvent.click(screen.getByRole('button', { name: 'Replace' }));
    await waitFor(() => expect(editor().value).toBe('# from maria-src to blackhole\nsource: {}\n'));
  });
});

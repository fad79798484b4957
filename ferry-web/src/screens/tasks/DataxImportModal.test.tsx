import { fireEvent, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { renderInApp } from '../../test-utils';
import { DataxImportModal } from './DataxImportModal';

const importDatax = vi.fn();

vi.mock('../../api/tasks', () => ({
  tasksApi: { importDatax: (...args: unknown[]) => importDatax(...args) },
}));
vi.mock('../../api/datasources', () => ({
  dataSourcesApi: {
    list: async () => ({ items: [{ id: 7, alias: 'shop', connector: 'mysql' }], total: 1, page: 0, size: 500 }),
  },
}));

const job = '{"job": {"content": [{"reader": {"name": "mysqlreader"}, "writer": {"name": "streamwriter"}}]}}';

describe('DataxImportModal', () => {
  it('sends the picked files and names the file a problem is about', async () => {
    importDatax.mockRejectedValueOnce(
      new ApiError(400, 'invalid', [
        { field: 'files[1].job.content[0].transformer[0].name', message: 'dx_groovy (code in a job) is not supported' },
      ]),
    );
    importDatax.mockResolvedValueOnce([{ id: 1 }, { id: 2 }]);
    const imported = vi.fn();
    renderInApp(
      <App>
        <DataxImportModal open folderId={3} folders={[]} onClose={() => {}} onImported={imported} />
      </App>,
    );
    fireEvent.change(screen.getByTestId('datax-files'), {
      target: {
        files: [new File([job], 'orders.json', { type: 'application/json' }), new File([job], 'groovy.json', { type: 'application/json' })],
      },
    });
    expect(await screen.findByText('2 files')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('datax-import-submit'));
    await waitFor(() =>
      expect(screen.getAllByRole('alert').at(-1)).toHaveTextContent(
        'groovy.json · job.content[0].transformer[0].name dx_groovy (code in a job) is not supported',
      ),
    );
    expect(importDatax).toHaveBeenCalledWith({
      folderId: 3,
      sourceDatasourceId: null,
      targetDatasourceId: null,
      files: [
        { name: 'orders.json', content: job },
        { name: 'groovy.json', content: job },
      ],
    });
    fireEvent.click(screen.getByTestId('datax-import-submit'));
    await waitFor(() => expect(imported).toHaveBeenCalled());
  });

  it('asks for files before sending anything', async () => {
    importDatax.mockClear();
    renderInApp(
      <App>
        <DataxImportModal open folderId={null} folders={[]} onClose={() => {}} onImported={() => {}} />
      </App>,
    );
    fireEvent.click(screen.getByTestId('datax-import-submit'));
    await waitFor(() => expect(screen.getAllByRole('alert').at(-1)).toHaveTextContent('DataX job files Required'));
    expect(importDatax).not.toHaveBeenCalled();
  });
});

import { useState } from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Folder, FolderRequest } from '../../api/tasks';
import { renderScreen } from '../../test-utils';
import { FolderTree } from './FolderTree';

const create = vi.fn(async (folder: FolderRequest) => ({ id: 2, ...folder }));
vi.mock('../../api/tasks', () => ({ foldersApi: { create: (f: FolderRequest) => create(f) } }));
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => ({ canOperate: true }) }));

const SALES: Folder = { id: 1, parentId: null, name: 'sales', description: 'orders and customers, every night', children: [], tasks: [7] };

/** The tree as the task list shows it: first without folders, then with those the server sent. */
function Later() {
  const [folders, setFolders] = useState<Folder[]>([]);
  return (
    <>
      <button onClick={() => setFolders([SALES])}>load</button>
      <FolderTree folders={folders} selected={null} onSelect={() => {}} onChanged={() => {}} />
    </>
  );
}

describe('FolderTree', () => {
  it('shows a folder’s description and creates folders with one', async () => {
    const changed = vi.fn();
    renderScreen(<FolderTree folders={[SALES]} selected={null} onSelect={() => {}} onChanged={changed} />);
    fireEvent.mouseEnter(screen.getByTestId('folder-sales'));
    expect(await screen.findByText('orders and customers, every night')).toBeInTheDocument();

    fireEvent.click(screen.getByTestId('folder-new'));
    fireEvent.change(await screen.findByTestId('folder-name'), { target: { value: 'finance' } });
    fireEvent.change(screen.getByTestId('folder-description'), { target: { value: 'ledgers for the auditors' } });
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(create).toHaveBeenCalledWith({ name: 'finance', parentId: null, description: 'ledgers for the auditors' }));
    expect(changed).toHaveBeenCalled();
  });

  it('shows a folder that appears later, unfolded', async () => {
    renderScreen(<Later />);
    fireEvent.click(screen.getByText('load'));
    expect(await screen.findByTestId('folder-sales')).toBeVisible();
  });
});

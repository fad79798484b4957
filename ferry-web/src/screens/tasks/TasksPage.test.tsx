import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Task } from '../../api/tasks';
import { renderScreen } from '../../test-utils';
import { TasksPage } from './TasksPage';

const task = (id: number, name: string, scheduled: boolean): Task => ({
  id,
  name,
  folderId: null,
  description: null,
  mode: 'script',
  wizard: null,
  script: '',
  createdAt: '2030-01-01T00:00:00Z',
  updatedAt: '2030-01-01T00:00:00Z',
  online: false,
  scheduled,
  scheduleDescription: scheduled ? 'daily at 02:00' : null,
  resourceGroup: 'default',
});

vi.mock('../../api/tasks', () => ({
  tasksApi: { list: async () => ({ items: [task(1, 'nightly', true), task(2, 'adhoc', false)], total: 2, page: 0, size: 20 }) },
  foldersApi: { tree: async () => [] },
}));
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => ({ canOperate: true }) }));

describe('TasksPage', () => {
  it('offers Online only to a task with a schedule', async () => {
    renderScreen(<TasksPage />, { route: '/tasks', path: 'tasks' });
    expect(await screen.findByTestId('task-online-nightly')).toBeEnabled();
    expect(screen.getByTestId('task-online-adhoc')).toBeDisabled();
  });
});

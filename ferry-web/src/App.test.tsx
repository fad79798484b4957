import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';

const getTask = vi.fn();
vi.mock('./api/auth', () => ({ authApi: { me: async () => ({ username: 'watcher', roles: ['viewer'] }) } }));
vi.mock('./api/live', () => ({ live: { open() {}, close() {} }, useLiveMessages: () => {} }));
vi.mock('./api/tasks', () => ({
  tasksApi: { get: (id: number) => getTask(id), list: async () => ({ items: [], total: 0, page: 0, size: 20 }) },
  foldersApi: { tree: async () => [] },
}));

describe('App', () => {
  beforeEach(() => {
    getTask.mockReset();
    localStorage.setItem('ferry.lang', 'en');
  });

  it.each(['#/tasks/new', '#/tasks/new-script', '#/tasks/3/edit', '#/tasks/3/script', '#/users'])(
    'tells a viewer at %s that the screen is not for the role',
    async (hash) => {
      window.location.hash = hash;
      render(<App />);
      expect(await screen.findByText('No permission')).toBeInTheDocument();
      expect(screen.getByText(/your role, viewer, may only look/)).toBeInTheDocument();
      expect(getTask).not.toHaveBeenCalled();
    },
  );
});

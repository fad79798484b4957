import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TaskCursor } from '../../api/tasks';
import { renderScreen } from '../../test-utils';
import { TaskCursorTab } from './TaskCursorTab';

const committed: TaskCursor = {
  incremental: { cursor: 'updated_at', lookBack: '5m', start: null },
  column: 'updated_at',
  kind: 'TIMESTAMP',
  value: '2024-05-01T08:30:00',
  runKey: 'orders-20240501-083000-abcdef',
  updatedAt: '2024-05-01T08:31:00Z',
};
const setCursor = vi.fn(async (_id: number, value: string, column?: string) => ({
  ...committed,
  value,
  column: column ?? null,
  runKey: null,
}));
const resetCursor = vi.fn(async () => ({ ...committed, column: null, kind: null, value: null, runKey: null, updatedAt: null }));
vi.mock('../../api/tasks', () => ({
  tasksApi: {
    cursor: async () => committed,
    setCursor: (id: number, value: string, column?: string) => setCursor(id, value, column),
    resetCursor: () => resetCursor(),
  },
}));
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => ({ canOperate: true }) }));

describe('TaskCursorTab', () => {
  it('shows the committed cursor, edits it and resets it', async () => {
    renderScreen(<TaskCursorTab taskId={7} />);
    expect(await screen.findByTestId('cursor-value')).toHaveTextContent('2024-05-01T08:30:00');
    expect(screen.getByText('orders-20240501-083000-abcdef')).toBeInTheDocument();
    expect(screen.getByText('5m')).toBeInTheDocument();

    fireEvent.click(screen.getByTestId('cursor-edit'));
    fireEvent.change(screen.getByTestId('cursor-input'), { target: { value: '2024-06-01 00:00:00' } });
    fireEvent.click(screen.getByTestId('cursor-save'));
    await waitFor(() => expect(setCursor).toHaveBeenCalledWith(7, '2024-06-01 00:00:00', 'updated_at'));
    expect(await screen.findByTestId('cursor-value')).toHaveTextContent('2024-06-01 00:00:00');
    expect(screen.getByText('set by hand')).toBeInTheDocument();

    fireEvent.click(screen.getByTestId('cursor-reset'));
    fireEvent.click(await screen.findByRole('button', { name: 'OK' }));
    await waitFor(() => expect(resetCursor).toHaveBeenCalled());
    expect(await screen.findByTestId('cursor-value')).toHaveTextContent('none: the next run reads every row');
  });
});

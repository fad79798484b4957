import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Schedule, TaskSchedule } from '../../api/schedules';
import { renderScreen } from '../../test-utils';
import { TaskScheduleTab } from './TaskScheduleTab';

const online = vi.fn(async (id: number) => ({ id }));
vi.mock('../../api/schedules', () => ({
  schedulesApi: {
    get: async (): Promise<TaskSchedule> => ({ schedule: null, online: false, cron: null, description: null, nextFireTimes: [] }),
    put: async (_: number, schedule: Schedule): Promise<TaskSchedule> => ({
      schedule,
      online: false,
      cron: '0 0 2 * * ?',
      description: 'daily at 02:00',
      nextFireTimes: [],
    }),
    preview: async () => ({ cron: '0 0 2 * * ?', description: 'daily at 02:00', timeoutMinutes: 1440, nextFireTimes: [] }),
  },
}));
vi.mock('../../api/tasks', () => ({ tasksApi: { online: (id: number) => online(id), list: async () => ({ items: [] }) } }));
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => ({ canOperate: true }) }));

describe('TaskScheduleTab', () => {
  it('offers to put the task online once its schedule is saved', async () => {
    const changed = vi.fn();
    renderScreen(<TaskScheduleTab task={{ id: 4, name: 'orders' }} onChanged={changed} />);
    const save = await screen.findByTestId('schedule-save');
    await waitFor(() => expect(save).toBeEnabled());
    fireEvent.click(save);
    await screen.findAllByText('Put orders online?');
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Online now' }));
    await waitFor(() => expect(online).toHaveBeenCalledWith(4));
    expect(changed).toHaveBeenCalled();
  });
});

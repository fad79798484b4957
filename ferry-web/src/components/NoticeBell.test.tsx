import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderInApp } from '../test-utils';
import { NoticeBell } from './NoticeBell';

let unread = 2;
const markAllRead = vi.fn(async () => {
  unread = 0;
});
let onLive: ((m: unknown) => void) | undefined;
vi.mock('../api/live', () => ({ useLiveMessages: (h: (m: unknown) => void) => (onLive = h) }));
vi.mock('../api/alerts', () => ({
  alertsApi: {
    unreadCount: async () => ({ unread }),
    notices: async () => ({
      items: [
        {
          id: 2,
          createdAt: '2026-12-07T03:00:00Z',
          event: 'recovered',
          ruleId: 1,
          taskId: 4,
          title: '[Ferry] RECOVERED: orders failed (orders)',
          body: 'run 9 succeeded',
          read: unread === 0,
        },
        {
          id: 1,
          createdAt: '2026-12-07T02:00:00Z',
          event: 'firing',
          ruleId: 1,
          taskId: 4,
          title: '[Ferry] FIRING: orders failed (orders)',
          body: 'run 8 failed: no file',
          read: unread === 0,
        },
      ],
      total: 2,
      page: 0,
      size: 10,
    }),
    markAllRead: () => markAllRead(),
    markRead: async () => {},
  },
}));

describe('NoticeBell', () => {
  beforeEach(() => {
    unread = 2;
    markAllRead.mockClear();
  });

  it('counts unread notices, lists them, and marks them read', async () => {
    renderInApp(<NoticeBell />);
    await waitFor(() => expect(screen.getByTestId('notice-bell')).toHaveTextContent('2'));
    fireEvent.click(screen.getByRole('button', { name: 'Notices' }));
    expect(await screen.findByText('[Ferry] FIRING: orders failed (orders)')).toBeInTheDocument();
    expect(screen.getByText('Recovered')).toBeInTheDocument();
    expect(screen.getByText('run 8 failed: no file')).toBeInTheDocument();
    fireEvent.click(screen.getByText('Mark all read'));
    await waitFor(() => expect(markAllRead).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(screen.getByTestId('notice-bell')).not.toHaveTextContent('2'));
  });

  it('counts up when a notice arrives over the WebSocket', async () => {
    renderInApp(<NoticeBell />);
    await waitFor(() => expect(screen.getByTestId('notice-bell')).toHaveTextContent('2'));
    unread = 3;
    onLive!({ type: 'notice', id: 3 });
    await waitFor(() => expect(screen.getByTestId('notice-bell')).toHaveTextContent('3'));
  });
});

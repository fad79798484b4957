import { fireEvent, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../../test-utils';
import { AlertsPage } from './AlertsPage';

let role = { canOperate: true, isAdmin: false };
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => role }));
vi.mock('../../api/tasks', () => ({ tasksApi: { list: async () => ({ items: [], total: 0, page: 0, size: 20 }) } }));
vi.mock('../../api/alerts', async (original) => ({
  ...(await original<typeof import('../../api/alerts')>()),
  alertsApi: {
    rules: async () => [
      {
        id: 1,
        name: 'orders failed',
        kind: 'run-failed',
        taskId: 4,
        taskName: 'orders',
        threshold: null,
        forMinutes: 0,
        repeatMinutes: 60,
        channels: [7],
        enabled: true,
        createdBy: 'ops',
      },
      {
        id: 2,
        name: 'nodes',
        kind: 'node-down',
        taskId: null,
        taskName: null,
        threshold: null,
        forMinutes: 0,
        repeatMinutes: 0,
        channels: [],
        enabled: true,
        createdBy: 'ops',
      },
    ],
    channels: async () => [
      { id: 7, name: 'ops-ding', kind: 'dingtalk', config: { url: 'https://oapi.dingtalk.com/****', secret: '****' }, createdBy: 'admin' },
    ],
  },
}));

describe('AlertsPage', () => {
  beforeEach(() => {
    role = { canOperate: true, isAdmin: false };
  });

  it('lists rules with what they watch and where they go; an operator edits rules but not channels', async () => {
    renderScreen(<AlertsPage />);
    expect(await screen.findByText('orders failed')).toBeInTheDocument();
    expect(screen.getByText('Run failed')).toBeInTheDocument();
    expect(screen.getByText('orders')).toBeInTheDocument();
    expect(screen.getByText('All nodes')).toBeInTheDocument();
    expect(screen.getByText('ops-ding')).toBeInTheDocument();
    expect(screen.getByText('In-app notice')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /New rule/ })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: 'Channels' }));
    expect(await screen.findByText('https://oapi.dingtalk.com/****')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /New channel/ })).toBeNull();
    expect(screen.queryByText('Send a test')).toBeNull();
  });

  it('in Chinese, and a viewer gets no buttons', async () => {
    role = { canOperate: false, isAdmin: false };
    renderScreen(<AlertsPage />, { lang: 'zh' });
    expect(await screen.findByText('运行失败')).toBeInTheDocument();
    expect(screen.getByText('所有节点')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /新建规则/ })).toBeNull();
  });
});

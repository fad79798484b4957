import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../../test-utils';
import { NodesPage } from './NodesPage';

// The charts draw on a canvas, which jsdom does not have.
vi.mock('../../components/LiveChart', () => ({ LiveChart: () => <div /> }));
vi.mock('../../api/nodes', () => ({
  nodesApi: {
    list: async () => [
      { node: 'w1', group: 'etl', alive: true, startedAt: null, heartbeatAt: '2030-01-01T03:00:00Z' },
      { node: 'old', group: null, alive: false, startedAt: null, heartbeatAt: null },
    ],
    samples: async () => [],
  },
}));

describe('NodesPage', () => {
  it('shows the resource group of the node it shows, and of each node to choose', async () => {
    renderScreen(<NodesPage />);
    const group = await screen.findByTestId('node-group');
    expect(group).toHaveTextContent('Resource group');
    expect(within(group).getByText('etl')).toBeInTheDocument();
    expect(screen.getByTestId('node-select')).toHaveTextContent('w1 · etl');
  });

  it('says it in Chinese', async () => {
    renderScreen(<NodesPage />, { lang: 'zh' });
    expect(await screen.findByTestId('node-group')).toHaveTextContent('资源组');
  });
});

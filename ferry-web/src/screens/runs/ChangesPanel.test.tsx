import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ChangeFigures } from '../../api/live';
import { renderScreen } from '../../test-utils';
import { ChangesPanel, changeRates } from './ChangesPanel';

const FIGURES: ChangeFigures = {
  phase: 'SNAPSHOT',
  position: 'binlog.000003:4711',
  lagMillis: 1500,
  changesApplied: 17,
  tables: [
    {
      table: 'shop.orders',
      snapshot: 'DONE',
      snapshotRows: 5000,
      snapshotPercent: 100,
      inserts: 10,
      updates: 4,
      deletes: 2,
      lagMillis: 1500,
    },
    {
      table: 'shop.customers',
      snapshot: 'RUNNING',
      snapshotRows: 250,
      snapshotPercent: 25,
      inserts: 1,
      updates: 0,
      deletes: 0,
      lagMillis: 0,
    },
  ],
};

describe('ChangesPanel', () => {
  it('shows phase, position, lag and each table of a cdc run', () => {
    renderScreen(<ChangesPanel changes={FIGURES} live={false} />);
    expect(screen.getByTestId('cdc-phase')).toHaveTextContent('Snapshot');
    expect(screen.getByTestId('cdc-position')).toHaveTextContent('binlog.000003:4711');
    expect(screen.getByTestId('cdc-lag')).toHaveTextContent('1.5s');
    const orders = screen.getByText('shop.orders').closest('tr')!;
    expect(within(orders).getByText('Done')).toBeInTheDocument();
    expect(orders).toHaveTextContent('5,000');
    expect(orders.textContent).toMatch(/10.*4.*2/);
    const customers = screen.getByText('shop.customers').closest('tr')!;
    // a snapshot being copied shows its progress
    expect(within(customers).getByText('25%')).toBeInTheDocument();
  });

  it('speaks Chinese', () => {
    renderScreen(<ChangesPanel changes={{ ...FIGURES, phase: 'STREAMING' }} live={false} />, { lang: 'zh' });
    expect(screen.getByText('变更捕获')).toBeInTheDocument();
    expect(screen.getByTestId('cdc-phase')).toHaveTextContent('增量同步');
    expect(screen.getByRole('columnheader', { name: '插入' })).toBeInTheDocument();
    expect(screen.getByText('已完成')).toBeInTheDocument();
  });
});

describe('changeRates', () => {
  it('divides each table’s growth by the time between two figures', () => {
    const later: ChangeFigures = {
      ...FIGURES,
      tables: [
        { ...FIGURES.tables[0], inserts: 30, updates: 8, deletes: 2 },
        { ...FIGURES.tables[1], inserts: 1 },
      ],
    };
    const rates = changeRates({ at: 1000, changes: FIGURES }, { at: 3000, changes: later });
    expect(rates.get('shop.orders')).toBe(12); // (40 - 16) changes in 2 s
    expect(rates.get('shop.customers')).toBe(0);
    expect(changeRates(null, { at: 3000, changes: later }).size).toBe(0);
  });
});

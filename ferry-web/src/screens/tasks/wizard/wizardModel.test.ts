import { describe, expect, it } from 'vitest';
import { toWizard, type WizardValues } from './wizardModel';

const VALUES: WizardValues = {
  name: 'orders',
  source: { datasourceId: 1, schema: 'shop', table: 'orders', columns: ['id'], where: 'id > 3' },
  target: { datasourceId: 2, schema: 'public', table: 'orders', writeMode: 'upsert', createTable: true },
  settings: { channels: 2 },
};

describe('toWizard: sync mode', () => {
  it('keeps a full copy as it was', () => {
    const w = toWizard({ ...VALUES, syncMode: 'full' }, [{ from: 'id', to: 'id' }]);
    expect(w.syncMode).toBeUndefined();
    expect(w.source.options).toEqual({ columns: ['id'], where: 'id > 3' });
    expect(w.target.writeMode).toBe('upsert');
    expect(w.mapping).toEqual([{ from: 'id', to: 'id' }]);
  });

  it('makes a cdc task of the whole table, by name, applied by key', () => {
    const w = toWizard({ ...VALUES, syncMode: 'incremental' }, [{ from: 'id', to: 'id' }]);
    expect(w.syncMode).toBe('incremental');
    expect(w.source).toEqual({ datasourceId: 1, table: 'shop.orders', options: null });
    expect(w.target).toEqual({ datasourceId: 2, table: 'public.orders', writeMode: null, options: { createTable: true } });
    expect(w.mapping).toBeNull();
    expect(w.settings).toEqual({ channels: 2 });
  });
});
